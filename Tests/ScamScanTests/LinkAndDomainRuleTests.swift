import Foundation
import Testing
@testable import ScamScan
@testable import ScanSupport
@testable import Normalise
@testable import Stream
@testable import Model
@testable import Checks
@testable import Score
@testable import Transactions
@testable import Output
@testable import Pipeline
@testable import Regression

@Suite struct LinkExtractorTests {
    func links(_ text: String) -> [String] {
        var f = FoldedText()
        f.fold(text)
        var found: [Link] = []
        LinkExtractor.extract(f.bytes, into: &found)
        return found.map { "\($0.kind.rawValue):\(String(decoding: f.bytes[$0.nameStart..<$0.nameEnd], as: UTF8.self))" }
    }

    @Test(arguments: [
        ("go to https://Free-Coins.xyz/claim?id=1 now", ["url:free-coins.xyz"]),
        ("dm @coin_plug or @real.luna.", ["handle:coin_plug", "handle:real.luna"]),
        ("mail me at bob@mail.com", []),
        ("bit.ly/abc and t.me/x, www.example.org.", ["domain:bit.ly", "domain:t.me", "domain:www.example.org"]),
        ("hxxps://tiktok[.]com and cheapcoins dot shop", ["url:tiktok.com", "domain:cheapcoins.shop"]),
        ("e.g. i.e. lol.ok 1.5 coins... wait", []),
        ("ｔｉｋｔｏｋ．ｃｏｍ", ["domain:tiktok.com"]),
        ("@a x@y @@", []),
    ])
    func extractsUrlsDomainsAndHandles(text: String, expected: [String]) {
        #expect(links(text) == expected)
    }
}

@Suite struct DomainRuleTests {
    func pack(_ rules: String, lists: [String: String]) throws -> CompiledPack {
        let dir = temporaryDirectory()
        for (name, text) in lists {
            try? FileManager.default.createDirectory(atPath: (dir + "/" + name as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            write(text, to: dir + "/" + name)
        }
        write("pack: t\n", to: dir + "/pack.yml")
        write(rules, to: dir + "/rules.yml")
        return try CompiledPack.load(directories: [dir])
    }

    func hits(_ pack: CompiledPack, _ text: String) -> [String] {
        let classifier = Classifier(pack: pack)
        var c = Classification()
        Array(text.utf8).withUnsafeBytes { classifier.classify($0, into: &c) }
        return c.hits.map { "\(pack.rules[$0.rule].id)@\($0.start)-\($0.end): \($0.evidence ?? "")" }
    }

    static let listRule = """
    - id: phishing.listed
      kind: domain_list
      category: phishing
      description: listed
      list: lists/bad.txt
      score: 8
      match: ["go to evil.xyz", "login.evil.xyz/x"]
      no_match: ["notevil.xyz", "evil.xyz.com is fine?"]
    - id: phishing.exact
      kind: domain_list
      category: phishing
      description: exact only
      list: lists/bad.txt
      list_match: exact
      score: 1
      match: ["evil.xyz"]
      no_match: ["a.evil.xyz", "b.evil.xyz"]
    - id: phishing.lookalike
      kind: domain_lookalike
      category: phishing
      description: look-alikes
      list: lists/protected.txt
      score: 6
      match: ["tikt0k.com", "tiktok-coins.com"]
      no_match: ["tiktok.com", "www.tiktok.com/@x"]
    """
    static let lists = ["lists/bad.txt": "# bad\nevil.xyz\n*.scam.ru\n", "lists/protected.txt": "tiktok.com\ntwitch.tv\nkick.com\n"]

    @Test func listMatchesHostsAndSubdomainsWithEvidence() throws {
        let p = try pack(Self.listRule, lists: Self.lists)
        #expect(hits(p, "go to Evil.xyz now") == [
            "phishing.listed@6-14: evil.xyz is on lists/bad.txt", "phishing.exact@6-14: evil.xyz is on lists/bad.txt"])
        #expect(hits(p, "https://a.b.scam.ru/x") == ["phishing.listed@8-19: a.b.scam.ru is a subdomain of scam.ru, on lists/bad.txt"])
        #expect(hits(p, "evil[.]xyz") == [
            "phishing.listed@0-10: evil.xyz is on lists/bad.txt", "phishing.exact@0-10: evil.xyz is on lists/bad.txt"])
        #expect(hits(p, "notevil.xyz and evil.xyzz and scam.ru.com").isEmpty)
    }

    @Test(arguments: [
        ("claim at tikt0k.com", "tikt0k.com imitates tiktok.com (reads as tiktok.com once folded"),
        ("claim at tіktok.com", "imitates tiktok.com (reads as tiktok.com once folded"),      // Cyrillic і
        ("claim at ｔｉｋｔｏｋ.com", "imitates tiktok.com (reads as tiktok.com once folded"),   // fullwidth
        ("claim at tiktok.gift", "tiktok.gift imitates tiktok.com (same name, top-level domain .gift"),
        ("claim at tlktok.com", "tlktok.com imitates tiktok.com (edit distance 1 from tiktok"),
        ("claim at tiktko.com", "tiktko.com imitates tiktok.com (edit distance 1 from tiktok"),  // transposition
        ("claim at tiktok-coins.com", "tiktok-coins.com imitates tiktok.com (tiktok with extra words"),
        ("claim at tiktok.com.gift.ru", "tiktok.com.gift.ru imitates tiktok.com (tiktok in a subdomain of another site"),
        ("log in at twltch.tv", "twltch.tv imitates twitch.tv (edit distance 1 from twitch"),
    ])
    func lookalikesAreCaughtWithTheirTechnique(text: String, evidence: String) throws {
        let p = try pack(Self.listRule, lists: Self.lists)
        let found = hits(p, text)
        #expect(found.count == 1 && found[0].contains(evidence), "\(found)")
    }

    @Test(arguments: ["tiktok.com/@luna", "https://www.tiktok.com", "vm.tiktok.com/x", "TikTok.com", "tiktok[.]com",
                      "twitch.tv/luna", "kick.com", "pick.com", "kink.com", "tick.com", "tiktak.org.uk... no", "t.me/luna"])
    func genuineAndUnrelatedDomainsAreNotLookalikes(text: String) throws {
        let p = try pack(Self.listRule, lists: Self.lists)
        #expect(hits(p, text).filter { $0.hasPrefix("phishing.lookalike") }.isEmpty, "\(hits(p, text))")
    }

    @Test func badListsAreReportedWithTheirLocation() throws {
        let dir = temporaryDirectory()
        write("pack: t\n", to: dir + "/pack.yml")
        try? FileManager.default.createDirectory(atPath: dir + "/lists", withIntermediateDirectories: true)
        write("ok.com\n  http://bad.com/x\nnodot\n", to: dir + "/lists/bad.txt")
        write(Self.listRule.replacingOccurrences(of: "lists/protected.txt", with: "../outside.txt"), to: dir + "/rules.yml")
        do {
            _ = try CompiledPack.load(directories: [dir])
            Issue.record("a bad list loaded")
        } catch {
            let text = error.diagnostics.map(\.description)
            #expect(text.contains("\(dir)/lists/bad.txt:2:3: phishing.listed: 'http://bad.com/x' is not a domain: it contains ':' (a URL? keep only the host); write one domain per line, such as bit.ly"))
            #expect(text.contains("\(dir)/lists/bad.txt:3:1: phishing.listed: 'nodot' is not a domain: it has no dot; write one domain per line, such as bit.ly"))
            #expect(text.contains { $0.hasPrefix("\(dir)/rules.yml:22:9: phishing.lookalike: 'list' must be a path inside the pack") })
        }
    }

    @Test(arguments: [
        ("kind: domain_list\n  list: lists/none.txt", "cannot load list 'lists/none.txt'"),
        ("kind: domain_list", "missing required field 'list'"),
        ("kind: domain_lists\n  list: a.txt", "unknown kind 'domain_lists' (did you mean 'domain_list'?)"),
        ("kind: evasion\n  min_techniques: 2\n  list: a.txt", "field 'list' is for rules of kind domain_list, domain_lookalike, first_contact, handle_lookalike or spam_wave, not 'evasion'"),
        ("kind: evasion\n  min_techniques: 9", "'min_techniques' must be between 1 and 7, got 9"),
        ("kind: evasion\n  min_techniques: 1\n  techniques: [leet, zalgo]", "unknown folding technique 'zalgo'"),
        ("kind: domain_list\n  list: /etc/hosts", "'list' must be a path inside the pack"),
        ("pattern: 'x'\n  view: raw\n  list_match: exact", "field 'list_match' is for rules of kind domain_list, not 'pattern'"),
    ])
    func kindFieldsAreChecked(fields: String, message: String) {
        let yaml = """
        - id: other.k
          category: other
          description: k
          score: 1
          match: [a]
          no_match: [b]
          \(fields)
        """
        let found = diagnostics(yaml)
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }
}

