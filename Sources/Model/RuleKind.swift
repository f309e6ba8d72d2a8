import Foundation
import ScanSupport
import Normalise

/// What a rule tests. Most rules are PCRE2 patterns; the other kinds are checks in code with
/// parameters from the rule (docs/RULES.md, "Rule kinds").
public enum RuleKind: Hashable, Sendable {
    /// `pattern` matched on the rule's `view`.
    case pattern
    /// A host in the message (URL or bare domain, raw or folded) is on a list.
    case domainList(DomainListRule)
    /// A host in the message imitates a protected domain without being it.
    case domainLookalike(DomainLookalikeRule)
    /// The message needed several kinds of folding (`folded_by`) to be read.
    case evasion(EvasionRule)
    /// The author, or an @handle in the message, imitates a protected handle.
    case handleLookalike(HandleLookalikeRule)
    /// A transaction detector or condition, run by `scamscan tx` (never on chat).
    case transaction(TxRuleSpec)
    /// A behaviour signal over the chat stream (repetition, waves, floods, first contact, ...).
    case signal(SignalRule)
    /// The learned text model's probability, mapped to a share of the rule's score.
    case model(ModelRule)

    /// The name used in rule files (`kind:`).
    public var name: String {
        switch self {
        case .pattern: "pattern"
        case .domainList: "domain_list"
        case .domainLookalike: "domain_lookalike"
        case .evasion: "evasion"
        case .handleLookalike: "handle_lookalike"
        case let .transaction(spec): spec.detector.rawValue
        case let .signal(spec): spec.signal.rawValue
        case .model: "model"
        }
    }

    /// The kind's family, as JSON Lines output names it: `pattern`, `domain`, `evasion`,
    /// `handle`, `transaction`, `signal` or `model`.
    public var family: String {
        switch self {
        case .pattern: "pattern"
        case .domainList, .domainLookalike: "domain"
        case .evasion: "evasion"
        case .handleLookalike: "handle"
        case .transaction: "transaction"
        case .signal: "signal"
        case .model: "model"
        }
    }

    /// Whether the rule runs on transactions (`scamscan tx`) rather than chat.
    public var isTransaction: Bool {
        if case .transaction = self { return true }
        return false
    }

    public static let names = ["pattern", "domain_list", "domain_lookalike", "evasion", "handle_lookalike", "model"]
        + TxRuleSpec.Detector.allCases.map(\.rawValue) + SignalRule.Signal.allCases.map(\.rawValue)
}

/// A list of domains, one per line, loaded from a file inside the pack.
public struct DomainList: Hashable, Sendable {
    /// The path as written in the rule (relative to the rule file's pack directory).
    public var path: String
    /// Lowercase domains, in file order.
    public var domains: [String]
    public init(path: String, domains: [String]) {
        self.path = path
        self.domains = domains
    }
}

public struct DomainListRule: Hashable, Sendable {
    public var list: DomainList
    /// Whether subdomains of a listed domain match too (`list_match: suffix`, the default).
    public var suffix: Bool
    public init(list: DomainList, suffix: Bool) {
        self.list = list
        self.suffix = suffix
    }
}

public struct DomainLookalikeRule: Hashable, Sendable {
    /// The protected domains (`tiktok.com`); they and their subdomains are never flagged.
    public var list: DomainList
    /// The largest edit distance between labels that counts as a look-alike; nil: by length
    /// (0 up to 4 letters, 1 up to 7, 2 above; `ProtectedDomain.imitation`).
    public var maxDistance: Int?
    /// Other domains the protected brands own (`owned:`): a host under one of them is genuine,
    /// whatever names it holds (`twitch.amazon.com`, `media.discordapp.net`).
    public var owned: DomainList?
    /// The Public Suffix List (`public_suffixes:`): look-alikes are judged on the registrable
    /// domain, and a protected name on a free host's subdomain (github.io) stays suspicious.
    /// Without it, the last label is the suffix.
    public var suffixes: PublicSuffixList?
    public init(list: DomainList, maxDistance: Int?, owned: DomainList? = nil, suffixes: PublicSuffixList? = nil) {
        self.list = list
        self.maxDistance = maxDistance
        self.owned = owned
        self.suffixes = suffixes
    }
}

