import CPCRE2

/// Options a pattern is compiled with, on top of the fixed UTF + UCP + invalid-UTF mode.
public struct PatternOptions: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Caseless matching, as `(?i)` at the start of the pattern.
    public static let caseless = PatternOptions(rawValue: 1 << 0)
    /// `^` and `$` also match at line starts and ends inside the subject (PCRE2_MULTILINE).
    public static let multiline = PatternOptions(rawValue: 1 << 1)
}

/// One compiled PCRE2 pattern: owns its `pcre2_code`, freed in `deinit`.
///
/// Every pattern is compiled with `PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF`:
/// - UTF and UCP make `.`, `\w`, `\b`, `\d` and caseless matching work on Unicode text;
/// - MATCH_INVALID_UTF lets a subject that is not valid UTF-8 be matched as it is: an
///   invalid byte is never matched by any pattern item (not even `.`), so it acts as a
///   barrier, and valid text on either side still matches. Subjects are never copied or
///   repaired, so match offsets are always byte offsets into the subject as given.
///
/// Then the pattern is JIT-compiled; where JIT is unavailable the interpreter is used.
public final class CompiledPattern: @unchecked Sendable {
    // SAFETY: `code` is written once in init and only read afterwards; PCRE2 documents
    // compiled patterns (and their JIT code) as shareable between threads for matching.
    @usableFromInline let code: OpaquePointer
    /// The pattern text as written.
    public let pattern: String
    public let options: PatternOptions
    /// Whether `pcre2_jit_compile` succeeded; matching then takes the JIT fast path.
    public let isJIT: Bool

    public init(_ pattern: String, options: PatternOptions = []) throws(PatternError) {
        var flags = UInt32(PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF)
        if options.contains(.caseless) { flags |= UInt32(PCRE2_CASELESS) }
        if options.contains(.multiline) { flags |= UInt32(PCRE2_MULTILINE) }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        var utf8 = Array(pattern.utf8)
        if utf8.isEmpty { utf8.append(0) }  // a valid base address; length stays 0
        let length = pattern.utf8.count
        // Newline is LF whatever PCRE2's build default: `.`, `$` and `^` must agree with how
        // inputs are split into lines.
        let context = pcre2_compile_context_create_8(nil)
        defer { pcre2_compile_context_free_8(context) }
        pcre2_set_newline_8(context, UInt32(PCRE2_NEWLINE_LF))
        let compiled = utf8.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress, length, flags, &errorCode, &errorOffset, context)
        }
        guard let compiled else {
            throw PatternError(code: errorCode, offset: errorOffset)
        }
        self.code = compiled
        self.pattern = pattern
        self.options = options
        self.isJIT = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }

    deinit { pcre2_code_free_8(code) }

    /// Finds the first match in `subject` at or after `startOffset`.
    ///
    /// - Complexity: bounded by the scratch's match limit, never unbounded backtracking.
    @inlinable
    public func firstMatch(
        in subject: UnsafeRawBufferPointer, from startOffset: Int = 0, scratch: MatchScratch, wholeBuffer: Bool = false
    ) -> MatchResult {
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(scratch.emptySubject)
        let context = wholeBuffer ? scratch.bufferContext : scratch.context
        let rc: Int32
        if isJIT {
            rc = pcre2_jit_match_8(code, base, subject.count, startOffset, 0, scratch.matchData, context)
        } else {
            rc = pcre2_match_8(code, base, subject.count, startOffset, 0, scratch.matchData, context)
        }
        if rc >= 0 {  // 0 means "matched, ovector too small for the groups": still a match
            let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
            return .match(start: ovector[0], end: ovector[1])
        }
        return MatchResult(failureCode: rc)
    }
}

/// The answer of one match attempt.
public enum MatchResult: Equatable, Sendable {
    case match(start: Int, end: Int)
    case noMatch
    /// The match, depth or heap limit (or the JIT stack) ran out: PCRE2 gave up on this
    /// subject. The caller decides what to report; the subject is not considered matched.
    case limitExceeded(PatternError)
    /// Any other match-time error (should not happen with the options used).
    case error(PatternError)

    @usableFromInline
    init(failureCode rc: Int32) {
        switch rc {
        case PCRE2_ERROR_NOMATCH, PCRE2_ERROR_PARTIAL:
            self = .noMatch
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
            self = .limitExceeded(PatternError(code: rc))
        default:
            self = .error(PatternError(code: rc))
        }
    }
}
