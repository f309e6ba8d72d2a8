import Testing
import Foundation

/// Runs the built binary on the shipped Corpus sample with the shipped rules and checks every
/// expected verdict in Corpus/chat/sample.labels.tsv.
@Suite struct CorpusTests {
    struct Label {
        var line: Int
        var label: String
        var verdict: String
    }

    func labels() throws -> [Label] {
        let text = try String(contentsOfFile: repoRoot + "/Corpus/chat/sample.labels.tsv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { row in
            let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Label(line: Int(f[0])!, label: f[1], verdict: f[2])
        }
    }

    @Test func sampleVerdictsMatchTheLabels() throws {
        let expected = try labels()
        #expect(expected.count >= 400)
        let r = try scamscan(["chat", "--rules", repoRoot + "/Rules", "--all", "--output", "jsonl",
                              repoRoot + "/Corpus/chat/sample.tsv"])
        #expect(r.status == 0)
        #expect(r.err.isEmpty, "\(r.err)")
        var actual: [Int: (verdict: String, text: String, rules: [String])] = [:]
        for line in r.out.split(separator: "\n") {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let rules = (o["hits"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            actual[o["line"] as! Int] = (o["verdict"] as! String, o["text"] as! String, rules)
        }
        #expect(actual.count == expected.count, "every labelled message is a record")
        var wrong: [String] = []
        for label in expected {
            guard let got = actual[label.line] else {
                wrong.append("line \(label.line): no record")
                continue
            }
            if got.verdict != label.verdict {
                wrong.append("line \(label.line) [\(label.label)]: expected \(label.verdict), got \(got.verdict) \(got.rules): \(got.text)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) verdicts differ:\n\(wrong.joined(separator: "\n"))")
        let scams = expected.filter { $0.label != "ham" }
        #expect(Double(scams.count) / Double(expected.count) >= 0.15)
    }
}
