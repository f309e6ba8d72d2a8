import Foundation

/// Fits rule scores to a labelled corpus: L2-regularised logistic regression on which rules hit
/// each record, scaled so that the pack's review threshold is the 50% point. Trained on 80% of the
/// records and judged on the other 20% (every fifth labelled record, a fixed split).
///
/// A rule's input is the share of its score the hit added: 1 for most rules, the mapped
/// probability's share for a `model` rule (0 to `max_share`), so the model rule's score is fitted
/// along with the others and a record scores `sum(score x share)` before and after.
public struct Tuning: Sendable {
    public struct Suggestion: Sendable {
        public var rule: Int
        public var current: Double
        public var suggested: Double
        /// Records of the training split the rule hit.
        public var support: Int
    }
    public var suggestions: [Suggestion]
    /// On the held-out split, at the pack's thresholds.
    public var before: Confusion
    public var after: Confusion
    public var trainCount: Int
    public var testCount: Int

    /// - Complexity: O(iterations × records × hits per record).
    public init(records: [RecordOutcome], pack: CompiledPack, lambda: Double = 0.0003, iterations: Int = 3000) {
        let labelled = records.filter { $0.label != nil }
        let index = Dictionary(uniqueKeysWithValues: pack.rules.enumerated().map { ($1.id, $0) })
        // Each record as (rule, share) pairs, one per rule however many times it hit.
        let rows: [([(Int, Double)], Bool)] = labelled.map { r in
            var shares: [Int: Double] = [:]
            for (k, id) in r.rules.enumerated() {
                guard let j = index[id] else { continue }
                shares[j] = max(shares[j] ?? 0, r.shares?[k] ?? 1)
            }
            return (shares.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, r.isScam)
        }
        var train: [([(Int, Double)], Bool)] = []
        var test: [([(Int, Double)], Bool, RecordOutcome)] = []
        for (k, row) in rows.enumerated() {
            if k % 5 == 4 { test.append((row.0, row.1, labelled[k])) } else { train.append(row) }
        }
        trainCount = train.count
        testCount = test.count
        let n = pack.rules.count
        var w = [Double](repeating: 0, count: n)
        var b = 0.0
        var support = [Int](repeating: 0, count: n)
        for (x, _) in train { for (j, share) in x where share > 0 { support[j] += 1 } }
        // Batch gradient descent with a decaying step; the loss is convex.
        let m = Double(max(train.count, 1))
        for step in 0..<iterations {
            var gw = [Double](repeating: 0, count: n)
            var gb = 0.0
            for (x, y) in train {
                var z = b
                for (j, share) in x { z += w[j] * share }
                let p = 1 / (1 + exp(-z))
                let e = p - (y ? 1 : 0)
                gb += e
                for (j, share) in x { gw[j] += e * share }
            }
            let rate = 1.0 / (1 + Double(step) / 1000)
            b -= rate * gb / m
            for j in 0..<n where support[j] > 0 { w[j] -= rate * (gw[j] / m + lambda * w[j]) }
        }
        let review = pack.settings.thresholds.review
        // Scores are weights scaled so that review = -bias (probability 0.5); a positive bias
        // (most records scams) would make every record flagged, so it falls back to 1 per unit.
        let scale = b < 0 ? review / -b : 1
        suggestions = pack.rules.enumerated().map { j, rule in
            let suggested = support[j] == 0 ? rule.score : min(100, max(-100, (w[j] * scale * 2).rounded() / 2))
            return Suggestion(rule: j, current: rule.score, suggested: suggested, support: support[j])
        }
        func confusion(_ scores: [Double]) -> Confusion {
            var c = Confusion()
            for (x, y, _) in test {
                let score = x.reduce(0) { $0 + scores[$1.0] * $1.1 }
                c.add(actual: y, predicted: score >= review)
            }
            return c
        }
        before = confusion(pack.rules.map(\.score))
        after = confusion(suggestions.map(\.suggested))
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
