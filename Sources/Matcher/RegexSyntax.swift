/// What the literal extractor needs to know of a parsed pattern. It is not a full PCRE2 AST:
/// anything that consumes characters we cannot enumerate is `.anyChars`, and anything that
/// consumes none (anchors, `\b`, lookarounds) is `.empty`. PCRE2 stays the judge of what a
/// pattern means; this tree only has to be a sound over-approximation of it.
indirect enum RegexNode: Equatable {
    /// Matches the empty string only (anchors, word boundaries, lookarounds, `\K`).
    case empty
    /// One character out of a small, fully known set (a literal, or a literal's case orbit,
    /// or a small class).
    case chars([Unicode.Scalar])
    /// Some characters we do not enumerate (`.`, `\w`, big or negated classes, backreferences):
    /// any string at all, as far as literal extraction is concerned.
    case anyChars
    /// One character of a large but known set (`[a-z0-9]`, an emoji range): no literal, but its
    /// UTF-8 bytes all lie in `bytes`, and it takes at least `minBytes` of them.
    case wideClass(ByteSet, minBytes: Int)
    case concat([RegexNode])
    case alternation([RegexNode])
    /// `node{min,max}`; `max == nil` is unbounded.
    case repeated(RegexNode, min: Int, max: Int?)
}

/// A set of byte values.
public struct ByteSet: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    public init() {}

    public func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    public mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    public mutating func formUnion(_ other: ByteSet) {
        words.0 |= other.words.0
        words.1 |= other.words.1
        words.2 |= other.words.2
        words.3 |= other.words.3
    }

    public static func == (a: ByteSet, b: ByteSet) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// How many ASCII bytes the set holds.
    public var asciiCount: Int { words.0.nonzeroBitCount + words.1.nonzeroBitCount }

    /// The 256-entry membership table a scan loop indexes.
    public var table: [Bool] { (0...255).map { contains(UInt8($0)) } }

    /// The bytes of the UTF-8 encodings of `scalars`, and the shortest encoding's length.
    static func of(_ scalars: [Unicode.Scalar]) -> (ByteSet, Int) {
        var set = ByteSet()
        var shortest = 4
        for s in scalars {
            let utf8 = Array(String(s).utf8)
            shortest = min(shortest, utf8.count)
            for b in utf8 { set.insert(b) }
        }
        return (set, shortest)
    }
}

/// Why a pattern could not be parsed for literal extraction. The pattern still works: it goes to
/// the always-run set. The reason is shown by `--stats` and `scamscan lint` so an author can fix it.
public struct UnsupportedSyntax: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var offset: Int
    public var description: String { "\(reason) (at offset \(offset))" }
}
