import ScanSupport
import Normalise

/// What kind of scam a rule detects. The set is closed: a pack with another category fails to load.
public enum RuleCategory: String, CaseIterable, Hashable, Sendable {
    case coinGenerator = "coin_generator"
    case reseller
    case impersonation
    case phishing
    case giveaway
    case engagementFraud = "engagement_fraud"
    case chargeback
    /// Transactions: bursts of small purchases or declines testing stolen cards.
    case cardTesting = "card_testing"
    /// Transactions: money moved through gifts (stolen-card coins, creator collusion).
    case laundering
    /// Transactions: instruments, devices or IPs shared between many accounts.
    case accountSharing = "account_sharing"
    /// Transactions: unusual counts or sums over a window.
    case velocity
    /// Chat behaviour: repeated text, spam waves and raids, floods, first messages with a contact.
    case spam
    case other
}

/// Which text a rule's pattern is matched against.
public enum TextView: String, CaseIterable, Hashable, Sendable {
    /// The bytes as written.
    case raw
    /// The folded text (see `FoldedText`): obfuscation undone; spans still point into the raw text.
    case folded
}

/// One example a rule carries, with where it was written.
public struct RuleExample: Hashable, Sendable {
    public var text: String
    public var location: SourceLocation
    public init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }
}

/// A validated rule as written in a pack (see docs/RULES.md for each field).
public struct Rule: Hashable, Sendable {
    public var id: String
    public var category: RuleCategory
    public var description: String
    /// What the rule tests; for kinds other than `.pattern`, `pattern` is empty and `view` is folded.
    public var kind: RuleKind
    public var pattern: String
    public var view: TextView
    public var score: Double
    public var matchExamples: [RuleExample]
    public var noMatchExamples: [RuleExample]
    public var tags: [String]
    public var references: [String]
    /// Where the rule starts, and where its pattern value starts.
    public var location: SourceLocation
    public var patternLocation: SourceLocation
    /// Whether a byte offset in `pattern` can be added to `patternLocation.column` (see `RuleParser.isVerbatim`).
    public var patternIsVerbatim: Bool
    /// Where the `score` value is written (for `scamscan tune --write`).
    public var scoreLocation: SourceLocation?

    public init(
        id: String, category: RuleCategory, description: String, pattern: String, view: TextView,
        score: Double, matchExamples: [RuleExample], noMatchExamples: [RuleExample],
        tags: [String] = [], references: [String] = [],
        location: SourceLocation, patternLocation: SourceLocation, patternIsVerbatim: Bool = false,
        kind: RuleKind = .pattern
    ) {
        self.kind = kind
        self.id = id
        self.category = category
        self.description = description
        self.pattern = pattern
        self.view = view
        self.score = score
        self.matchExamples = matchExamples
        self.noMatchExamples = noMatchExamples
        self.tags = tags
        self.references = references
        self.location = location
        self.patternLocation = patternLocation
        self.patternIsVerbatim = patternIsVerbatim
    }
}

/// Scores at or above `review` give the verdict review; at or above `block`, block.
public struct Thresholds: Hashable, Sendable {
    public var review: Double
    public var block: Double
    public init(review: Double, block: Double) {
        self.review = review
        self.block = block
    }
    public static let `default` = Thresholds(review: 4, block: 8)
}

/// Pack-level settings, from the pack's `pack.yml`.
public struct PackSettings: Hashable, Sendable {
    public var name: String
    public var description: String
    public var version: Int
    public var thresholds: Thresholds
    /// Other column names exports use for each transaction field (`transaction_columns`).
    public var transactionColumns: [TxField: [String]] = [:]
    /// `hash_key`: the secret the behaviour signals' name hash is keyed with (any string). A
    /// deployment sets its own, so chat authors cannot pick names that collide in the state
    /// tables; without one the key derives from the pack's name, version and rule ids.
    public var hashKey: String?
    public var location: SourceLocation?
    public init(name: String, description: String = "", version: Int = 1, thresholds: Thresholds = .default,
                location: SourceLocation? = nil) {
        self.name = name
        self.description = description
        self.version = version
        self.thresholds = thresholds
        self.location = location
    }
}

/// The rules of one or more pack directories, validated, in load order.
public struct RulePack: Sendable {
    public var settings: PackSettings
    public var rules: [Rule]
    public var directories: [String]
    public init(settings: PackSettings, rules: [Rule], directories: [String]) {
        self.settings = settings
        self.rules = rules
        self.directories = directories
    }
}
