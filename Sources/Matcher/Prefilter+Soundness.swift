/// The prefilter's invariant, as a check anyone can run: for any patterns PCRE2 accepts and any
/// subject, the prefiltering engine finds exactly what PCRE2 alone finds (same patterns, same
/// first-match spans, same "any match" answer). Fuzzing (`make fuzz`, target `fuzz-pattern`)
/// and the differential tests call it.
public enum PrefilterSoundness {
    /// A description of the first disagreement, or nil. Patterns PCRE2 rejects are left out;
    /// patterns that hit the match limit on the subject are compared only where both engines
    /// finished.
    public static func violation(patterns: [String], subject: [UInt8], limits: MatchLimits = MatchLimits(matchSteps: 100_000)) -> String? {
        let compiled = patterns.compactMap { try? CompiledPattern($0) }
        guard !compiled.isEmpty else { return nil }
        let prefilter = PrefilterMatcher(compiled: compiled)
        let naive = NaiveMatcher(compiled: compiled)
        let scratch = MatchScratch(limits: limits)
        var fast: [PatternHit] = [], slow: [PatternHit] = []
        var fastLimited: [Int] = [], slowLimited: [Int] = []
        var anyFast = false, anySlow = false
        subject.withUnsafeBytes { s in
            prefilter.scan(s, scratch: scratch, hits: &fast, limited: &fastLimited)
            naive.scan(s, scratch: scratch, hits: &slow, limited: &slowLimited)
            anyFast = prefilter.matchesAny(s, scratch: scratch)
            anySlow = naive.matchesAny(s, scratch: scratch)
        }
        let skip = Set(fastLimited + slowLimited)
        let a = Set(fast.filter { !skip.contains($0.pattern) })
        let b = Set(slow.filter { !skip.contains($0.pattern) })
        if a != b {
            return "prefilter found \(a.sorted { $0.pattern < $1.pattern }), PCRE2 alone \(b.sorted { $0.pattern < $1.pattern }) for \(patterns)"
        }
        if skip.isEmpty && anyFast != anySlow {
            return "matchesAny: prefilter \(anyFast), PCRE2 alone \(anySlow) for \(patterns)"
        }
        return nil
    }
}
