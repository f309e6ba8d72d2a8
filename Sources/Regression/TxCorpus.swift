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

/// A labelled transaction export: `NAME.csv` (or `.jsonl`) with `NAME.labels.tsv` beside it:
///
///     id<TAB>expected<TAB>note
///
/// one row per labelled transaction (after a header row): `expected` is the rule ids that must
/// hit it, joined by commas, or `-` for a row no rule may hit (an honest look-alike). Rows
/// without a label must not be flagged. A corpus directory keeps them in `transactions/`.
public struct TxCorpusFile: Sendable {
    public var path: String
    public var labelsPath: String
    /// By transaction id: the rules that must hit (empty: none may).
    public var labels: [String: [String]]
}

/// One transaction that was not as labelled.
public struct TxCorpusMismatch: Sendable {
    public var id: String
    public var line: Int
    /// The label: expected rule ids, `-`, or empty for an unlabelled row.
    public var expected: [String]
    public var labelled: Bool
    public var hits: [String]
    public var verdict: Verdict
    public var problem: String
}

/// The result of one labelled export through `scamscan tx`.
public struct TxCorpusResult: Sendable {
    public var file: String
    public var rows = 0
    public var badRows = 0
    /// Labelled rows whose rules all hit / did not.
    public var tp = 0
    public var fn = 0
    /// Rows flagged against their label (`-` rows with any hit, unlabelled rows flagged).
    public var fp = 0
    public var tn = 0
    /// Per rule id: rows expected, and how many of them it hit.
    public var rules: [String: (expected: Int, hit: Int)] = [:]
    public var mismatches: [TxCorpusMismatch] = []
    /// Labelled ids the export does not have.
    public var missing: [String] = []

    public var passed: Bool { mismatches.isEmpty && missing.isEmpty && badRows == 0 }
    public var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
    public var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
}

public enum TxCorpus {
    /// The labelled exports under each corpus directory's `transactions/` (or the export files
    /// given), sorted; every problem at once.
    public static func load(_ paths: [String], rules: [Rule]) throws(RulePackError) -> [TxCorpusFile] {
        var files: [TxCorpusFile] = []
        var problems: [Diagnostic] = []
        let known = Set(rules.filter(\.kind.isTransaction).map(\.id))
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            var exports: [String] = []
            if isDirectory.boolValue {
                let dir = (path as NSString).appendingPathComponent("transactions")
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                exports = names.filter { ["csv", "jsonl"].contains(($0 as NSString).pathExtension) }.sorted()
                    .map { (dir as NSString).appendingPathComponent($0) }
                    .filter { FileManager.default.fileExists(atPath: LabelledCorpus.companion(of: $0, "labels")) }
            } else if ["csv", "jsonl"].contains((path as NSString).pathExtension) {
                exports = [path]
            }
            for export in exports {
                let labelsPath = LabelledCorpus.companion(of: export, "labels")
                do {
                    let text = try RuleLoader.readText(labelsPath)
                    var labels: [String: [String]] = [:]
                    for (k, row) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                        let line = row.hasSuffix("\r") ? row.dropLast() : row
                        if line.isEmpty || line.hasPrefix("#") || (k == 0 && line.hasPrefix("id\t")) { continue }
                        let f = line.split(separator: "\t", omittingEmptySubsequences: false)
                        func problem(_ column: Int, _ message: String) {
                            problems.append(Diagnostic(SourceLocation(file: labelsPath, line: k + 1, column: column), rule: "-", message))
                        }
                        guard f.count >= 2, !f[0].isEmpty else {
                            problem(1, "a label row is id<TAB>expected[<TAB>note], with expected the rule ids that must hit, joined by ',', or '-'")
                            continue
                        }
                        let ids = f[1] == "-" ? [] : f[1].split(separator: ",").map { String($0) }
                        var ok = true
                        for id in ids where !known.contains(id) {
                            var message = "unknown transaction rule '\(id)'"
                            if let guess = closestMatch(to: id, in: Array(known)) { message += " (did you mean '\(guess)'?)" }
                            problem(f[0].utf8.count + 2, message)
                            ok = false
                        }
                        if labels[String(f[0])] != nil {
                            problem(1, "transaction \(f[0]) is labelled twice")
                            ok = false
                        }
                        if ok { labels[String(f[0])] = ids }
                    }
                    files.append(TxCorpusFile(path: export, labelsPath: labelsPath, labels: labels))
                } catch {
                    problems.append(Diagnostic(SourceLocation(file: labelsPath, line: 1, column: 1), rule: "-", error.message))
                }
            }
        }
        if !problems.isEmpty { throw RulePackError(problems) }
        return files
    }

    /// Runs one labelled export through a fresh engine (as `scamscan tx --all` would).
    public static func run(_ file: TxCorpusFile, pack: CompiledPack, columns: TxColumnMap, err: ByteWriter) throws -> TxCorpusResult {
        let engine = TxEngine(rules: pack.rules, thresholds: pack.settings.thresholds)
        let sink = Collector(file: file, rules: pack.rules)
        var options = TxScanOptions()
        options.all = true
        options.columns = columns
        let scanner = TxScanner(engine: engine, options: options, sink: sink, out: ByteWriter(fd: -1), err: err)
        try scanner.scan(path: file.path)
        try err.flush()
        sink.result.badRows = scanner.stats.badRows + scanner.stats.inputErrors
        sink.result.missing = file.labels.keys.filter { !sink.seen.contains($0) }.sorted()
        return sink.result
    }

    private final class Collector: TxSink {
        let file: TxCorpusFile
        let rules: [Rule]
        var result: TxCorpusResult
        var seen: Set<String> = []

        init(file: TxCorpusFile, rules: [Rule]) {
            self.file = file
            self.rules = rules
            result = TxCorpusResult(file: file.path)
        }

        func write(_ tx: Transaction, source: String, classification c: TxClassification) throws {
            result.rows += 1
            seen.insert(tx.id)
            let hits = c.hits.map { rules[$0.rule].id }
            let label = file.labels[tx.id]
            func mismatch(_ problem: String) {
                result.mismatches.append(TxCorpusMismatch(id: tx.id, line: tx.line, expected: label ?? [], labelled: label != nil,
                                                          hits: hits, verdict: c.verdict, problem: problem))
            }
            guard let label else {
                if c.verdict == .allow { result.tn += 1 } else {
                    result.fp += 1
                    mismatch("flagged \(c.verdict.rawValue), but not labelled")
                }
                return
            }
            if label.isEmpty {
                if hits.isEmpty { result.tn += 1 } else {
                    result.fp += 1
                    mismatch("labelled '-' (no rule may hit), but \(hits.joined(separator: ", ")) hit")
                }
                return
            }
            for id in label {
                var r = result.rules[id] ?? (0, 0)
                r.expected += 1
                if hits.contains(id) { r.hit += 1 }
                result.rules[id] = r
            }
            let absent = label.filter { !hits.contains($0) }
            if absent.isEmpty { result.tp += 1 } else {
                result.fn += 1
                mismatch("expected \(absent.joined(separator: ", ")) to hit")
            }
        }

        func finish(summary: TxSummary?) throws {}
    }
}
