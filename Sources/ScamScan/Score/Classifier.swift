import Matcher

/// Scores records against a compiled pack. One per thread: it owns the match scratch and the
/// folding buffers, so classifying a record does not allocate once warmed up.
public final class Classifier {
    public let pack: CompiledPack
    public var thresholds: Thresholds
    private let scratch: MatchScratch
    private var folded = FoldedText()
    private var patternHits: [PatternHit] = []
    private var limitedPatterns: [Int] = []

    public init(pack: CompiledPack, thresholds: Thresholds? = nil, limits: MatchLimits = .default) {
        self.pack = pack
        self.thresholds = thresholds ?? pack.settings.thresholds
        self.scratch = MatchScratch(limits: limits)
    }

    /// Classifies one record's text into `result` (cleared first).
    /// - Complexity: one matcher scan per view in use; folding is O(n).
    public func classify(_ text: UnsafeRawBufferPointer, into result: inout Classification) {
        result.hits.removeAll(keepingCapacity: true)
        result.limited.removeAll(keepingCapacity: true)
        let raw = pack.raw
        if !raw.ruleIndices.isEmpty {
            raw.matcher.scan(text, scratch: scratch, hits: &patternHits, limited: &limitedPatterns)
            for hit in patternHits {
                result.hits.append(RuleHit(rule: raw.ruleIndices[hit.pattern], start: hit.start, end: hit.end))
            }
            for p in limitedPatterns { result.limited.append(raw.ruleIndices[p]) }
        }
        let view = pack.folded
        if !view.ruleIndices.isEmpty {
            folded.fold(text)
            folded.bytes.withUnsafeBytes { bytes in
                view.matcher.scan(bytes, scratch: scratch, hits: &patternHits, limited: &limitedPatterns)
            }
            for hit in patternHits {
                let span = folded.rawSpan(start: hit.start, end: hit.end)
                result.hits.append(RuleHit(rule: view.ruleIndices[hit.pattern], start: span.start, end: span.end))
            }
            for p in limitedPatterns { result.limited.append(view.ruleIndices[p]) }
        }
        if !raw.ruleIndices.isEmpty && !view.ruleIndices.isEmpty {
            result.hits.sort { $0.rule < $1.rule }
            result.limited.sort()
        }
        var score = 0.0
        for hit in result.hits { score += pack.rules[hit.rule].score }
        result.score = score
        result.verdict = Verdict(score: score, thresholds: thresholds)
    }

    /// Whether `rule`'s own pattern matches `text` in the rule's view; for lint and tests.
    public func ruleMatches(_ ruleIndex: Int, _ text: String) -> MatchResult {
        let rule = pack.rules[ruleIndex]
        let view = rule.view == .raw ? pack.raw : pack.folded
        guard let p = view.ruleIndices.firstIndex(of: ruleIndex) else { return .noMatch }
        let pattern = view.matcher.patterns[p]
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buf -> MatchResult in
            let raw = UnsafeRawBufferPointer(buf)
            if rule.view == .raw { return pattern.firstMatch(in: raw, scratch: scratch) }
            folded.fold(raw)
            let r = folded.bytes.withUnsafeBytes { pattern.firstMatch(in: $0, scratch: scratch) }
            if case let .match(s, e) = r {
                let span = folded.rawSpan(start: s, end: e)
                return .match(start: span.start, end: span.end)
            }
            return r
        }
    }
}
