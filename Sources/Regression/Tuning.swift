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

/// Fits rule scores to a labelled corpus: L2-regularised logistic regression on which rules hit
/// each record, scaled so that the pack's review threshold is the 50% point.
///
/// The fit is judged by k-fold cross-validation (fold f holds every k-th labelled record from
/// the f-th): scores fitted on the other folds are compared on the held-out fold with the current
/// scores, and the folds' counts are summed, so every record is judged once by scores that never
/// saw it. The suggested scores are then fitted on all the records.
///
/// A rule's input is the share of its score the hit added: 1 for most rules, the mapped
/// probability's share for a `model` rule (0 to `max_share`), so the model rule's score is fitted
/// along with the others and a record scores `sum(score x share)` before and after.
public struct Tuning: Sendable {
    public struct Suggestion: Sendable {
        public var rule: Int
        public var current: Double
        public var suggested: Double
        /// Labelled records the rule hit.
        public var support: Int
    }
    public var suggestions: [Suggestion]
    /// Summed over the held-out folds, at the pack's review threshold: the current scores...
    public var before: Confusion
    /// ...and scores fitted without the fold.
    public var after: Confusion
    /// Per fold: (before, after).
    public var folds: [(before: Confusion, after: Confusion)]
    public var recordCount: Int

    /// Fitted scores do worse than the current ones on the held-out folds: lower precision or
    /// lower F1.
    public var isWorse: Bool {
        let p0 = before.definedPrecision ?? 1, p1 = after.definedPrecision ?? 1
        let f0 = before.definedF1 ?? 0, f1 = after.definedF1 ?? 0
        return p1 < p0 - 1e-9 || f1 < f0 - 1e-9
    }

    private typealias Row = (x: [(Int, Double)], scam: Bool)

    /// - Complexity: O((folds + 1) × iterations × records × hits per record).
    public init(records: [RecordOutcome], pack: CompiledPack, lambda: Double = 0.0003, iterations: Int = 3000, folds k: Int = 5) {
        let labelled = records.filter { $0.label != nil }
        let index = Dictionary(pack.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Each record as (rule, share) pairs, one per rule however many times it hit.
        let rows: [Row] = labelled.map { r in
            var shares: [Int: Double] = [:]
            for (k, id) in r.rules.enumerated() {
                guard let j = index[id] else { continue }
                shares[j] = max(shares[j] ?? 0, r.shares?[k] ?? 1)
            }
            return (shares.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, r.isScam)
        }
        recordCount = rows.count
        let n = pack.rules.count
        let review = pack.settings.thresholds.review
        let current = pack.rules.map(\.score)
        func confusion(_ rows: [Row], _ scores: [Double]) -> Confusion {
            var c = Confusion()
            for (x, y) in rows { c.add(actual: y, predicted: x.reduce(0) { $0 + scores[$1.0] * $1.1 } >= review) }
            return c
        }
        var before = Confusion(), after = Confusion()
        var perFold: [(before: Confusion, after: Confusion)] = []
        let folds = rows.count >= k ? k : 0
        for f in 0..<folds {
            var train: [Row] = [], test: [Row] = []
            for (i, row) in rows.enumerated() { if i % folds == f { test.append(row) } else { train.append(row) } }
            let fitted = Self.fit(train, n: n, current: current, review: review, lambda: lambda, iterations: iterations).scores
            let fb = confusion(test, current), fa = confusion(test, fitted)
            perFold.append((fb, fa))
            before.tp += fb.tp; before.fp += fb.fp; before.fn += fb.fn; before.tn += fb.tn
            after.tp += fa.tp; after.fp += fa.fp; after.fn += fa.fn; after.tn += fa.tn
        }
        self.before = before
        self.after = after
        self.folds = perFold
        let all = Self.fit(rows, n: n, current: current, review: review, lambda: lambda, iterations: iterations)
        suggestions = (0..<n).map { j in
            Suggestion(rule: j, current: current[j], suggested: all.scores[j], support: all.support[j])
        }
    }

    /// Fits weights on `rows` and turns them into scores; rules that never fire keep theirs.
    private static func fit(_ rows: [Row], n: Int, current: [Double], review: Double, lambda: Double,
                            iterations: Int) -> (scores: [Double], support: [Int]) {
        var w = [Double](repeating: 0, count: n)
        var b = 0.0
        var support = [Int](repeating: 0, count: n)
        for (x, _) in rows { for (j, share) in x where share > 0 { support[j] += 1 } }
        // Batch gradient descent with a decaying step; the loss is convex.
        let m = Double(max(rows.count, 1))
        var gw = [Double](repeating: 0, count: n)
        for step in 0..<iterations {
            for j in 0..<n { gw[j] = 0 }
            var gb = 0.0
            for (x, y) in rows {
                var z = b
                for (j, share) in x { z += w[j] * share }
                let e = 1 / (1 + exp(-z)) - (y ? 1 : 0)
                gb += e
                for (j, share) in x { gw[j] += e * share }
            }
            let rate = 1.0 / (1 + Double(step) / 1000)
            b -= rate * gb / m
            for j in 0..<n where support[j] > 0 { w[j] -= rate * (gw[j] / m + lambda * w[j]) }
        }
        // Scores are weights scaled so that review = -bias (probability 0.5); a positive bias
        // (most records scams) would make every record flagged, so it falls back to 1 per unit.
        let scale = b < 0 ? review / -b : 1
        let scores = (0..<n).map { j in support[j] == 0 ? current[j] : min(100, max(-100, (w[j] * scale * 2).rounded() / 2)) }
        return (scores, support)
    }

    /// Rewrites the `score:` value of each changed rule in its file; returns the files changed.
    public static func write(_ suggestions: [Suggestion], pack: CompiledPack) throws -> [String] {
        var byFile: [String: [(SourceLocation, Double)]] = [:]
        for s in suggestions where s.suggested != s.current {
            guard let location = pack.rules[s.rule].scoreLocation else { continue }
            byFile[location.file, default: []].append((location, s.suggested))
        }
        for (file, edits) in byFile {
            var lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
            for (location, score) in edits {
                let line = lines[location.line - 1]
                let chars = Array(line)
                let start = location.column - 1
                var end = start
                while end < chars.count && !chars[end].isWhitespace && chars[end] != "#" { end += 1 }
                lines[location.line - 1] = String(chars[..<start]) + formatScore(score) + String(chars[end...])
            }
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        }
        return byFile.keys.sorted()
    }
}
