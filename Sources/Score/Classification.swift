import ScanSupport
import Normalise
import Model
import Checks

/// allow < review < block.
public struct Classification: Sendable {
    /// The rules that hit, in pack order.
    public var hits: [RuleHit] = []
    /// Rules whose match limit ran out on this record (their pattern may or may not match).
    public var limited: [Int] = []
    /// Sum of the scores of the rules that hit.
    public var score: Double = 0
    public var verdict: Verdict = .allow
    /// The folding techniques the text needed (empty when the pack needs no folded view).
    public var foldedBy: FoldTechniques = []
    /// The folded view of the text, kept only when the classifier is asked to (`--explain`).
    public var folded: [UInt8] = []
    /// The URLs, domains and @handles of the folded text, with raw spans; only with `folded`.
    public var links: [FoundLink] = []
    public init() {}
}

/// A URL, domain or @handle as `--explain` reports it: its folded host or name, and the raw span
/// of the whole item.
public struct FoundLink: Hashable, Sendable {
    public var kind: Link.Kind
    public var value: String
    public var start: Int
    public var end: Int
}
