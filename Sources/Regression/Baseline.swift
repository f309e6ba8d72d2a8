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

/// A stored result of `scamscan test` (`--update-baseline FILE`), to compare later runs with:
/// the metrics and every record's verdict, score and rules. JSON, stable order, one record per
/// line, so a baseline diff in review is readable.
public struct Baseline: Codable, Sendable {
    public struct Record: Codable, Sendable, Equatable {
        public var file: String
        public var line: Int
        public var label: String?
        public var verdict: Verdict
        public var score: Double
        public var rules: [String]
        public var passes: Bool
    }
    public var version = 1
    public var overall: Confusion
    public var categories: [String: Confusion]
    /// Each rule's score when the baseline was written, to name the rules a change re-scored.
    public var scores: [String: Double]
    public var records: [Record]
    /// The flags on ordinary chat (without the flagged messages); nil in baselines written
    /// before it was measured, or when the corpus has none.
    public var ordinary: OrdinaryChat?

    public init(_ run: RegressionRun, pack: CompiledPack) {
        if var o = run.ordinary {
            o.flags = []
            ordinary = o
        }
        scores = Dictionary(pack.rules.map { ($0.id, $0.score) }, uniquingKeysWith: { a, _ in a })
        overall = run.metrics.overall
        categories = run.metrics.categories
        records = run.records.map { Record(file: $0.file, line: $0.line, label: $0.label, verdict: $0.verdict,
                                           score: $0.score, rules: $0.rules, passes: $0.problem == nil) }
    }

    public static func read(_ path: String) throws(RulePackError) -> Baseline {
        let location = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulePackError([Diagnostic(location, rule: "-", "cannot read the baseline; write one with --update-baseline \(path)")])
        }
        if let problem = Self.syntaxProblem(data, path: path) { throw RulePackError([problem]) }
        let baseline: Baseline
        do {
            baseline = try JSONDecoder().decode(Baseline.self, from: data)
        } catch let error as DecodingError {
            throw RulePackError([Diagnostic(location, rule: "-", "not a scamscan baseline: \(Self.describe(error)); write a new one with --update-baseline \(path)")])
        } catch {
            throw RulePackError([Diagnostic(location, rule: "-", "not a scamscan baseline: \(error); write a new one with --update-baseline \(path)")])
        }
        guard baseline.version == 1 else {
            throw RulePackError([Diagnostic(location, rule: "-", "baseline version \(baseline.version) is not supported (this scamscan writes version 1); write a new one with --update-baseline \(path)")])
        }
        return baseline
    }

    /// The first JSON syntax error in `data`, at its line and column (columns count bytes).
    static func syntaxProblem(_ data: Data, path: String) -> Diagnostic? {
        let bytes = [UInt8](data)
        let problem: RecordError? = bytes.withUnsafeBytes { raw in
            do throws(RecordError) { try JSONLineParser.validateDocument(raw) } catch { return error }
            return nil
        }
        if let error = problem {
            let offset = min(max(error.column - 1, 0), bytes.count)
            var line = 1, lineStart = 0
            for k in 0..<offset where bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
            let truncated = offset >= bytes.count ? " (the file looks truncated)" : ""
            return Diagnostic(SourceLocation(file: path, line: line, column: offset - lineStart + 1), rule: "-",
                              "not a scamscan baseline: it is not valid JSON: \(error.message)\(truncated); restore it from version control or write a new one with --update-baseline \(path)")
        }
        return nil
    }

    /// A decoding failure in words: what is missing or wrong, and where in the document.
    static func describe(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            var out = ""
            for key in path {
                if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : "." + key.stringValue }
            }
            return out.isEmpty ? "the top level" : "'\(out)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath)) has no '\(key.stringValue)' field"
        case .typeMismatch(let type, let context):
            return "\(place(context.codingPath)) is not \(Self.kind(type))"
        case .valueNotFound(let type, let context):
            return "\(place(context.codingPath)) is null, expected \(Self.kind(type))"
        case .dataCorrupted(let context):
            return "\(place(context.codingPath)) holds a value this version does not know"
        @unknown default:
            return "\(error)"
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }

    /// The baseline as JSON: metrics first, then one record per line.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func encode<T: Encodable>(_ value: T) -> String { String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) }
        var text = "{\"version\":\(version),\n\"overall\":\(encode(overall)),\n\"categories\":\(encode(categories)),\n"
        text += "\"scores\":\(encode(scores)),\n"
        if let ordinary { text += "\"ordinary\":\(encode(ordinary)),\n" }
        text += "\"records\":[\n"
        text += records.map(encode).joined(separator: ",\n")
        text += "\n]}\n"
        return text
    }
}

