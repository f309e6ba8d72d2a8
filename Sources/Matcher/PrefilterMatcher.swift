#if canImport(Glibc)
import Glibc
#endif

/// The multi-pattern engine: a literal prefilter in front of PCRE2 JIT.
///
/// 1. Each pattern is parsed (`PatternParser`) and the literals any match must contain are
///    extracted as an AND/OR tree (`LiteralExtractor`). A pattern we cannot parse, or whose tree
///    is `.all` (no required literal of 3+ bytes), goes to the always-run set, with the reason.
/// 2. All atoms of all trees go into one Aho-Corasick DFA; a subject is scanned once.
/// 3. A pattern whose tree holds on the atoms found is a candidate; candidates and the
///    always-run patterns are confirmed by PCRE2 on that subject only.
///
/// **Invariant (soundness): the prefilter never removes a (subject, pattern) pair that PCRE2
/// alone would match.** Every atom of a pattern's tree is a byte string that any match must
/// contain, so a pattern whose tree fails on a subject cannot match it. Tests check this
/// differentially against `NaiveMatcher` (Tests/MatcherTests/PrefilterSoundnessTests.swift).
public final class PrefilterMatcher: MultiMatcher, @unchecked Sendable {
    // SAFETY: all stored properties are immutable after init; per-scan state lives in MatchScratch.
    public let patterns: [CompiledPattern]
    /// Each pattern's literal condition (`.all` for always-run patterns).
    public let trees: [LiteralTree]
    /// Patterns that run on every subject, in order, with why.
    public let alwaysRun: [(pattern: Int, reason: String)]
    public let searcher: AhoCorasick
    let alwaysRunIndices: [Int]
    /// Always-run patterns that are line-safe, compiled with PCRE2_MULTILINE: in whole-buffer
    /// mode each runs over the buffer in one PCRE2 call per matching line instead of one per line.
    let bufferPatterns: [(pattern: Int, compiled: CompiledPattern)]
    /// Always-run patterns that must run line by line.
    let perLinePatterns: [Int]
    /// Always-run patterns with a byte-run requirement, grouped by byte set: one pass per group
    /// finds the lines with a long enough run; only those are confirmed, line by line.
    let runGroups: [(table: [Bool], minLength: Int, patterns: [(pattern: Int, length: Int)])]
    /// Shortest run worth filtering on: shorter runs are everywhere.
    static let minRunLength = 8
    /// A run filter pays off for classes of common text (`[a-z0-9]`); for rare bytes (digits, `!?`,
    /// emoji) PCRE2's own start-of-match search over the buffer is faster.
    static let minRunASCIIBytes = 20
    /// For each atom, the patterns whose tree mentions it: `atomPatternList[atomPatternStart[a]..<atomPatternStart[a+1]]`.
    let atomPatternStart: [Int32]
    let atomPatternList: [Int32]
    let program: TreeProgram

    public convenience init(_ specs: [PatternSpec], budget: ExtractionBudget = ExtractionBudget()) throws(PatternSetError) {
        let compiled = try NaiveMatcher.compileAll(specs)
        self.init(compiled: compiled, budget: budget)
    }

