/// A condition on the literals a record contains, necessary for a pattern to match it:
/// an AND/OR tree over "atoms" (byte strings, ASCII-lower-cased, found case-insensitively for
/// ASCII). `.all` means "no condition": the pattern must run on every record.
public indirect enum LiteralTree: Hashable, Sendable, CustomStringConvertible {
    case all
    case atom([UInt8])
    case and([LiteralTree])
    case or([LiteralTree])

    public var description: String {
        switch self {
        case .all: return "*"
        case let .atom(bytes):
            // Non-ASCII and controls as \u{X}: atoms like U+212A (KELVIN SIGN) must not print
            // as "K", nor a newline as a line break.
            let text = String(decoding: bytes, as: UTF8.self).unicodeScalars
                .map { (0x20..<0x7F).contains($0.value) ? String($0) : "\\u{\(String($0.value, radix: 16, uppercase: true))}" }.joined()
            return "\"" + text + "\""
        case let .and(xs): return "AND(" + xs.map(\.description).joined(separator: ", ") + ")"
        case let .or(xs): return "OR(" + xs.map(\.description).joined(separator: ", ") + ")"
        }
    }

    /// Atoms one of which is present whenever the tree holds: for an AND, those of its most
    /// selective child only. A pattern needs checking only when one of these occurs.
    var triggerAtoms: [[UInt8]] {
        switch self {
        case .all: return []
        case let .atom(a): return [a]
        case let .or(xs): return xs.flatMap(\.triggerAtoms)
        case let .and(xs):
            let best = xs.max { a, b in
                (a.selectivity, -a.atoms.count) < (b.selectivity, -b.atoms.count)
            }
            return best?.triggerAtoms ?? []
        }
    }

    var atoms: [[UInt8]] {
        switch self {
        case .all: return []
        case let .atom(a): return [a]
        case let .and(xs), let .or(xs): return xs.flatMap(\.atoms)
        }
    }

    static func makeAnd(_ children: [LiteralTree]) -> LiteralTree {
        var flat: [LiteralTree] = []
        for c in children {
            switch c {
            case .all: continue
            case let .and(xs): for x in xs where !flat.contains(x) { flat.append(x) }
            default: if !flat.contains(c) { flat.append(c) }
            }
        }
        // A child with 2-byte atoms selects most records; where a sibling has 3+ byte atoms,
        // drop it (an AND of fewer children is still a necessary condition).
        if let best = flat.map(\.selectivity).max(), best >= 3 {
            flat.removeAll { $0.selectivity < 3 }
        }
        if flat.isEmpty { return .all }
        return flat.count == 1 ? flat[0] : .and(flat)
    }

    /// How selective a condition is, as the length of the shortest atom that can satisfy it.
    var selectivity: Int {
        switch self {
        case .all: return 0
        case let .atom(a): return a.count
        case let .or(xs): return xs.map(\.selectivity).min() ?? 0
        case let .and(xs): return xs.map(\.selectivity).max() ?? 0
        }
    }

    static func makeOr(_ children: [LiteralTree]) -> LiteralTree {
        var flat: [LiteralTree] = []
        for c in children {
            switch c {
            case .all: return .all
            case let .or(xs): for x in xs where !flat.contains(x) { flat.append(x) }
            default: if !flat.contains(c) { flat.append(c) }
            }
        }
        // OR(coin, coins) is OR(coin): any text containing "coins" contains "coin".
        let atoms = flat.compactMap { if case let .atom(a) = $0 { return a } else { return nil } }
        flat.removeAll { node in
            guard case let .atom(a) = node else { return false }
            return atoms.contains { $0.count < a.count && contains(a, $0) }
        }
        if flat.isEmpty { return .all }
        return flat.count == 1 ? flat[0] : .or(flat)
    }
}

/// Whether `haystack` contains `needle` as a contiguous byte string.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    if needle.isEmpty { return true }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
    }
    return false
}

/// Budgets of literal extraction (regex-syntax's `hir/literal.rs` and RE2's prefilter do the same).
public struct ExtractionBudget: Hashable, Sendable {
    /// The most strings an exact set may hold before it becomes an OR of atoms.
    public var maxExactStrings = 16
    /// While some string of an exact set is still shorter than `minAtomLength`, the set may grow
    /// to this many: `us[a-z]` or `c\s[o0]` then give selective atoms instead of none at all.
    public var maxShortExactStrings = 64
    /// Atoms shorter than this (in bytes) select too much; a condition on them becomes `.all`.
    public var minAtomLength = 3
    /// When a pattern has no condition with `minAtomLength`, extraction is tried again with this
    /// shorter minimum: 2-byte atoms (`dm`, `tg`) still beat running the pattern on every line.
    public var fallbackMinAtomLength = 2
    /// Longer atoms are cut to their first bytes (still a necessary condition).
    public var maxAtomLength = 10
    public init() {}
}

