import Foundation
import ScanSupport
import Normalise

public struct FeatureSettings: Codable, Hashable, Sendable {
    /// The extractor's version: a model trained by another version is refused at load.
    public var version: Int
    /// The hashed space has 2^bits slots.
    public var bits: Int
    /// Character n-grams inside word boundaries, `charMin`...`charMax` bytes of the folded view.
    public var charMin: Int
    public var charMax: Int
    /// Word bigrams as well as unigrams.
    public var wordBigrams: Bool
    /// Hash seed: fixed per model, so a score can be reproduced from the text and the model.
    public var seed: UInt64
    /// Only the first `maxBytes` bytes of the folded view and the raw text are read, so a 100 MB
    /// line costs as much as a long message.
    public var maxBytes: Int

    /// 3: a link to one of the platforms' own sites gives its host feature and no link trait.
    /// 4: no folding-technique traits; emoji are pictographs only (not mathematical letters).
    public static let currentVersion = 4
    public static let `default` = FeatureSettings(version: currentVersion, bits: 18, charMin: 3, charMax: 5,
                                                  wordBigrams: true, seed: 0x5CA4_5CA4_0000_0001, maxBytes: 2048)

    /// Why these settings cannot be used by this build, or nil.
    public var problem: String? {
        if version != Self.currentVersion {
            return "its features are version \(version), this scamscan computes version \(Self.currentVersion)"
        }
        if bits < 10 || bits > 24 { return "its hashed space has 2^\(bits) slots; 2^10 to 2^24 are allowed" }
        if charMin < 1 || charMax < charMin || charMax > 8 { return "its character n-grams are \(charMin) to \(charMax) bytes; 1 to 8 are allowed" }
        if maxBytes < 16 || maxBytes > 1 << 20 { return "it reads \(maxBytes) bytes of a message; 16 to 1 MiB are allowed" }
        return nil
    }
}

/// The kinds of feature, each hashed in its own namespace.
public enum FeatureKind: UInt8, Sendable {
    case word = 1, bigram, chars, host, trait

    package var label: String {
        switch self {
        case .word: "word"
        case .bigram: "words"
        case .chars: "chars"
        case .host: "host"
        case .trait: "trait"
        }
    }
}

/// One feature occurrence, for explanations: its kind, its text and its span in the folded view
/// (empty for message-wide traits).
