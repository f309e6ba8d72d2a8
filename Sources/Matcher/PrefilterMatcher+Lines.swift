#if canImport(Glibc)
import Glibc
#endif

/// Whole-buffer line matching: what `scamscan match` runs on each chunk.
extension PrefilterMatcher {
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
        var patternStamps = scratch.patternStamps
        scratch.events = []
        scratch.seenAtoms = []
        scratch.candidates = []
        scratch.patternStamps = []
        events.removeAll(keepingCapacity: true)
        if !searcher.atoms.isEmpty { searcher.scan(buffer, into: &events) }
        var gen = scratch.generation
        var candidateLines = 0, confirmations = 0, limitEvents = 0
        var cursor = 0  // into fromBufferUnique
        var k = 0
        scratch.atomStamps.withUnsafeMutableBufferPointer { stamps in
            while k < events.count {
                // One line: the events whose atom ends inside it or on its newline (an atom may
                // hold a newline: `ab\s` gives "ab\n", which ends on it).
                let at = Int(events[k + 1]) - 1  // last byte of the atom
                let line = lineStart(before: at, floor: 0)..<lineEnd(from: at)
                gen &+= 1
                if gen >= UInt32.max - 1 {
                    for x in stamps.indices { stamps[x] = 0 }
                    for x in patternStamps.indices { patternStamps[x] = 0 }
                    gen = 1
                }
                seenAtoms.removeAll(keepingCapacity: true)
                while k < events.count && Int(events[k + 1]) - 1 <= line.upperBound {
                    let atom = Int(events[k])
                    if stamps[atom] != gen {
                        stamps[atom] = gen
                        seenAtoms.append(atom)
                    }
                    k += 2
                }
                while cursor < fromBufferUnique.count && fromBufferUnique[cursor].lowerBound < line.lowerBound { cursor += 1 }
                if cursor < fromBufferUnique.count && fromBufferUnique[cursor].lowerBound == line.lowerBound { continue }
                candidates.removeAll(keepingCapacity: true)
                collectCandidates(seenAtoms, UnsafePointer(stamps.baseAddress!), gen, seen: &patternStamps, into: &candidates)
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
        scratch.patternStamps = patternStamps
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