/// From a parsed pattern, the literals every match must contain.
///
/// Soundness: for every string `m` the pattern can match, `tree` holds on any text containing
/// `m`. Each step keeps that: a node's `exact` set, when known, holds every string the node can
/// match (ASCII-lower-cased); combining nodes only weakens conditions (drops a child of an AND,
/// widens to `.all`), never strengthens them.
struct LiteralExtractor {
    let budget: ExtractionBudget

    struct Info {
        /// Every string the node can match, when the set is known and small.
        var exact: Set<[UInt8]>?
        /// A necessary condition, when `exact` is nil.
        var tree: LiteralTree
        static let anything = Info(exact: nil, tree: .all)
        static let emptyString = Info(exact: [[]], tree: .all)
    }

    func tree(for node: RegexNode) -> LiteralTree {
        toTree(info(node))
    }

    func info(_ node: RegexNode) -> Info {
        switch node {
        case .empty:
            return .emptyString
        case .anyChars, .wideClass:
            return .anything
        case let .chars(scalars):
            var set: Set<[UInt8]> = []
            for c in scalars {
                var bytes: [UInt8] = []
                bytes.append(contentsOf: String(c).utf8)
                set.insert(asciiLowercased(bytes))
            }
            // A class is a set of short strings: it may be as large as `maxShortExactStrings`.
            return set.count <= budget.maxShortExactStrings ? Info(exact: set, tree: .all) : .anything
        case let .concat(items):
            return concat(items.map(info))
        case let .alternation(branches):
            let infos = branches.map(info)
            if infos.allSatisfy({ $0.exact != nil }) {
                var union: Set<[UInt8]> = []
                for x in infos { union.formUnion(x.exact!) }
                if union.count <= budget.maxExactStrings { return Info(exact: union, tree: .all) }
            }
            return Info(exact: nil, tree: LiteralTree.makeOr(infos.map(toTree)))
        case let .repeated(child, min, max):
            let x = info(child)
            if min == 0 {
                if max == 1, var set = x.exact, set.count < budget.maxExactStrings {
                    set.insert([])
                    return Info(exact: set, tree: .all)
                }
                return .anything
            }
            if min == 1 && max == 1 { return x }
            // At least one occurrence: whatever one occurrence needs, the repeat needs.
            return Info(exact: nil, tree: toTree(x))
        }
    }

    private func concat(_ infos: [Info]) -> Info {
        var required: [LiteralTree] = []
        var exact: Set<[UInt8]>? = [[]]
        for x in infos {
            if let a = exact, let b = x.exact, fitsProduct(a, b) {
                var product: Set<[UInt8]> = []
                for p in a { for q in b { product.insert(p + q) } }
                exact = product
                continue
            }
            if let a = exact { required.append(toTree(Info(exact: a, tree: .all))) }
            if let b = x.exact {
                exact = b
            } else {
                required.append(x.tree)
                exact = [[]]  // what follows starts a new run of known text
            }
        }
        if required.isEmpty { return Info(exact: exact, tree: .all) }
        if let a = exact { required.append(toTree(Info(exact: a, tree: .all))) }
        return Info(exact: nil, tree: LiteralTree.makeAnd(required))
    }

    /// Whether the product of two exact sets stays within budget: `maxExactStrings`, or the
    /// larger `maxShortExactStrings` while some string so far is too short to be an atom (then
    /// the set as it stands gives no condition at all, and growing it is the only way to one).
    private func fitsProduct(_ a: Set<[UInt8]>, _ b: Set<[UInt8]>) -> Bool {
        let n = a.count * b.count
        if n <= budget.maxExactStrings { return true }
        return n <= budget.maxShortExactStrings && a.contains { $0.count < budget.minAtomLength }
    }

    /// An exact set as an OR of its strings, or `.all` when one is too short to select anything.
    /// A string holding a newline stays an atom: a match inside one line never contains it (so
    /// the atom costs only a candidate now and then), and a record that does contain a newline
    /// (a JSON message with `\n`) is scanned whole, where the atom is found like any other.
    func toTree(_ x: Info) -> LiteralTree {
        guard let set = x.exact else { return x.tree }
        var atoms: [LiteralTree] = []
        for s in set {
            if s.count < budget.minAtomLength { return .all }
            atoms.append(.atom(Array(s.prefix(budget.maxAtomLength))))
        }
        return LiteralTree.makeOr(atoms.sorted { a, b in
            guard case let .atom(x) = a, case let .atom(y) = b else { return false }
            return x.lexicographicallyPrecedes(y)
        })
    }
}

@inline(__always)
func asciiLowercased(_ bytes: [UInt8]) -> [UInt8] {
    bytes.map { $0 &+ (($0 &- 0x41) < 26 ? 0x20 : 0) }
}