/// What changed between a baseline and this run.
public struct BaselineDiff: Sendable {
    public struct Change: Sendable {
        public var record: RecordOutcome
        public var before: Baseline.Record
        public var rulesGained: [String]
        public var rulesLost: [String]
        /// Rules that hit both times with a different score: (id, before, after).
        public var rulesRescored: [(String, Double, Double)]
        public var scoreChange: Double { record.score - before.score }
    }
    /// Scam records flagged before and allowed now.
    public var newlyMissed: [Change] = []
    /// Ham records allowed before and flagged now.
    public var newlyFlagged: [Change] = []
    /// Records that were as labelled and are not now (any kind), and other verdict changes.
    public var newFailures: [Change] = []
    public var otherChanges: [Change] = []
    /// Records fixed: not as labelled before, as labelled now.
    public var fixed: [Change] = []
    /// Metric drops beyond the tolerance, as text.
    public var drops: [String] = []
    /// Rises of the flag or block rate on ordinary chat beyond the tolerance, as text.
    public var ordinaryRises: [String] = []
    /// Rules that flag more ordinary messages than in the baseline: (id, before, now).
    public var ordinaryRules: [(String, Int, Int)] = []

    public var isRegression: Bool { !newFailures.isEmpty || !drops.isEmpty || !ordinaryRises.isEmpty }

    public init(baseline: Baseline, run: RegressionRun, pack: CompiledPack, tolerance: Double) {
        let now = Dictionary(pack.rules.map { ($0.id, $0.score) }, uniquingKeysWith: { a, _ in a })
        var before: [String: Baseline.Record] = [:]
        for r in baseline.records { before["\(r.file):\(r.line)"] = r }
        for r in run.records {
            guard let b = before["\(r.file):\(r.line)"] else { continue }
            guard b.verdict != r.verdict || b.rules != r.rules || b.score != r.score else { continue }
            let rescored = r.rules.filter { b.rules.contains($0) }.compactMap { id -> (String, Double, Double)? in
                guard let was = baseline.scores[id], let score = now[id], was != score else { return nil }
                return (id, was, score)
            }
            let change = Change(record: r, before: b, rulesGained: r.rules.filter { !b.rules.contains($0) },
                                rulesLost: b.rules.filter { !r.rules.contains($0) }, rulesRescored: rescored)
            let passes = r.problem == nil
            if r.isScam && b.verdict != .allow && r.verdict == .allow { newlyMissed.append(change) }
            if !r.isScam && r.label != nil && b.verdict == .allow && r.verdict != .allow { newlyFlagged.append(change) }
            if b.passes && !passes { newFailures.append(change) } else if !b.passes && passes { fixed.append(change) } else if b.verdict != r.verdict { otherChanges.append(change) }
        }
        func check(_ name: String, _ was: Double, _ now: Double) {
            if was - now > tolerance {
                drops.append("\(name) fell from \(fixed3(was)) to \(fixed3(now)) (tolerance \(fixed3(tolerance)))")
            }
        }
        let o = run.metrics.overall
        check("precision", baseline.overall.precision, o.precision)
        check("recall", baseline.overall.recall, o.recall)
        check("F1", baseline.overall.f1, o.f1)
        for (name, was) in baseline.categories.sorted(by: { $0.key < $1.key }) {
            let now = run.metrics.categories[name] ?? Confusion()
            check("\(name) F1", was.f1, now.f1)
        }
        if let was = baseline.ordinary {
            let now = run.ordinary ?? OrdinaryChat()
            for (name, a, b) in [("flag rate", was.flagRate, now.flagRate), ("block rate", was.blockRate, now.blockRate)] where b - a > tolerance + 1e-12 {
                ordinaryRises.append("ordinary chat \(name) rose from \(percent(a)) to \(percent(b)) (tolerance \(fixed3(tolerance)))")
            }
            for (id, c) in now.rulesByFlags where c.flagged > (was.rules[id]?.flagged ?? 0) {
                ordinaryRules.append((id, was.rules[id]?.flagged ?? 0, c.flagged))
            }
        }
    }
}

/// A number with three decimals, for metrics.
func fixed3(_ x: Double) -> String { String(format: "%.3f", x) }
