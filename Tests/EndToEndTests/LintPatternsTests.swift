import Foundation
import Testing

/// `scamscan lint --patterns raw|folded`: the pack's own patterns as a `match -f` file.
@Suite struct LintPatternsTests {
    @Test func eachViewsPatternsMakeAPatternFileThatMatchReads() throws {
        var counts: [String: Int] = [:]
        for view in ["raw", "folded"] {
            let r = try scamscan(["lint", "--patterns", view])
            #expect(r.status == 0, "\(r.err)")
            let lines = r.out.split(separator: "\n")
            let comments = lines.filter { $0.hasPrefix("# ") }.dropFirst()  // the header, then one per rule
            let patterns = lines.filter { !$0.hasPrefix("#") }
            #expect(comments.count == patterns.count)
            #expect(r.err.contains("scamscan lint: \(patterns.count) \(view)-view patterns"))
            #expect(comments.allSatisfy { $0.contains(".yml:") })
            counts[view] = patterns.count
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try r.out.write(toFile: dir + "/p.txt", atomically: true, encoding: .utf8)
            let m = try scamscan(["match", "-c", "-f", dir + "/p.txt", "Corpus/chat/sample.tsv"])
            // Every pattern compiles in match (status 2 would be a pattern error); the folded-view
            // patterns find lines even in the raw text, most of it being plain lower-case chat.
            #expect(view == "raw" ? m.status != 2 : m.status == 0, "\(m.err)")
            if view == "folded" { #expect((Int(m.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0) }
        }
        #expect(counts["folded"]! > counts["raw"]!)  // the pack writes most rules on the folded view
        let bad = try scamscan(["lint", "--patterns", "cooked"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("raw") && bad.err.contains("folded"))
    }
}
