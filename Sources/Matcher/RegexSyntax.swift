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
    case concat([RegexNode])
    case alternation([RegexNode])
    /// `node{min,max}`; `max == nil` is unbounded.
    case repeated(RegexNode, min: Int, max: Int?)
}

/// Why a pattern could not be parsed for literal extraction. The pattern still works: it goes to
/// the always-run set. The reason is shown by `--stats` and `scamscan lint` so an author can fix it.
public struct UnsupportedSyntax: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var offset: Int
    public var description: String { "\(reason) (at offset \(offset))" }
}