    public init(compiled: [CompiledPattern], budget: ExtractionBudget = ExtractionBudget()) {
        patterns = compiled
        let extractor = LiteralExtractor(budget: budget)
        var shortBudget = budget
        shortBudget.minAtomLength = min(budget.fallbackMinAtomLength, budget.minAtomLength)
        let fallback = LiteralExtractor(budget: shortBudget)
        var trees: [LiteralTree] = []
        var always: [(Int, String)] = []
        var buffer: [(Int, CompiledPattern)] = []
        var perLine: [Int] = []
        var runs: [ByteSet: [(Int, Int)]] = [:]
        for (index, pattern) in compiled.enumerated() {
            do {
                let (node, bufferPattern) = try PatternParser.parseWithLineSafety(pattern.pattern, caseless: pattern.options.contains(.caseless))
                var tree = extractor.tree(for: node)
                if tree == .all { tree = fallback.tree(for: node) }
                if tree == .all, let run = RunRequirement.of(node), run.length >= Self.minRunLength, !run.bytes.contains(0x0A),
                   run.bytes.asciiCount >= Self.minRunASCIIBytes {
                    runs[run.bytes, default: []].append((index, run.length))
                    always.append((index, "no literal of \(shortBudget.minAtomLength)+ bytes that every match must contain; checked only on lines with a run of \(run.length)+ bytes from its class"))
                } else if tree == .all {
                    var reason = "no literal of \(shortBudget.minAtomLength)+ bytes that every match must contain"
                    switch bufferPattern {
                    case let .success(text):
                        if let multi = try? CompiledPattern(text, options: pattern.options.union(.multiline)) {
                            buffer.append((index, multi))
                            reason += "; scanned over whole buffers"
                        } else {
                            perLine.append(index)
                            reason += "; runs on every line (its buffer form did not compile)"
                        }
                    case let .failure(why):
                        perLine.append(index)
                        reason += "; runs on every line (\(why.reason))"
                    }
                    always.append((index, reason))
                }
                trees.append(tree)
            } catch {
                always.append((index, error.description))
                perLine.append(index)
                trees.append(.all)
            }
        }
        self.trees = trees
        alwaysRun = always
        alwaysRunIndices = always.map(\.0)
        bufferPatterns = buffer
        perLinePatterns = perLine
        runGroups = runs.map { set, members in
            (set.table, members.map(\.1).min()!, members.sorted { $0.1 < $1.1 }.map { (pattern: $0.0, length: $0.1) })
        }.sorted { $0.patterns[0].pattern < $1.patterns[0].pattern }
        var atomIDs: [[UInt8]: Int] = [:]
        var atoms: [[UInt8]] = []
        var atomPatterns: [[Int32]] = []
        func id(_ a: [UInt8]) -> Int {
            if let x = atomIDs[a] { return x }
            atomIDs[a] = atoms.count
            atoms.append(a)
            atomPatterns.append([])
            return atoms.count - 1
        }
        var program = TreeProgram()
        for tree in trees { program.add(tree, atomID: id) }
        for (p, tree) in trees.enumerated() {
            for a in Set(tree.triggerAtoms) where !atomPatterns[id(a)].contains(Int32(p)) { atomPatterns[id(a)].append(Int32(p)) }
        }
        self.program = program
        var starts: [Int32] = [0]
        var list: [Int32] = []
        for ps in atomPatterns {
            list += ps
            starts.append(Int32(list.count))
        }
        atomPatternStart = starts
        atomPatternList = list
        searcher = AhoCorasick(atoms: atoms)
    }

