import Foundation
import Testing

/// The verdicts on a fixed corpus, pinned: for each run, the number of records per verdict and
/// a hash of the whole JSON Lines output (FNV-1a 64). A refactor of the classifier, the readers
/// or the printers must leave them identical; a change to the rules or the model changes them on
/// purpose, and then `make golden` rewrites the file (the diff shows how the counts moved).
@Suite struct GoldenVerdictTests {
    static let goldenPath = repoRoot + "/Tests/EndToEndTests/Data/golden-verdicts.json"

    /// The fixed corpus: the labelled chat sample, the real live chat (with authors and event
    /// times, so behaviour signals never read the wall clock) and the transaction sample.
    static let runs: [(name: String, arguments: [String])] = [
        ("chat", ["chat", "--rules", "Rules", "--output", "jsonl", "--all", "Corpus/chat/sample.tsv"]
            + ordinaryChatFiles()),
        ("chat-no-signals", ["chat", "--rules", "Rules", "--output", "jsonl", "--all", "--no-signals",
                             "--input", "plain", "Corpus/ordinary/copypasta-gamesdonequick.txt",
                             "Corpus/ordinary/copypasta-unicode-gamesdonequick.txt"]),
        ("tx", ["tx", "--rules", "Rules", "--output", "jsonl", "--all", "Corpus/transactions/sample.csv"]),
    ]

    static func ordinaryChatFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: repoRoot + "/Corpus/ordinary")) ?? []
        return names.filter { $0.hasSuffix(".tsv") }.sorted().map { "Corpus/ordinary/" + $0 }
    }

    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return String(format: "%016llx", h)
    }

    /// Counts per verdict (chat: "verdict", tx: "verdict") and the hash of one run's output.
    static func summary(of result: RunResult) throws -> [String: String] {
        var counts: [String: Int] = [:]
        var records = 0
        for line in result.out.split(separator: "\n") {
            records += 1
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let verdict = object?["verdict"] as? String ?? (object?["error"] != nil ? "error" : "none")
            counts[verdict, default: 0] += 1
        }
        var out = ["records": String(records), "jsonl_fnv1a64": fnv1a64(result.outBytes)]
        for (verdict, n) in counts { out["verdict_" + verdict] = String(n) }
        return out
    }

    @Test func verdictsOnTheFixedCorpusAreTheGoldenOnes() throws {
        var actual: [String: [String: String]] = [:]
        for run in Self.runs {
            let result = try scamscan(run.arguments)
            #expect(result.status == 0 || result.status == 1, "\(run.name): exit \(result.status): \(result.err)")
            #expect(!result.out.isEmpty, "\(run.name) wrote nothing")
            actual[run.name] = try Self.summary(of: result)
        }
        if ProcessInfo.processInfo.environment["SCAMSCAN_UPDATE_GOLDEN"] == "1" {
            let data = try JSONSerialization.data(withJSONObject: actual, options: [.prettyPrinted, .sortedKeys])
            try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: Self.goldenPath))
            return
        }
        let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.goldenPath)))
        let golden = try #require(stored as? [String: [String: String]], "\(Self.goldenPath) is not an object of objects")
        #expect(Set(golden.keys) == Set(actual.keys), "runs in the golden file: \(golden.keys.sorted())")
        for run in Self.runs {
            #expect(actual[run.name] == golden[run.name],
                    "\(run.name): got \(actual[run.name] ?? [:]), golden \(golden[run.name] ?? [:]). If the rules or the model changed on purpose, run `make golden` and commit the file.")
        }
    }

    /// The check itself can fail: a changed output gives another hash.
    @Test func theHashSeesAOneByteChange() {
        #expect(Self.fnv1a64(Array("{\"verdict\":\"allow\"}\n".utf8)) != Self.fnv1a64(Array("{\"verdict\":\"block\"}\n".utf8)))
        #expect(Self.fnv1a64([]) == "cbf29ce484222325")
    }
}
