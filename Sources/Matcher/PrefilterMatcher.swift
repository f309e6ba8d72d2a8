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
    /// Always-run patterns that are line-safe, compiled with PCRE2_MULTILINE: in whole-buffer
    /// mode each runs over the buffer in one PCRE2 call per matching line instead of one per line.
    private let bufferPatterns: [(pattern: Int, compiled: CompiledPattern)]
    /// Always-run patterns that must run line by line.
    private let perLinePatterns: [Int]
    /// Always-run patterns with a byte-run requirement, grouped by byte set: one pass per group
    /// finds the lines with a long enough run; only those are confirmed, line by line.
    private let runGroups: [(table: [Bool], minLength: Int, patterns: [(pattern: Int, length: Int)])]
    /// Shortest run worth filtering on: shorter runs are everywhere.
    static let minRunLength = 8
    /// For each atom, the patterns whose tree mentions it: `atomPatternList[atomPatternStart[a]..<atomPatternStart[a+1]]`.
    private let atomPatternStart: [Int32]
    private let atomPatternList: [Int32]
    private let program: TreeProgram

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
                if tree == .all, let run = RunRequirement.of(node), run.length >= Self.minRunLength, !run.bytes.contains(0x0A) {
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

    /// Appends to `scratch.candidates` every pattern that an atom in `scratch.seenAtoms` mentions
    /// and whose tree holds on the atoms stamped `gen`.
    /// - Complexity: O(patterns mentioned × tree size); no allocation once warm.
    @inline(__always)
    private func collectCandidates(_ scratch: MatchScratch, _ seenAtoms: [Int], _ stamps: UnsafePointer<UInt32>, _ gen: UInt32) {
        var found = scratch.candidates
        scratch.candidates = []
        defer { scratch.candidates = found }
        program.code.withUnsafeBufferPointer { code in
            atomPatternStart.withUnsafeBufferPointer { starts in
                atomPatternList.withUnsafeBufferPointer { list in
                    program.roots.withUnsafeBufferPointer { roots in
                        scratch.patternStamps.withUnsafeMutableBufferPointer { seen in
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
                collectCandidates(scratch, seenAtoms, UnsafePointer(stamps.baseAddress!), gen)
            }
        }
        scratch.seenAtoms = seenAtoms
        scratch.events = events
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
    /// Three passes, each sound on its own, whose matched lines are merged:
    /// 1. line-safe always-run patterns scan the whole buffer (PCRE2_MULTILINE): one PCRE2 call
    ///    per matching line; a pattern that hits the (64x) buffer limit falls back to pass 3;
    /// 2. the DFA runs once over the whole buffer; only lines where an atom occurs are looked at,
    ///    and their candidate patterns are confirmed by PCRE2 on that line;
    /// 3. always-run patterns that are not line-safe run on each line not matched yet.
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
        func lineStart(before i: Int, floor: Int) -> Int {
            var start = i
            while start > floor && base.load(fromByteOffset: start - 1, as: UInt8.self) != 0x0A { start -= 1 }
            return start
        }
        prepare(scratch)

        // Pass 1.
        var fromBuffer: [Range<Int>] = []
        var perLine = perLinePatterns
        for (p, compiled) in bufferPatterns {
            var pos = 0
            var found: [Range<Int>] = []
            var gaveUp = false
            while pos <= n {
                scratch.stats.confirmations += 1
                let r = compiled.firstMatch(in: buffer, from: pos, scratch: scratch, wholeBuffer: true)
                guard case let .match(s, _) = r else {
                    if case .noMatch = r { break }
                    gaveUp = true
                    break
                }
                let start = lineStart(before: s, floor: 0)
                let end = lineEnd(from: s)
                found.append(start..<end)
                pos = end + 1
            }
            if gaveUp { perLine.append(p) } else { fromBuffer += found }
        }
        // Pass 1b: run groups. One byte loop per group finds the lines with a long enough run.
        var runLines: [(line: Range<Int>, run: Int)] = []
        for group in runGroups {
            runLines.removeAll(keepingCapacity: true)
            group.table.withUnsafeBufferPointer { table in
                var run = 0, best = 0, start = 0
                let bytes = base.assumingMemoryBound(to: UInt8.self)
                for i in 0..<n {
                    let b = bytes[i]
                    if table[Int(b)] {
                        run &+= 1
                        if run > best { best = run }
                    } else {
                        run = 0
                        if b == 0x0A {
                            if best >= group.minLength { runLines.append((start..<i, best)) }
                            best = 0
                            start = i + 1
                        }
                    }
                }
                if best >= group.minLength { runLines.append((start..<n, best)) }
            }
            for (line, run) in runLines {
                let subject = UnsafeRawBufferPointer(rebasing: buffer[line])
                for (p, length) in group.patterns where length <= run {
                    scratch.stats.confirmations += 1
                    let r = patterns[p].firstMatch(in: subject, scratch: scratch)
                    if case .match = r {
                        fromBuffer.append(line)
                        break
                    }
                    if case .noMatch = r { continue }
                    scratch.stats.limitEvents += 1
                }
            }
        }
        if bufferPatterns.count > 1 || perLine.count > perLinePatterns.count || !runGroups.isEmpty {
            fromBuffer.sort { $0.lowerBound < $1.lowerBound }
        }
        var fromBufferUnique: [Range<Int>] = []
        for r in fromBuffer where fromBufferUnique.last != r { fromBufferUnique.append(r) }

        // Pass 2: collect atom events over the whole buffer, then walk them line by line.
        var fromAtoms: [Range<Int>] = []
        var events = scratch.events
        var seenAtoms = scratch.seenAtoms
        var candidates = scratch.candidates
        scratch.events = []
        scratch.seenAtoms = []
        scratch.candidates = []
        events.removeAll(keepingCapacity: true)
        if !searcher.atoms.isEmpty { searcher.scan(buffer, into: &events) }
        var gen = scratch.generation
        var candidateLines = 0, confirmations = 0, limitEvents = 0
        var cursor = 0  // into fromBufferUnique
        var k = 0
        scratch.atomStamps.withUnsafeMutableBufferPointer { stamps in
            while k < events.count {
                // One line: the events whose atom ends inside it.
                let at = Int(events[k + 1]) - 1  // last byte of the atom, inside its line
                let line = lineStart(before: at, floor: 0)..<lineEnd(from: at)
                gen &+= 1
                if gen >= UInt32.max - 1 {
                    for x in stamps.indices { stamps[x] = 0 }
                    scratch.patternStamps = [UInt32](repeating: 0, count: scratch.patternStamps.count)
                    gen = 1
                }
                seenAtoms.removeAll(keepingCapacity: true)
                while k < events.count && Int(events[k + 1]) - 1 < line.upperBound {
                    let atom = Int(events[k])
                    if stamps[atom] != gen {
                        stamps[atom] = gen
                        seenAtoms.append(atom)
                    }
                    k += 2
                }
                while cursor < fromBufferUnique.count && fromBufferUnique[cursor].lowerBound < line.lowerBound { cursor += 1 }
                if cursor < fromBufferUnique.count && fromBufferUnique[cursor].lowerBound == line.lowerBound { continue }
                scratch.candidates = candidates
                scratch.candidates.removeAll(keepingCapacity: true)
                collectCandidates(scratch, seenAtoms, UnsafePointer(stamps.baseAddress!), gen)
                candidates = scratch.candidates
                scratch.candidates = []
                guard !candidates.isEmpty else { continue }
                candidateLines += 1
                if candidates.count > 1 { candidates.sort() }
                let subject = UnsafeRawBufferPointer(rebasing: buffer[line])
                confirm: for p in candidates {
                    confirmations += 1
                    switch patterns[p].firstMatch(in: subject, scratch: scratch) {
                    case .match:
                        fromAtoms.append(line)
                        break confirm
                    case .noMatch: break
                    case .limitExceeded, .error: limitEvents += 1
                    }
                }
            }
        }
        scratch.generation = gen
        scratch.events = events
        scratch.seenAtoms = seenAtoms
        scratch.candidates = candidates
        scratch.stats.candidateRecords += candidateLines
        scratch.stats.confirmations += confirmations
        scratch.stats.limitEvents += limitEvents

        // Merge passes 1 and 2, then pass 3 over the lines neither matched.
        var matched: [Range<Int>] = []
        matched.reserveCapacity(fromAtoms.count + fromBufferUnique.count)
        var a = 0, b = 0
        while a < fromAtoms.count || b < fromBufferUnique.count {
            if b == fromBufferUnique.count || (a < fromAtoms.count && fromAtoms[a].lowerBound < fromBufferUnique[b].lowerBound) {
                matched.append(fromAtoms[a]); a += 1
            } else {
                matched.append(fromBufferUnique[b]); b += 1
            }
        }
        if perLine.isEmpty {
            for r in matched { body(r) }
            return
        }
        if perLine.count > 1 { perLine.sort() }
        var next = 0  // into matched
        var start = 0
        while start <= n {
            let end = lineEnd(from: start)
            if next < matched.count && matched[next].lowerBound == start {
                body(matched[next])
                next += 1
            } else {
                let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                scratch.stats.candidateRecords += 1
                for p in perLine {
                    scratch.stats.confirmations += 1
                    switch patterns[p].firstMatch(in: line, scratch: scratch) {
                    case .match:
                        body(start..<end)
                    case .noMatch:
                        continue
                    case .limitExceeded, .error:
                        scratch.stats.limitEvents += 1
                        continue
                    }
                    break
                }
            }
            start = end + 1
        }
    }
}
