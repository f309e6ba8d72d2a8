import ScanSupport
import Normalise

/// A behaviour signal: a check over how an account or a channel behaves while the chat streams,
/// not over one message's words (docs/RULES.md, "Behaviour signals"). Its state is kept by
/// `SignalState`, bounded by `SignalLimits`.
public struct SignalRule: Hashable, Sendable {
    public enum Signal: String, CaseIterable, Hashable, Sendable {
        /// One user sends the same or nearly the same text `count` times within `window`.
        case repetition
        /// Near-identical text from `users` distinct users in one channel within `window`.
        case spamWave = "spam_wave"
        /// One user sends `messages` messages within `window`.
        case flood
        /// A user's first message in a channel carries a link, a contact handle or a payment handle.
        case firstContact = "first_contact"
        /// Many @mentions in one message, or the same @mention from one user across messages.
        case mentionSpam = "mention_spam"
        /// Caps, symbols, length or stacked combining marks (zalgo) over a limit.
        case shape
    }

    /// What a first message (or a wave's message) may carry.
    public struct Carries: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A URL or a bare domain (not on the rule's `allow_domains`).
        public static let link = Carries(rawValue: 1)
        /// A Telegram / WhatsApp / Snapchat / Kik / WeChat handle, `t.me/` or `wa.me/`, or a phone number.
        public static let contact = Carries(rawValue: 2)
        /// A `$cashtag`, a PayPal / Venmo / Cash App / Zelle handle, or a crypto wallet address.
        public static let payment = Carries(rawValue: 4)
        /// Another rule (a pattern, a list, a heuristic) hit the message.
        public static let ruleHit = Carries(rawValue: 8)
        /// spam_wave: most of the wave's accounts first wrote in the channel within `newWithin`
        /// (a raid of fresh accounts self-promoting, with or without a link).
        public static let newAccounts = Carries(rawValue: 16)
        public static let named: [(Carries, String)] = [(.link, "link"), (.contact, "contact"), (.payment, "payment"),
                                                        (.ruleHit, "rule_hit"), (.newAccounts, "new_accounts")]
    }

    public var signal: Signal
    /// How far back the signal looks (ms); for `first_contact`, how long a user stays known in a channel.
    public var window: Int64
    /// repetition: messages including this one; flood: messages; mention_spam: messages with the same @mention.
    public var count: Int
    /// spam_wave: distinct users including this one.
    public var users: Int
    /// Near-duplicate: at most this many of the 64 SimHash bits differ.
    public var distance: Int
    /// Texts with fewer distinct 3-letter shingles are not compared (emotes, "lol", "gg").
    public var minShingles: Int
    /// spam_wave: recent texts kept per channel to compare with.
    public var history: Int
    /// first_contact and spam_wave: what the message must carry (any of).
    public var carries: Carries
    /// first_contact and spam_wave: links to these domains (and their subdomains) do not count:
    /// `allow_domains`, and the rule's `list` of popular domains. Nor do links to the channel
    /// owner's own pages (the channel name in the link).
    public var allowDomains: Set<String>
    /// spam_wave with `new_accounts`: how recently an account's first message in the channel
    /// makes it new there (judged only in a channel watched for longer than that).
    public var newWithin: Int64
    /// Accounts the signal ignores (lower-case): the channel's own bots (nightbot, moobot, ...),
    /// which repeat announcements and post links by design.
    public var exemptUsers: [String]
    /// mention_spam: distinct @mentions in one message (0: off).
    public var mentions: Int
    /// shape: each check off when 0.
    public var maxCapsRatio: Double
    public var minLetters: Int
    public var maxSymbolRatio: Double
    public var minSymbols: Int
    public var maxLength: Int
    public var maxMarks: Int

    public init(signal: Signal) {
        self.signal = signal
        window = 60_000
        count = 3
        users = 8
        distance = 4
        minShingles = 12
        history = 256
        carries = [.link, .contact, .payment, .ruleHit]
        allowDomains = []
        newWithin = 600_000
        exemptUsers = []
        mentions = 0
        maxCapsRatio = 0
        minLetters = 20
        maxSymbolRatio = 0
        minSymbols = 20
        maxLength = 0
        maxMarks = 0
        switch signal {
        case .repetition: window = 600_000; count = 3
        case .spamWave: window = 60_000
        case .flood: window = 30_000; count = 20
        case .firstContact: window = 86_400_000; carries = [.link, .contact, .payment]
        case .mentionSpam: window = 120_000; count = 4; mentions = 5
        case .shape: break
        }
    }

    /// The `params` each signal takes.
    static let allowed: [Signal: [String]] = [
        .repetition: ["window", "count", "distance", "min_shingles", "exempt_users"],
        .spamWave: ["window", "users", "distance", "min_shingles", "history", "carries", "allow_domains", "new_within"],
        .flood: ["window", "messages", "exempt_users"],
        .firstContact: ["remember", "carries", "allow_domains", "exempt_users"],
        .mentionSpam: ["window", "mentions", "repeats", "exempt_users"],
        .shape: ["max_caps_ratio", "min_letters", "max_symbol_ratio", "min_symbols", "max_length", "max_marks"],
    ]
}
