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

/// Messages turned into features once, in compressed sparse rows, with their labels and sources.
public struct FeatureMatrix: Sendable {
    public let settings: FeatureSettings
    /// Row r's features are `slots[offsets[r]..<offsets[r + 1]]` with `values` alike.
    var offsets: [Int] = [0]
    var slots: [Int32] = []
    var values: [Float] = []
    public private(set) var labels: [Bool] = []
    /// Index into `sources` for each row.
    public private(set) var sourceOf: [Int] = []
    public private(set) var sources: [String] = []

    public var count: Int { labels.count }

    /// Folds each message and extracts its features as the classifier does.
    /// - Complexity: O(total bytes, each message capped at `settings.maxBytes`).
    public init(_ messages: [LabelledMessage], settings: FeatureSettings) {
        self.settings = settings
        var featurizer = TextFeaturizer(settings: settings)
        var folded = FoldedText()
        var links: [Link] = []
        var sourceIndex: [String: Int] = [:]
        for m in messages {
            m.text.withUnsafeBytes { raw in
                MessageFeatures.extract(raw: raw, folded: &folded, links: &links, featurizer: &featurizer)
            }
            append(featurizer)
            labels.append(m.scam)
            if let k = sourceIndex[m.source] {
                sourceOf.append(k)
            } else {
                sourceIndex[m.source] = sources.count
                sourceOf.append(sources.count)
                sources.append(m.source)
            }
        }
    }

    private mutating func append(_ f: TextFeaturizer) {
        slots += f.slots
        values += f.values
        offsets.append(slots.count)
    }
}

/// L2-regularised, class-balanced logistic regression over a `FeatureMatrix`, fitted with
/// L-BFGS: deterministic for a given matrix (one thread, a fixed order of every sum), and the
/// loss is strictly convex, so the optimum does not depend on where the search starts.
public struct Trainer: Sendable {
    /// Strength of the L2 penalty on the weights (the bias is not penalised).
    public var lambda: Double = 1e-5
    public var maxIterations = 300
    /// Stop when the gradient's largest component is below this.
    public var tolerance = 1e-6

    public init(lambda: Double = 1e-5, maxIterations: Int = 300) {
        self.lambda = lambda
        self.maxIterations = maxIterations
    }

    public struct Fit: Sendable {
        public var bias: Double
        public var weights: [Float]
        public var iterations: Int
        public init(bias: Double, weights: [Float], iterations: Int) {
            self.bias = bias
            self.weights = weights
            self.iterations = iterations
        }
    }

    /// Fits on `rows` of `data` (all rows when nil). With `prior`, the penalty pulls the weights
    /// towards the prior's instead of towards zero and the bias stays the prior's: this is
    /// `learn --update`, where only the features of the new messages move.
    /// Classes are balanced: each class weighs half of the loss, however many messages it has.
    public func fit(_ data: FeatureMatrix, rows: [Int]? = nil, prior: TextModel? = nil) -> Fit {
        let rows = rows ?? Array(0..<data.count)
        // The slots the rows use, renumbered densely: other weights keep their start value.
        var dense = [Int32](repeating: -1, count: 1 << data.settings.bits)
        var used: [Int32] = []
        for r in rows {
            for k in data.offsets[r]..<data.offsets[r + 1] where dense[Int(data.slots[k])] < 0 {
                dense[Int(data.slots[k])] = Int32(used.count)
                used.append(data.slots[k])
            }
        }
        let positives = rows.reduce(0) { $0 + (data.labels[$1] ? 1 : 0) }
        let negatives = rows.count - positives
        let classWeight = (scam: positives == 0 ? 0 : 0.5 / Double(positives), ham: negatives == 0 ? 0 : 0.5 / Double(negatives))
        let d = used.count
        // Variables: d weights, then the bias.
        let centre: [Double] = prior.map { p in used.map { Double(p.weights[Int($0)]) } } ?? [Double](repeating: 0, count: d)
        var x = centre + [prior?.bias ?? 0]
        let fixBias = prior != nil
        let lambda = self.lambda
        var margins = [Double](repeating: 0, count: rows.count)
        // Row data renumbered once.
        var rowSlots: [[Int32]] = []
        rowSlots.reserveCapacity(rows.count)
        for r in rows { rowSlots.append(data.slots[data.offsets[r]..<data.offsets[r + 1]].map { dense[Int($0)] }) }
        let rowValues: [[Double]] = rows.map { r in data.values[data.offsets[r]..<data.offsets[r + 1]].map(Double.init) }
        let rowWeight = rows.map { data.labels[$0] ? classWeight.scam : classWeight.ham }
        let rowTarget = rows.map { data.labels[$0] ? 1.0 : 0.0 }

        func objective(_ x: [Double], _ g: inout [Double]) -> Double {
            for k in g.indices { g[k] = 0 }
            var loss = 0.0
            let b = x[d]
            for i in rowSlots.indices {
                var z = b
                let s = rowSlots[i], v = rowValues[i]
                for k in s.indices { z += x[Int(s[k])] * v[k] }
                margins[i] = z
                // log(1 + e^z) - t z, computed without overflow.
                let t = rowTarget[i]
                let softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
                loss += rowWeight[i] * (softplus - t * z)
                let p = 1 / (1 + exp(-z))
                let e = rowWeight[i] * (p - t)
                for k in s.indices { g[Int(s[k])] += e * v[k] }
                if !fixBias { g[d] += e }
            }
            var penalty = 0.0
            for j in 0..<d {
                let delta = x[j] - centre[j]
                penalty += delta * delta
                g[j] += lambda * delta
            }
            return loss + 0.5 * lambda * penalty
        }

        let iterations = LBFGS.minimize(&x, maxIterations: maxIterations, tolerance: tolerance, objective)
        var weights = prior?.weights ?? [Float](repeating: 0, count: 1 << data.settings.bits)
        for (j, slot) in used.enumerated() { weights[Int(slot)] = Float(x[j]) }
        return Fit(bias: x[d], weights: weights, iterations: iterations)
    }
}

/// Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking line search on the
/// Armijo condition; enough for a smooth convex loss.
enum LBFGS {
    /// Minimises `f` from `x`, in place; returns the iterations taken.
    static func minimize(_ x: inout [Double], maxIterations: Int, tolerance: Double, memory: Int = 10,
                         _ f: ([Double], inout [Double]) -> Double) -> Int {
        let n = x.count
        var g = [Double](repeating: 0, count: n)
        var fx = f(x, &g)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var alpha = [Double](repeating: 0, count: memory)
        var trial = [Double](repeating: 0, count: n)
        var gTrial = [Double](repeating: 0, count: n)
        for iteration in 0..<maxIterations {
            var gMax = 0.0
            for v in g { gMax = max(gMax, abs(v)) }
            if gMax < tolerance { return iteration }
            // Two-loop recursion: direction = -H g.
            for k in 0..<n { direction[k] = -g[k] }
            for m in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[m] = rho[m] * dot(s[m], direction)
                axpy(-alpha[m], y[m], &direction)
            }
            if let lastS = s.last, let lastY = y.last {
                let gamma = dot(lastS, lastY) / dot(lastY, lastY)
                for k in 0..<n { direction[k] *= gamma }
            } else {
                let norm = dot(g, g).squareRoot()
                for k in 0..<n { direction[k] /= max(norm, 1e-12) }
            }
            for m in 0..<s.count {
                let beta = rho[m] * dot(y[m], direction)
                axpy(alpha[m] - beta, s[m], &direction)
            }
            var slope = dot(g, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                s.removeAll(); y.removeAll(); rho.removeAll()
                for k in 0..<n { direction[k] = -g[k] }
                slope = dot(g, direction)
            }
            var step = 1.0
            var fTrial = 0.0
            var accepted = false
            for _ in 0..<40 {
                for k in 0..<n { trial[k] = x[k] + step * direction[k] }
                fTrial = f(trial, &gTrial)
                if fTrial <= fx + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { return iteration }
            var sk = [Double](repeating: 0, count: n), yk = [Double](repeating: 0, count: n)
            for k in 0..<n {
                sk[k] = trial[k] - x[k]
                yk[k] = gTrial[k] - g[k]
            }
            let sy = dot(sk, yk)
            let improvement = fx - fTrial
            swap(&x, &trial)
            swap(&g, &gTrial)
            fx = fTrial
            if sy > 1e-12 {
                if s.count == memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
                s.append(sk); y.append(yk); rho.append(1 / sy)
            }
            if improvement <= 1e-12 * max(1, abs(fx)) { return iteration + 1 }
        }
        return maxIterations
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for k in a.indices { sum += a[k] * b[k] }
        return sum
    }

    private static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        for k in x.indices { y[k] += a * x[k] }
    }
}
