import ScanSupport
import Normalise
import Model

/// The features that pushed a message's score up most: how a model hit explains itself.
public enum ModelEvidence {
    public struct Feature: Sendable {
        public var kind: FeatureKind
        public var text: String
        /// Weight × value, summed over the feature's occurrences.
        public var contribution: Double
        /// Folded-view spans of its occurrences (none for message-wide traits).
        public var spans: [(Int, Int)]
    }

    /// The features with the largest positive contribution, strongest first (ties by text, so
    /// the evidence is the same every run): up to `limit` in all, of which at most two are
    /// message-wide traits, so that the words and n-grams with their spans are always shown.
    /// - Complexity: O(f log f) for f features, on a hit only.
    public static func strongest(_ f: TextFeaturizer, model: TextModel, limit: Int) -> [Feature] {
        var byName: [String: Int] = [:]
        var features: [Feature] = []
        for (k, t) in f.traced.enumerated() {
            let c = Double(model.weights[t.slot] * f.values[k])
            let key = "\(t.kind.rawValue)\u{0}\(t.text)"
            let span: [(Int, Int)] = t.end > t.start ? [(t.start, t.end)] : []
            if let i = byName[key] {
                features[i].contribution += c
                features[i].spans += span
            } else {
                byName[key] = features.count
                features.append(Feature(kind: t.kind, text: t.text, contribution: c, spans: span))
            }
        }
        let stronger = { (a: Feature, b: Feature) in a.contribution != b.contribution ? a.contribution > b.contribution : a.text < b.text }
        let ranked = features.filter { $0.contribution > 0.01 }.sorted(by: stronger)
        let text = ranked.filter { $0.kind != .trait }.prefix(max(1, limit - 2))
        let traits = ranked.filter { $0.kind == .trait }.prefix(limit - text.count)
        return (Array(text) + Array(traits)).sorted(by: stronger)
    }
}
