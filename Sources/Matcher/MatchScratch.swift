import CPCRE2

/// Limits that keep one catastrophic pattern from stalling a stream.
public struct MatchLimits: Hashable, Sendable {
    /// PCRE2's match limit: the number of internal backtracking steps per match attempt.
    public var matchSteps: UInt32
    /// PCRE2's depth limit (interpreter only; JIT is bounded by its stack).
    public var depth: UInt32
    /// Heap memory for backtracking, in KiB (interpreter only).
    public var heapKiB: UInt32

    public init(matchSteps: UInt32 = 1_000_000, depth: UInt32 = 10_000, heapKiB: UInt32 = 20_000) {
        self.matchSteps = matchSteps
        self.depth = depth
        self.heapKiB = heapKiB
    }

    public static let `default` = MatchLimits()
}

/// Per-thread match state: PCRE2 match data, match context with limits, and a JIT stack.
///
/// Compiled patterns are shared; a scratch is not (Hyperscan's database vs scratch). Make one
/// per thread and reuse it for every subject: matching never allocates.
public final class MatchScratch {
    @usableFromInline let matchData: OpaquePointer
    @usableFromInline let context: OpaquePointer
    /// For whole-buffer scans: the same limits, 64 times larger (one call covers many lines).
    @usableFromInline let bufferContext: OpaquePointer
    private let jitStack: OpaquePointer?
    public let limits: MatchLimits

    /// Counters for `--stats`.
    public struct Stats: Sendable {
        /// Subjects (lines, records) on which at least one pattern had to be confirmed.
        public var candidateRecords = 0
        /// PCRE2 match attempts made.
        public var confirmations = 0
        /// Attempts that hit a match limit.
        public var limitEvents = 0
        public init() {}
    }
    public var stats = Stats()

    // Prefilter state, sized by the matcher that uses this scratch.
    var atomStamps: [UInt32] = []
    var patternStamps: [UInt32] = []
    var generation: UInt32 = 0
    var seenAtoms: [Int] = []
    var events: [Int32] = []
    var candidates: [Int] = []

    /// A valid address to pass for an empty subject (whose buffer may have no base address).
    @usableFromInline let emptySubject: UnsafeMutablePointer<UInt8>

    public init(limits: MatchLimits = .default) {
        // One ovector pair: we only need the overall match span. A pattern with groups
        // still matches (pcre2_match returns 0 for "ovector too small").
        guard let data = pcre2_match_data_create_8(1, nil),
              let context = pcre2_match_context_create_8(nil),
              let bufferContext = pcre2_match_context_create_8(nil)
        else { fatalError("PCRE2 could not allocate match data (out of memory)") }
        self.matchData = data
        self.context = context
        self.bufferContext = bufferContext
        self.limits = limits
        emptySubject = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        emptySubject.initialize(to: 0)
        pcre2_set_match_limit_8(context, limits.matchSteps)
        pcre2_set_depth_limit_8(context, limits.depth)
        pcre2_set_heap_limit_8(context, limits.heapKiB)
        pcre2_set_match_limit_8(bufferContext, limits.matchSteps.multipliedReportingOverflow(by: 64).overflow ? UInt32.max : limits.matchSteps * 64)
        pcre2_set_depth_limit_8(bufferContext, limits.depth)
        pcre2_set_heap_limit_8(bufferContext, limits.heapKiB)
        // 32 KiB default JIT stack is too small for real patterns; 1 MiB max.
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack {
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
            pcre2_jit_stack_assign_8(bufferContext, nil, UnsafeMutableRawPointer(jitStack))
        }
    }

    deinit {
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(context)
        pcre2_match_context_free_8(bufferContext)
        pcre2_match_data_free_8(matchData)
        emptySubject.deallocate()
    }
}
