#if canImport(Glibc)
import Glibc
#endif

/// One pattern of a set, as the caller numbered it.
public struct PatternSpec: Hashable, Sendable {
    public var pattern: String
    public var options: PatternOptions
    public init(_ pattern: String, options: PatternOptions = []) {
        self.pattern = pattern
        self.options = options
    }
}

/// What a scan reports for one pattern on one subject.
public struct PatternHit: Hashable, Sendable {
    /// Index of the pattern in the set it was compiled from.
    public var pattern: Int
    /// Byte offsets of the first match, into the subject as given.
    public var start: Int
    public var end: Int
    public init(pattern: Int, start: Int, end: Int) {
        self.pattern = pattern
        self.start = start
        self.end = end
    }
}

/// The contract every multi-pattern engine keeps: given one subject, report each pattern of the
/// set that matches it (its first match), in pattern order, and each pattern whose match limit ran
/// out. An engine may skip work (a prefilter) but never a pattern PCRE2 alone would match.
public protocol MultiMatcher: Sendable {
    /// The compiled patterns, in the order of the specs they came from.
    var patterns: [CompiledPattern] { get }

    /// Scans `subject`; clears and fills `hits` and `limited` (indices of patterns that gave up).
    ///
    /// - Complexity: at most one bounded PCRE2 attempt per pattern; no allocation once `hits`
    ///   and `limited` have grown to their working size.
    func scan(
        _ subject: UnsafeRawBufferPointer, scratch: MatchScratch,
        hits: inout [PatternHit], limited: inout [Int]
    )

    /// Whether any pattern matches `subject`; may stop at the first that does.
    func matchesAny(_ subject: UnsafeRawBufferPointer, scratch: MatchScratch) -> Bool

    /// Calls `body` with the byte range of each line of `buffer` that some pattern matches, in
    /// order. The lines are `buffer` split at `\n`: a buffer always holds at least one line, and
    /// a trailing `\n` starts a last, empty line (callers strip the final line end).
    func forEachMatchingLine(in buffer: UnsafeRawBufferPointer, scratch: MatchScratch, _ body: (Range<Int>) -> Void)
}

extension MultiMatcher {
    /// Line by line: split at `\n`, ask `matchesAny` of each line.
    public func forEachMatchingLine(in buffer: UnsafeRawBufferPointer, scratch: MatchScratch, _ body: (Range<Int>) -> Void) {
        guard let base = buffer.baseAddress else { return }
        let n = buffer.count
        var start = 0
        while start <= n {  // "" is one empty line; "a\n" is "a" and ""
            var end = n
            if let p = memchr(base + start, 0x0A, n - start) { end = base.distance(to: UnsafeRawPointer(p)) }
            if matchesAny(UnsafeRawBufferPointer(rebasing: buffer[start..<end]), scratch: scratch) { body(start..<end) }
            start = end + 1
        }
    }
}

/// Errors of a whole set: each failing pattern's index and PCRE2's error.
public struct PatternSetError: Error, Sendable {
    public var failures: [(index: Int, error: PatternError)]
}

extension MultiMatcher {
    /// Compiles `specs` in order, collecting every failure rather than stopping at the first.
    static func compileAll(_ specs: [PatternSpec]) throws(PatternSetError) -> [CompiledPattern] {
        var compiled: [CompiledPattern] = []
        compiled.reserveCapacity(specs.count)
        var failures: [(index: Int, error: PatternError)] = []
        for (index, spec) in specs.enumerated() {
            do {
                compiled.append(try CompiledPattern(spec.pattern, options: spec.options))
            } catch {
                failures.append((index, error))
            }
        }
        if !failures.isEmpty { throw PatternSetError(failures: failures) }
        return compiled
    }
}
