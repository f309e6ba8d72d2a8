import ScanSupport
import Normalise

/// Which look-alike techniques a rule reports.
public struct HandleTechniques: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The same UTS #39 skeleton (`creat0r`, `crеator` with a Cyrillic е, `rnike`).
    public static let confusable = HandleTechniques(rawValue: 1)
    /// The protected handle with separators, decoration words or digits (`creator_official`, `creator.2`).
    public static let decoration = HandleTechniques(rawValue: 2)
    /// One insertion, omission, repetition, transposition or replacement (`creatorr`, `craetor`).
    public static let editDistance = HandleTechniques(rawValue: 4)
    /// Letters from more than one script in one handle, whether or not it resembles a protected one.
    public static let mixedScript = HandleTechniques(rawValue: 8)

    public static let named: [(HandleTechniques, String)] = [
        (.confusable, "confusable"), (.decoration, "decoration"), (.editDistance, "edit_distance"), (.mixedScript, "mixed_script"),
    ]
    public static let `default`: HandleTechniques = [.confusable, .decoration, .editDistance]

    public init?(name: String) {
        guard let t = Self.named.first(where: { $0.1 == name }) else { return nil }
        self = t.0
    }
}