    /// Appends to `found` every pattern that an atom in `seenAtoms` triggers and whose tree holds
    /// on the atoms stamped `gen` (`seen` marks the patterns already checked this generation).
    /// - Complexity: O(patterns triggered × tree size); no allocation once warm.
    @inline(__always)
    func collectCandidates(_ seenAtoms: [Int], _ stamps: UnsafePointer<UInt32>, _ gen: UInt32,
                           seen patternStamps: inout [UInt32], into found: inout [Int]) {
        program.code.withUnsafeBufferPointer { code in
            atomPatternStart.withUnsafeBufferPointer { starts in
                atomPatternList.withUnsafeBufferPointer { list in
                    program.roots.withUnsafeBufferPointer { roots in
                        patternStamps.withUnsafeMutableBufferPointer { seen in
                            for atom in seenAtoms {
                                for k in Int(starts[atom])..<Int(starts[atom + 1]) {
                                    let p = Int(list[k])
                                    if seen[p] == gen { continue }
                                    seen[p] = gen
                                    if treeHolds(code.baseAddress!, Int(roots[p]), stamps, gen) { found.append(p) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Prepares `scratch`'s stamp arrays for this matcher.
    @inline(__always)
    func prepare(_ scratch: MatchScratch) {
        if scratch.atomStamps.count < searcher.atoms.count || scratch.patternStamps.count < patterns.count
            || scratch.generation >= UInt32.max - 1 {
            scratch.atomStamps = [UInt32](repeating: 0, count: max(searcher.atoms.count, 1))
            scratch.patternStamps = [UInt32](repeating: 0, count: max(patterns.count, 1))
            scratch.generation = 0
        }
    }

    /// Finds the candidate patterns for `subject` into `scratch.candidates`, in pattern order.
    /// - Complexity: one DFA pass over the subject, plus tree checks for patterns whose atoms occur.
    @inline(__always)
    private func candidates(_ subject: UnsafeRawBufferPointer, _ scratch: MatchScratch) {
        prepare(scratch)
        scratch.generation &+= 1
        let gen = scratch.generation
        scratch.candidates.removeAll(keepingCapacity: true)
        var seenAtoms = scratch.seenAtoms
        var events = scratch.events
        scratch.seenAtoms = []
        scratch.events = []
        seenAtoms.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        searcher.scan(subject, into: &events)
        if !events.isEmpty {
            scratch.atomStamps.withUnsafeMutableBufferPointer { stamps in
                var k = 0
                while k < events.count {
                    let atom = Int(events[k])
                    if stamps[atom] != gen {
                        stamps[atom] = gen
                        seenAtoms.append(atom)
                    }
                    k += 2
                }
                collectCandidates(seenAtoms, UnsafePointer(stamps.baseAddress!), gen,
                                  seen: &scratch.patternStamps, into: &scratch.candidates)
            }
        }
        scratch.seenAtoms = seenAtoms
        scratch.events = events
        if !alwaysRunIndices.isEmpty { appendAlwaysRun(subject, to: &scratch.candidates) }
        if scratch.candidates.count > 1 { scratch.candidates.sort() }
    }

    /// The always-run patterns that can match `subject`: all but those of a run group whose
    /// required byte run is longer than any run in the subject.
    /// - Complexity: one byte loop over the subject per run group.
    @inline(__always)
    private func appendAlwaysRun(_ subject: UnsafeRawBufferPointer, to candidates: inout [Int]) {
        candidates.append(contentsOf: perLinePatterns)
        for (p, _) in bufferPatterns { candidates.append(p) }
        for group in runGroups {
            var run = 0, best = 0
            group.table.withUnsafeBufferPointer { table in
                for b in subject {
                    if table[Int(b)] {
                        run &+= 1
                        if run > best { best = run }
                    } else {
                        run = 0
                    }
                }
            }
            for (p, length) in group.patterns where length <= best { candidates.append(p) }
        }
    }

    public func scan(
        _ subject: UnsafeRawBufferPointer, scratch: MatchScratch,
        hits: inout [PatternHit], limited: inout [Int]
    ) {
        hits.removeAll(keepingCapacity: true)
        limited.removeAll(keepingCapacity: true)
        candidates(subject, scratch)
        if !scratch.candidates.isEmpty { scratch.stats.candidateRecords += 1 }
        for p in scratch.candidates {
            scratch.stats.confirmations += 1
            switch patterns[p].firstMatch(in: subject, scratch: scratch) {
            case let .match(start, end):
                hits.append(PatternHit(pattern: p, start: start, end: end))
            case .noMatch:
                break
            case .limitExceeded, .error:
                limited.append(p)
            }
        }
    }

    /// Whether any pattern matches `subject` (stops at the first confirmed one).
    @inline(__always)
    public func matchesAny(_ subject: UnsafeRawBufferPointer, scratch: MatchScratch) -> Bool {
        candidates(subject, scratch)
        if !scratch.candidates.isEmpty { scratch.stats.candidateRecords += 1 }
        for p in scratch.candidates {
            scratch.stats.confirmations += 1
            switch patterns[p].firstMatch(in: subject, scratch: scratch) {
            case .match: return true
            case .noMatch: break
            case .limitExceeded, .error: scratch.stats.limitEvents += 1
            }
        }
        return false
    }
}
