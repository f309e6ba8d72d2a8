import Foundation
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output
import Pipeline

/// The false-alarm measure: real chat nobody labelled as scam (a corpus's `ordinary/` folder),
/// run through the full pipeline. Every flag on it is a false alarm, so `scamscan test` reports
/// the flag rate and block rate, overall and per rule, and a baseline holds them so that CI fails
/// when either rises.
public struct OrdinaryChat: Codable, Sendable, Equatable {
    public struct RuleCount: Codable, Sendable, Equatable {
        /// Ordinary messages flagged (review or block) with this rule among the hits.
        public var flagged = 0
        /// Of those, blocked.
        public var blocked = 0
    }
    /// A flagged ordinary message, for the report.
    public struct Flag: Codable, Sendable, Equatable {
        public var file: String
        public var line: Int
        public var verdict: Verdict
        public var rules: [String]
        public var text: String
    }
    public var files: [String] = []
    public var messages = 0
    public var flagged = 0
    public var blocked = 0
    public var rules: [String: RuleCount] = [:]
    /// The flagged messages (all of them: on ordinary chat they should be few).
    public var flags: [Flag] = []
    /// Files a model rule of the pack was trained on (as negatives): for the model, flags on
    /// them are training figures.
    public var trainedOn: [String] = []

    public init() {}

    public var flagRate: Double { messages == 0 ? 0 : Double(flagged) / Double(messages) }
    public var blockRate: Double { messages == 0 ? 0 : Double(blocked) / Double(messages) }

    /// The files of each corpus directory's `ordinary/` folder (chat files: .tsv, .txt, .jsonl,
    /// .log), sorted by path; none when a corpus has no such folder.
    public static func files(in corpora: [String]) -> [String] {
        var out: [String] = []
        for path in corpora {
            var isDirectory: ObjCBool = false
            let dir = (path as NSString).appendingPathComponent("ordinary")
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            out += names.filter { ["tsv", "txt", "jsonl", "log"].contains(($0 as NSString).pathExtension) }
                .sorted().map { (dir as NSString).appendingPathComponent($0) }
        }
        return out
    }

    /// Scans `files` with `pack`, each file as its own stream (its own behaviour history: a file
    /// is one channel's chat), and counts what was flagged.
    public static func run(_ files: [String], pack: CompiledPack, err: ByteWriter, progress: Bool = false) throws -> OrdinaryChat {
        var result = OrdinaryChat()
        result.files = files
        result.trainedOn = ModelContribution.trainedOn(files, pack: pack)
        for file in files {
            let sink = CollectingSink(pack: pack)
            var options = ChatScanOptions()
            options.progress = progress
            options.progressLabel = "test"
            let scanner = ChatScanner(classifier: Classifier(pack: pack), options: options, sink: sink, out: ByteWriter(fd: -1), err: err,
                                      signals: pack.makeSignalState())
            try scanner.scan(path: file)
            try scanner.finish()
            // A file that cannot be read must not pass for a quiet one.
            if scanner.stats.inputErrors > 0 {
                throw RulePackError([Diagnostic(SourceLocation(file: file, line: 1, column: 1), rule: "-",
                                                "cannot read this ordinary-chat file (reported above)")])
            }
            result.messages += scanner.stats.records
            for r in sink.records where r.flagged {
                result.flagged += 1
                if r.verdict == .block { result.blocked += 1 }
                for id in Set(r.rules) {
                    result.rules[id, default: RuleCount()].flagged += 1
                    if r.verdict == .block { result.rules[id]!.blocked += 1 }
                }
                result.flags.append(Flag(file: file, line: r.line, verdict: r.verdict, rules: r.rules, text: r.text))
            }
        }
        return result
    }

    /// The rules by ordinary messages flagged, most first (ties by id).
    public var rulesByFlags: [(rule: String, count: RuleCount)] {
        rules.map { ($0.key, $0.value) }.sorted { ($0.1.flagged, $1.0) > ($1.1.flagged, $0.0) }
    }
}

/// A percentage with three decimals (rates on ordinary chat are small).
func percent(_ x: Double) -> String { String(format: "%.3f%%", x * 100) }
