/// The plain loop: every pattern, PCRE2 JIT, every subject.
///
/// It is the reference the prefiltering engine is tested against (its answers are the
/// ground truth) and the baseline benchmarks compare with.
public struct NaiveMatcher: MultiMatcher {
    public let patterns: [CompiledPattern]

    public init(_ specs: [PatternSpec]) throws(PatternSetError) {
        self.patterns = try Self.compileAll(specs)
    }

    public init(compiled: [CompiledPattern]) {
        self.patterns = compiled
    }

    public func scan(
        _ subject: UnsafeRawBufferPointer, scratch: MatchScratch,
        hits: inout [PatternHit], limited: inout [Int]
    ) {
        hits.removeAll(keepingCapacity: true)
        limited.removeAll(keepingCapacity: true)
        for index in patterns.indices {
            switch patterns[index].firstMatch(in: subject, scratch: scratch) {
            case let .match(start, end):
                hits.append(PatternHit(pattern: index, start: start, end: end))
            case .noMatch:
                break
            case .limitExceeded, .error:
                limited.append(index)
            }
        }
    }
}
