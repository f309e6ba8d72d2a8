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
    private let alwaysRunIndices: [Int]
    private let atomPatterns: [[Int32]]
    private let idTrees: [IDTree]

    indirect enum IDTree {
        case all
        case atom(Int)
        case and([IDTree])
        case or([IDTree])

        @inline(__always)
        func holds(_ stamps: UnsafeMutableBufferPointer<UInt32>, _ gen: UInt32) -> Bool {
            switch self {
            case .all: return true
            case let .atom(a): return stamps[a] == gen
            case let .and(xs): return xs.allSatisfy { $0.holds(stamps, gen) }
            case let .or(xs): return xs.contains { $0.holds(stamps, gen) }
            }
        }
    }

    public convenience init(_ specs: [PatternSpec], budget: ExtractionBudget = ExtractionBudget()) throws(PatternSetError) {
        let compiled = try NaiveMatcher.compileAll(specs)
        self.init(compiled: compiled, budget: budget)
    }

    public init(compiled: [CompiledPattern], budget: ExtractionBudget = ExtractionBudget()) {
        patterns = compiled
        let extractor = LiteralExtractor(budget: budget)
        var trees: [LiteralTree] = []
        var always: [(Int, String)] = []
        for (index, pattern) in compiled.enumerated() {
            do {
                let node = try PatternParser.parse(pattern.pattern, caseless: pattern.options.contains(.caseless))
                let tree = extractor.tree(for: node)
                if tree == .all {
                    always.append((index, "no literal of \(budget.minAtomLength)+ bytes that every match must contain"))
                }
                trees.append(tree)
            } catch {
                always.append((index, error.description))
                trees.append(.all)
            }
        }
        self.trees = trees
        alwaysRun = always
        alwaysRunIndices = always.map(\.0)
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
        func convert(_ t: LiteralTree) -> IDTree {
            switch t {
            case .all: return .all
            case let .atom(a): return .atom(id(a))
            case let .and(xs): return .and(xs.map(convert))
            case let .or(xs): return .or(xs.map(convert))
            }
        }
        idTrees = trees.map(convert)
        for (p, tree) in trees.enumerated() {
            for a in Set(tree.atoms) where !atomPatterns[id(a)].contains(Int32(p)) { atomPatterns[id(a)].append(Int32(p)) }
        }
        self.atomPatterns = atomPatterns
        searcher = AhoCorasick(atoms: atoms)
    }

    /// Prepares `scratch`'s stamp arrays for this matcher.
    @inline(__always)
    private func prepare(_ scratch: MatchScratch) {
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
        scratch.seenAtoms.removeAll(keepingCapacity: true)
        scratch.atomStamps.withUnsafeMutableBufferPointer { stamps in
            searcher.scan(subject) { atom, _ in
                if stamps[atom] != gen {
                    stamps[atom] = gen
                    scratch.seenAtoms.append(atom)
                }
            }
            if scratch.seenAtoms.isEmpty { return }
            scratch.patternStamps.withUnsafeMutableBufferPointer { seen in
                for atom in scratch.seenAtoms {
                    for p in atomPatterns[atom] where seen[Int(p)] != gen {
                        seen[Int(p)] = gen
                        if idTrees[Int(p)].holds(stamps, gen) { scratch.candidates.append(Int(p)) }
                    }
                }
            }
        }
        if !alwaysRunIndices.isEmpty { scratch.candidates.append(contentsOf: alwaysRunIndices) }
        if scratch.candidates.count > 1 { scratch.candidates.sort() }
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

    /// Calls `body` with the byte range of each line of `buffer` that some pattern matches, in
    /// order. `buffer` holds whole lines separated by `\n` (a final line may lack it).
    ///
    /// Without always-run patterns the DFA runs once over the whole buffer and only lines where
    /// an atom occurs are looked at; otherwise every line is checked.
    /// - Complexity: O(buffer) for the DFA, plus PCRE2 on candidate lines only.
    public func forEachMatchingLine(
        in buffer: UnsafeRawBufferPointer, scratch: MatchScratch, _ body: (Range<Int>) -> Void
    ) {
        guard let base = buffer.baseAddress else { return }
        let n = buffer.count
        func lineEnd(from i: Int) -> Int {
            guard i < n, let p = memchr(base + i, 0x0A, n - i) else { return n }
            return base.distance(to: UnsafeRawPointer(p))
        }
        if !alwaysRunIndices.isEmpty {
            var start = 0
            while start < n {
                let end = lineEnd(from: start)
                let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                if matchesAny(line, scratch: scratch) { body(start..<end) }
                start = end + 1
            }
            return
        }
        prepare(scratch)
        var current = -1..<(-1)   // the line being collected
        var lastEnd = -1          // end of the last line looked at ('\n' position)
        var gen = scratch.generation
        scratch.seenAtoms.removeAll(keepingCapacity: true)
        func finish(_ stamps: UnsafeMutableBufferPointer<UInt32>) {
            guard current.lowerBound >= 0 else { return }
            let line = UnsafeRawBufferPointer(rebasing: buffer[current])
            scratch.candidates.removeAll(keepingCapacity: true)
            scratch.patternStamps.withUnsafeMutableBufferPointer { seen in
                for atom in scratch.seenAtoms {
                    for p in atomPatterns[atom] where seen[Int(p)] != gen {
                        seen[Int(p)] = gen
                        if idTrees[Int(p)].holds(stamps, gen) { scratch.candidates.append(Int(p)) }
                    }
                }
            }
            scratch.seenAtoms.removeAll(keepingCapacity: true)
            guard !scratch.candidates.isEmpty else { return }
            scratch.stats.candidateRecords += 1
            if scratch.candidates.count > 1 { scratch.candidates.sort() }
            for p in scratch.candidates {
                scratch.stats.confirmations += 1
                switch patterns[p].firstMatch(in: line, scratch: scratch) {
                case .match:
                    body(current)
                    return
                case .noMatch: break
                case .limitExceeded, .error: scratch.stats.limitEvents += 1
                }
            }
        }
        scratch.atomStamps.withUnsafeMutableBufferPointer { stamps in
            searcher.scan(buffer) { atom, end in
                let at = end - 1  // last byte of the atom, inside its line
                if at >= current.upperBound || current.lowerBound < 0 {
                    finish(stamps)
                    var start = at
                    while start > lastEnd + 1 && base.load(fromByteOffset: start - 1, as: UInt8.self) != 0x0A { start -= 1 }
                    let stop = lineEnd(from: at)
                    current = start..<stop
                    lastEnd = stop
                    gen &+= 1
                    if gen >= UInt32.max - 1 {
                        for k in stamps.indices { stamps[k] = 0 }
                        scratch.patternStamps = [UInt32](repeating: 0, count: scratch.patternStamps.count)
                        gen = 1
                    }
                }
                if stamps[atom] != gen {
                    stamps[atom] = gen
                    scratch.seenAtoms.append(atom)
                }
            }
            finish(stamps)
        }
        scratch.generation = gen
    }
}
