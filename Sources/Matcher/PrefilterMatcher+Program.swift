/// The literal trees of all patterns as one flat `Int32` program, so that checking a tree on
/// the hot path touches no reference counts.
///
/// A node at offset `o` is `[kind, x, children...]`: an atom (`x` = atom id), an AND or OR
/// (`x` = child count, then the children's offsets), or "all" (always true).
struct TreeProgram {
    static let atom: Int32 = 0, and: Int32 = 1, or: Int32 = 2, all: Int32 = 3
    private(set) var code: [Int32] = []
    /// Each pattern's root offset.
    private(set) var roots: [Int32] = []

    mutating func add(_ tree: LiteralTree, atomID: ([UInt8]) -> Int) {
        roots.append(emit(tree, atomID))
    }

    private mutating func emit(_ tree: LiteralTree, _ atomID: ([UInt8]) -> Int) -> Int32 {
        let o = Int32(code.count)
        switch tree {
        case .all:
            code += [Self.all, 0]
        case let .atom(a):
            code += [Self.atom, Int32(atomID(a))]
        case let .and(xs), let .or(xs):
            let kind: Int32
            if case .and = tree { kind = Self.and } else { kind = Self.or }
            code += [kind, Int32(xs.count)]
            let slots = code.count
            code += [Int32](repeating: 0, count: xs.count)
            for (k, x) in xs.enumerated() {
                let child = emit(x, atomID)
                code[slots + k] = child
            }
        }
        return o
    }
}

/// Whether the tree at `o` holds when the atoms stamped `gen` are present.
/// - Complexity: O(tree size); no allocation, no reference counting.
@inline(__always)
func treeHolds(_ code: UnsafePointer<Int32>, _ o: Int, _ stamps: UnsafePointer<UInt32>, _ gen: UInt32) -> Bool {
    switch code[o] {
    case TreeProgram.atom:
        return stamps[Int(code[o + 1])] == gen
    case TreeProgram.and:
        for k in 0..<Int(code[o + 1]) where !treeHolds(code, Int(code[o + 2 + k]), stamps, gen) { return false }
        return true
    case TreeProgram.or:
        for k in 0..<Int(code[o + 1]) where treeHolds(code, Int(code[o + 2 + k]), stamps, gen) { return true }
        return false
    default:
        return true
    }
}