@Suite struct EvasionRuleTests {
    static let yaml = """
    - id: coin_generator.free-coins
      category: coin_generator
      description: free coins
      pattern: 'free\\s*coins'
      view: folded
      score: 5
      match: ["free coins"]
      no_match: ["coins"]
    - id: other.evasion
      kind: evasion
      category: other
      description: two tricks and a folded hit
      min_techniques: 2
      score: 2
      match: ["fr33 c.o.i.n.s"]
      no_match: ["free coins"]
    - id: other.defang
      kind: evasion
      category: other
      description: defanged link, alone
      techniques: [defang]
      min_techniques: 1
      with_folded_hit: false
      score: 3
      match: ["x[.]com"]
      no_match: ["x.com"]
    """

    func classify(_ text: String) throws -> (ids: [String], foldedBy: [String], evidence: [String]) {
        let pack = try compile(Self.yaml)
        let classifier = Classifier(pack: pack)
        var c = Classification()
        Array(text.utf8).withUnsafeBytes { classifier.classify($0, into: &c) }
        return (c.hits.map { pack.rules[$0.rule].id }, c.foldedBy.names, c.hits.compactMap(\.evidence))
    }

    @Test func scoresSeveralTechniquesWithAFoldedHit() throws {
        let r = try classify("fr33 c.o.i.n.s")
        #expect(r.ids == ["coin_generator.free-coins", "other.evasion"])
        #expect(r.foldedBy == ["leet", "spacing"])
        #expect(r.evidence == ["folded by leet, spacing"])
    }

    @Test func oneTechniqueOrNoScamWordsIsNotEnough() throws {
        #expect(try classify("fr33 coins").ids == ["coin_generator.free-coins"])
        #expect(try classify("l33t h4x0r s k i l l z").ids.isEmpty)
        #expect(try classify("l33t h4x0r s k i l l z").foldedBy == ["leet", "spacing"])
    }

    @Test func aRuleCanScoreOneTechniqueAlone() throws {
        let r = try classify("see x[.]com")
        #expect(r.ids == ["other.defang"])
        #expect(r.evidence == ["folded by defang"])
    }
}
