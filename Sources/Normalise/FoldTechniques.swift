import ScanSupport

/// The folding steps a text needed: which tricks its writer used. Reported as `folded_by` in
/// JSON output and `--explain`, and scored by `kind: evasion` rules.
public struct FoldTechniques: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Zero-width characters, bidi controls, variation selectors, tags or soft hyphens next to a
    /// letter or digit (or a bidi control anywhere); not the joiners inside emoji sequences.
    public static let invisible = FoldTechniques(rawValue: 1 << 0)
    /// Fullwidth, mathematical, enclosed, squared or regional-indicator letters, ligatures.
    public static let compat = FoldTechniques(rawValue: 1 << 1)
    /// Stacks of two or more combining marks on one letter (zalgo).
    public static let marks = FoldTechniques(rawValue: 1 << 2)
    /// Letters of another script that look Latin, in a Latin word (UTS #39 confusables).
    public static let confusables = FoldTechniques(rawValue: 1 << 3)
    /// Digits and symbols standing for letters inside a word (`fr33 c0ins`).
    public static let leet = FoldTechniques(rawValue: 1 << 4)
    /// Single letters separated by spaces, dots, dashes or underscores (`f r e e`).
    public static let spacing = FoldTechniques(rawValue: 1 << 5)
    /// Defanged URLs: `hxxps`, `[.]`, ` dot com`, `t . me`.
    public static let defang = FoldTechniques(rawValue: 1 << 6)
    /// A `.` or `_` cutting a word (`fr_ee`, `co.ins`) or standing for spaces (`get.free.coins`).
    public static let separators = FoldTechniques(rawValue: 1 << 7)

    /// Every technique with its name, in reporting order.
    public static let named: [(FoldTechniques, String)] = [
        (.invisible, "invisible"), (.compat, "compat"), (.marks, "marks"), (.confusables, "confusables"),
        (.leet, "leet"), (.spacing, "spacing"), (.defang, "defang"), (.separators, "separators"),
    ]

    public static let all = FoldTechniques(rawValue: 0xFF)

    /// The technique called `name`, or nil.
    public init?(name: String) {
        guard let t = Self.named.first(where: { $0.1 == name }) else { return nil }
        self = t.0
    }

    /// The names of the techniques in the set, in reporting order.
    public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }

    /// How many techniques the set holds.
    public var count: Int { rawValue.nonzeroBitCount }
}
