import Foundation
import Testing

/// The folded view as a user meets it: `scamscan fold`, `chat --explain`, and the JSON fields.
@Suite(.serialized) struct FoldingCLITests {
    let rules = repoRoot + "/Rules"

    @Test func foldPrintsTheFoldedViewAndTechniques() throws {
        let r = try scamscan(["fold", "fr33 c0ins at t . me / cheapcoins", "hello", "ｆｒｅｅ\u{1B}[2J"])
        #expect(r.status == 0)
        #expect(r.out == "free coins at t.me/cheapcoins\tleet,defang\nhello\t-\nfree\\e[2j\tcompat\n")
        let stdin = try scamscan(["fold"], stdin: "f r e e  c o i n s\nx\n")
        #expect(stdin.out == "free coins\tspacing\nx\t-\n")
    }

    @Test func disguisedScamIsFlaggedAndHighlightedInTheRawText() throws {
        let text = "𝐅𝐑𝐄𝐄 c0ins g-e-n-e-r-a-t-o-r 👉 tikt0k(.)com"
        let r = try scamscan(["chat", "--rules", rules, "--output", "jsonl"], stdin: text + "\n")
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "block")
        #expect(object["folded_by"] as? [String] == ["compat", "leet", "spacing", "defang"])
        let hits = try #require(object["hits"] as? [[String: Any]])
        let bytes = Array(text.utf8)
        let byRule = Dictionary(uniqueKeysWithValues: hits.map { ($0["rule"] as! String, $0) })
        let generator = try #require(byRule["coin_generator.free-coin-generator"])
        let (s, e) = (generator["start"] as! Int, generator["end"] as! Int)
        #expect(String(decoding: bytes[s..<e], as: UTF8.self) == "𝐅𝐑𝐄𝐄 c0ins g-e-n-e-r-a-t-o-r")
        let lookalike = try #require(byRule["phishing.lookalike-domain"])
        #expect((lookalike["evidence"] as? String)?.hasPrefix("tikt0k.com imitates tiktok.com") == true)
        #expect(byRule["other.evasion-three-techniques"]?["evidence"] as? String == "folded by compat, leet, spacing, defang")
    }

    @Test func explainShowsFoldedViewLinksAndEachHit() throws {
        let r = try scamscan(["chat", "--rules", rules, "--explain", "--all", "--color", "never"],
                             stdin: "dm @Coin_Plug, cheap coins at tikt0k(.)com\nhello\n")
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1] == "    folded: dm @coin_plug, cheap coins at tiktok.com")
        #expect(lines[2] == "    folded_by: leet, defang")
        #expect(lines[3] == "    links: handle @coin_plug, domain tiktok.com")
        #expect(lines.contains { $0.hasPrefix("    +6 phishing.lookalike-domain (domain_lookalike) \"tikt0k(.)com\" at 30-42: tikt0k.com imitates tiktok.com") })
        #expect(lines.contains("2: allow 0 - hello"))
        #expect(lines.contains("    folded: hello"))
        let json = try scamscan(["chat", "--rules", rules, "--explain", "--output", "jsonl"], stdin: "cheap coins at tikt0k(.)com\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["folded"] as? String == "cheap coins at tiktok.com")
        let links = try #require(object["links"] as? [[String: Any]])
        #expect(links.count == 1 && links[0]["kind"] as? String == "domain" && links[0]["value"] as? String == "tiktok.com")
        #expect(links[0]["start"] as? Int == 15 && links[0]["end"] as? Int == 27)
    }

    @Test func plainRecordsHaveEmptyFoldedByAndNoExplainFields() throws {
        let r = try scamscan(["chat", "--rules", rules, "--output", "jsonl", "--all"], stdin: "thanks for the gift!\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["folded_by"] as? [String] == [])
        #expect(object["folded"] == nil && object["links"] == nil)
    }

    @Test func lintReportsLettersTheFoldedViewNeverHas() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "pack: t\n".write(toFile: dir + "/pack.yml", atomically: true, encoding: .utf8)
        try """
        - id: giveaway.gratis
          category: giveaway
          description: d
          pattern: 'monedas grátis'
          view: folded
          score: 5
          match: ["monedas gratis"]
          no_match: ["monedas"]
        """.write(toFile: dir + "/r.yml", atomically: true, encoding: .utf8)
        let r = try scamscan(["lint", "--rules", dir])
        #expect(r.status == 1)
        #expect(r.err.contains("\(dir)/r.yml:4:13: giveaway.gratis: the folded view never contains 'á' (it reads as 'a'); write 'a' in the pattern, or use view: raw"))
    }
}
