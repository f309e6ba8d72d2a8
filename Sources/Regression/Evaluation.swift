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

/// Figures a model earns on messages it was not trained on: k-fold cross-validation, and
/// held-out-by-source (train on every source but one, test on that one). Never on training data.
public struct Evaluation: Sendable {
    /// Precision and recall of one source's messages at one threshold.
    public struct Figures: Sendable, Equatable {
        public var source: String
        public var scam = 0
        public var ham = 0
        public var truePositives = 0
        public var falsePositives = 0
        /// Of the scams, how many were flagged; nil without scams.
        public var recall: Double? { scam == 0 ? nil : Double(truePositives) / Double(scam) }
        /// Of the flagged, how many were scams; nil when nothing was flagged.
        public var precision: Double? {
            truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
        }
        /// Of the ordinary messages, how many were flagged; nil without ham.
        public var falseAlarmRate: Double? { ham == 0 ? nil : Double(falsePositives) / Double(ham) }

        mutating func add(scam isScam: Bool, flagged: Bool) {
            if isScam { scam += 1; if flagged { truePositives += 1 } } else { ham += 1; if flagged { falsePositives += 1 } }
        }
    }

    public var threshold: Double
    /// Per source, then `all` (every message).
    public var kFold: [Figures]
    public var heldOutBySource: [Figures]
    public var folds: Int

    /// Which fold of `folds` row `row` is in: a fixed hash of the row and the seed.
    public static func fold(of row: Int, folds: Int, seed: UInt64) -> Int {
        Int(TextFeaturizer.finish(seed &+ UInt64(row) &* 0x9E37_79B9_7F4A_7C15) % UInt64(folds))
    }

    /// Runs both evaluations: `folds` trainings for the k-fold figures, one per source with
    /// both classes elsewhere for the held-out ones.
    /// - Complexity: (folds + sources) trainings.
    public init(data: FeatureMatrix, trainer: Trainer, threshold: Double, folds: Int = 5, seed: UInt64,
                progress: ((String) -> Void)? = nil) {
        self.threshold = threshold
        self.folds = folds
        let n = data.count
        var kFoldProbability = [Double](repeating: 0, count: n)
        let foldOf = (0..<n).map { Self.fold(of: $0, folds: folds, seed: seed) }
        for f in 0..<folds {
            progress?("cross-validation: fold \(f + 1) of \(folds)")
            let train = (0..<n).filter { foldOf[$0] != f }
            let fit = trainer.fit(data, rows: train)
            for r in 0..<n where foldOf[r] == f { kFoldProbability[r] = Self.probability(data, row: r, fit) }
        }
        kFold = Self.figures(data, probabilities: kFoldProbability, rows: Array(0..<n), threshold: threshold)
        var held: [Figures] = []
        var total = Figures(source: "all")
        for (s, source) in data.sources.enumerated() {
            let test = (0..<n).filter { data.sourceOf[$0] == s }
            let train = (0..<n).filter { data.sourceOf[$0] != s }
            guard train.contains(where: { data.labels[$0] }), train.contains(where: { !data.labels[$0] }) else { continue }
            progress?("held out by source: \(source)")
            let fit = trainer.fit(data, rows: train)
            var figures = Figures(source: source)
            for r in test {
                let flagged = Self.probability(data, row: r, fit) >= threshold
                figures.add(scam: data.labels[r], flagged: flagged)
                total.add(scam: data.labels[r], flagged: flagged)
            }
            held.append(figures)
        }
        heldOutBySource = held + [total]
    }

    /// The probability `fit` gives row `r` of `data`.
    public static func probability(_ data: FeatureMatrix, row r: Int, _ fit: Trainer.Fit) -> Double {
        var z = fit.bias
        for k in data.offsets[r]..<data.offsets[r + 1] { z += Double(fit.weights[Int(data.slots[k])] * data.values[k]) }
        return 1 / (1 + exp(-z))
    }

    static func figures(_ data: FeatureMatrix, probabilities: [Double], rows: [Int], threshold: Double) -> [Figures] {
        var bySource = data.sources.map { Figures(source: $0) }
        var total = Figures(source: "all")
        for r in rows {
            let flagged = probabilities[r] >= threshold
            bySource[data.sourceOf[r]].add(scam: data.labels[r], flagged: flagged)
            total.add(scam: data.labels[r], flagged: flagged)
        }
        return bySource + [total]
    }
}
