/// A multi-literal searcher: an Aho-Corasick automaton compiled to a full DFA over byte
/// classes, ASCII case-insensitive (A-Z share the class of a-z, so the case folding costs
/// nothing at scan time).
///
/// Each table entry is the premultiplied row offset of the next state, with the top bit set
/// when that state ends at least one atom; the scan loop is one load and one add per byte.
/// A byte that occurs in no atom is in class 0, whose transitions all lead to the start state:
/// as atoms never contain `\n`, a match never spans two lines.
public final class AhoCorasick: @unchecked Sendable {
    // SAFETY: every stored property is written once in init and read-only afterwards.
    public let atoms: [[UInt8]]
    private let classes: [UInt8]          // byte -> class
    private let stride: Int               // classes per row
    private let table: [UInt32]           // row-major transitions, premultiplied
    private let outputStart: [Int32]      // per state: range in `outputs`
    private let outputs: [Int32]          // atom ids ending at a state (own and by failure links)
    static let matchFlag: UInt32 = 0x8000_0000

    /// Builds the automaton. Atoms are matched ASCII case-insensitively; give them lower-cased.
    /// - Complexity: O(total atom length × byte classes).
    public init(atoms: [[UInt8]]) {
        self.atoms = atoms
        // Byte classes: one per distinct (ASCII-lower-cased) byte used by an atom, 0 for the rest.
        var classOf = [UInt8](repeating: 0, count: 256)
        var nextClass = 1
        for atom in atoms {
            for b in atom {
                let lower = b &+ ((b &- 0x41) < 26 ? 0x20 : 0)
                if classOf[Int(lower)] == 0 {
                    classOf[Int(lower)] = UInt8(nextClass)
                    nextClass += 1
                }
            }
        }
        for b in 0x41...0x5A { classOf[b] = classOf[b + 0x20] }
        classes = classOf
        stride = nextClass

        // The trie.
        var goto: [[Int32]] = [[Int32](repeating: -1, count: stride)]
        var own: [[Int32]] = [[]]
        for (id, atom) in atoms.enumerated() {
            var state = 0
            for b in atom {
                let c = Int(classOf[Int(b)])
                if goto[state][c] < 0 {
                    goto[state][c] = Int32(goto.count)
                    goto.append([Int32](repeating: -1, count: stride))
                    own.append([])
                }
                state = Int(goto[state][c])
            }
            own[state].append(Int32(id))
        }
        // Breadth-first: failure links, then fill the DFA and merge outputs.
        let count = goto.count
        var fail = [Int](repeating: 0, count: count)
        var dfa = [Int32](repeating: 0, count: count * stride)
        var order: [Int] = [0]
        var head = 0
        for c in 0..<stride {
            let next = goto[0][c]
            if next >= 0 {
                dfa[c] = next
                fail[Int(next)] = 0
                order.append(Int(next))
            } else {
                dfa[c] = 0
            }
        }
        head = 1
        var merged = own
        while head < order.count {
            let state = order[head]
            head += 1
            merged[state] += merged[fail[state]].filter { !merged[state].contains($0) }
            for c in 0..<stride {
                let next = goto[state][c]
                if next >= 0 {
                    fail[Int(next)] = Int(dfa[fail[state] * stride + c])
                    dfa[state * stride + c] = next
                    order.append(Int(next))
                } else {
                    dfa[state * stride + c] = dfa[fail[state] * stride + c]
                }
            }
        }
        var starts: [Int32] = []
        var flat: [Int32] = []
        for state in 0..<count {
            starts.append(Int32(flat.count))
            flat += merged[state]
        }
        starts.append(Int32(flat.count))
        outputStart = starts
        outputs = flat
        let strideValue = stride
        table = dfa.map { next in
            let row = UInt32(Int(next) * strideValue)
            return merged[Int(next)].isEmpty ? row : row | AhoCorasick.matchFlag
        }
    }

    /// The number of DFA states.
    public var stateCount: Int { outputStart.count - 1 }

    /// Appends `(atom, end)` to `events` for every occurrence of every atom in `bytes` (`end` is
    /// the offset just past it), in order of `end`. Collecting events first keeps the caller's
    /// loop free of closures (and so of boxed, dynamically checked captures).
    /// - Complexity: O(n + occurrences); no allocation once `events` has grown.
    public func scan(_ bytes: UnsafeRawBufferPointer, into events: inout [Int32]) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = bytes.count
        let stride = self.stride
        classes.withUnsafeBufferPointer { cls in
            table.withUnsafeBufferPointer { t in
                outputStart.withUnsafeBufferPointer { starts in
                    outputs.withUnsafeBufferPointer { outs in
                        var s: UInt32 = 0
                        var i = 0
                        while i < n {
                            s = t[Int(s & ~AhoCorasick.matchFlag) &+ Int(cls[Int(base[i])])]
                            i &+= 1
                            if s >= AhoCorasick.matchFlag {
                                let state = Int(s & ~AhoCorasick.matchFlag) / stride
                                for k in Int(starts[state])..<Int(starts[state + 1]) {
                                    events.append(outs[k])
                                    events.append(Int32(truncatingIfNeeded: i))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