public struct EvasionRule: Hashable, Sendable {
    /// How many different techniques (of `techniques`) the message must have needed.
    public var minTechniques: Int
    /// The techniques that count (default: all).
    public var techniques: FoldTechniques
    /// Whether another rule on the folded view must also have hit (default true): folding tricks
    /// alone, without scam words, are not a scam.
    public var withFoldedHit: Bool
    public init(minTechniques: Int, techniques: FoldTechniques, withFoldedHit: Bool) {
        self.minTechniques = minTechniques
        self.techniques = techniques
        self.withFoldedHit = withFoldedHit
    }
}

/// A list of protected handles: `handle` lines protect everywhere, `channel: handle ...` lines
/// only in that channel (its moderators and verified guests).
public struct HandleList: Hashable, Sendable {
    public struct Listed: Hashable, Sendable {
        public var handle: String
        public var line: Int
        public init(handle: String, line: Int) {
            self.handle = handle
            self.line = line
        }
    }
    public var path: String
    public var global: [Listed]
    /// By channel, lower-cased.
    public var channels: [String: [Listed]]
    public init(path: String, global: [Listed], channels: [String: [Listed]]) {
        self.path = path
        self.global = global
        self.channels = channels
    }
}

public struct HandleLookalikeRule: Hashable, Sendable {
    public var list: HandleList?
    /// Names protected everywhere: the platform's own (`tiktok`, `support`, `official`).
    public var platformNames: [String]
    /// Whether the channel of each message (its `channel` field) is protected in it (default true).
    public var protectChannelOwner: Bool
    public var checkAuthor: Bool
    public var checkMentions: Bool
    public var techniques: HandleTechniques
    public init(list: HandleList?, platformNames: [String], protectChannelOwner: Bool, checkAuthor: Bool,
                checkMentions: Bool, techniques: HandleTechniques) {
        self.list = list
        self.platformNames = platformNames
        self.protectChannelOwner = protectChannelOwner
        self.checkAuthor = checkAuthor
        self.checkMentions = checkMentions
        self.techniques = techniques
    }
}

/// A rule of kind `model`: the text model's probability p that a message is a scam, mapped to
/// a share of the rule's `score` on the logit scale:
///
///     share = (logit p − logit min_probability) / (logit confident − logit min_probability)
///
/// clamped to [0, max_share]. No hit below `min_probability`; the full score at `confident`, so
/// with the score at the pack's review threshold a confident model alone reaches review; above
/// it the share grows up to `max_share` (below block alone), so the model plus another hit can
/// reach block. The thresholds stay in the pack (docs/MODEL.md).
public struct ModelRule: Hashable, Sendable {
    /// The model file as written in the rule, relative to the rule file.
    public var path: String
    public var model: TextModel
    public var minProbability: Double
    public var confident: Double
    public var maxShare: Double

    public init(path: String, model: TextModel, minProbability: Double = 0.5, confident: Double = 0.95, maxShare: Double = 1.5) {
        self.path = path
        self.model = model
        self.minProbability = minProbability
        self.confident = confident
        self.maxShare = maxShare
    }

    /// The share of the rule's score that probability `p` earns; nil when the rule does not hit.
    public func share(_ p: Double) -> Double? {
        guard p >= minProbability else { return nil }
        func logit(_ q: Double) -> Double {
            let c = min(max(q, 1e-12), 1 - 1e-12)
            return log(c / (1 - c))
        }
        let share = (logit(p) - logit(minProbability)) / (logit(confident) - logit(minProbability))
        let clamped = min(maxShare, max(0, share))
        return clamped > 0 ? clamped : nil
    }
}
