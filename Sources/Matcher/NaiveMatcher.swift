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

    public func matchesAny(_ subject: UnsafeRawBufferPointer, scratch: MatchScratch) -> Bool {
        scratch.stats.candidateRecords += 1
        for pattern in patterns {
            scratch.stats.confirmations += 1
            switch pattern.firstMatch(in: subject, scratch: scratch) {
            case .match: return true
            case .noMatch: break
            case .limitExceeded, .error: scratch.stats.limitEvents += 1
            }
        }
        return false
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
