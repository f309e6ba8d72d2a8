import ScanSupport

/// The Public Suffix List (https://publicsuffix.org, MPL 2.0): which part of a host is its
/// registrable domain ("the site"), so `twitch.amazon.com` is a page of amazon.com,
/// `media.discordapp.net` one of discordapp.net, and `tiktok-login.github.io` a site of its own
/// on a free host (github.io is in the list's private section, where anyone can register a name).
///
/// Implements the list's algorithm (publicsuffix.org/list/): the longest matching rule wins, an
/// exception rule (`!www.ck`) beats a wildcard (`*.ck`), and a host no rule matches has its last
/// label as the suffix. Immutable and shared.
public struct PublicSuffixList: Hashable, Sendable {
    public static func == (a: Self, b: Self) -> Bool { a.path == b.path && a.rules.count == b.rules.count }
    public func hash(into hasher: inout Hasher) { hasher.combine(path) }

    /// Rule kinds by rule text without its `*.` or `!` prefix.
    private struct Kinds: OptionSet, Sendable {
        let rawValue: UInt8
        static let normal = Kinds(rawValue: 1)
        static let wildcard = Kinds(rawValue: 2)
        static let exception = Kinds(rawValue: 4)
        /// The rule is in the private section (free hosting and other registries of names).
        static let privateSection = Kinds(rawValue: 8)
    }

    private let rules: [String: Kinds]
    /// Where the list was read from, for evidence.
    public let path: String

    public struct Problem: Error, Sendable {
        public var line: Int
        public var message: String
    }

    /// Parses the list's text. Lines are rules, `//` starts a comment line; the
    /// `===BEGIN PRIVATE DOMAINS===` comment starts the private section.
    public init(text: String, path: String) throws(Problem) {
        var rules: [String: Kinds] = [:]
        var inPrivate = false
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var rule = line.prefix { $0 != " " && $0 != "\t" && $0 != "\r" }
            if rule.hasPrefix("//") {
                if line.contains("===BEGIN PRIVATE DOMAINS===") { inPrivate = true }
                continue
            }
            if rule.isEmpty { continue }
            var kind: Kinds = .normal
            if rule.hasPrefix("!") {
                kind = .exception
                rule = rule.dropFirst()
            } else if rule.hasPrefix("*.") {
                kind = .wildcard
                rule = rule.dropFirst(2)
            }
            guard !rule.isEmpty, !rule.contains("*"), !rule.hasPrefix("."), !rule.hasSuffix(".") else {
                throw Problem(line: lineNumber, message: "'\(line)' is not a Public Suffix List rule (a suffix such as co.uk, *.ck or !www.ck)")
            }
            if inPrivate { kind.insert(.privateSection) }
            rules[rule.lowercased(), default: []].formUnion(kind)
        }
        guard !rules.isEmpty else { throw Problem(line: lineNumber, message: "the list has no rules") }
        self.rules = rules
        self.path = path
    }

    /// A host split at its registrable domain.
    public struct Split: Equatable, Sendable {
        /// The public suffix (`co.uk`, `github.io`).
        public var suffix: String
        /// The suffix and the label before it (`example.co.uk`); nil when the host is a suffix.
        public var registrable: String?
        /// The suffix comes from the list's private section (github.io, web.app, ngrok.io).
        public var privateSuffix: Bool
        /// The suffix is a rule of the list (not only the default rule's last label).
        public var listed: Bool
    }

    /// Splits a lowercase host (no trailing dot).
    /// - Complexity: O(labels) dictionary lookups.
    public func split(_ host: String) -> Split {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.isEmpty else { return Split(suffix: host, registrable: nil, privateSuffix: false, listed: false) }
        // The suffix starts at label `start`; the default rule is the last label alone.
        var start = labels.count - 1
        var kinds: Kinds = []
        var listed = false
        for i in 0..<labels.count {
            let candidate = labels[i...].joined(separator: ".")
            if let k = rules[candidate] {
                if k.contains(.exception) {
                    start = i + 1
                    kinds = k
                    listed = true
                    break
                }
                if k.contains(.normal) {
                    start = i
                    kinds = k
                    listed = true
                    break
                }
            }
            if i + 1 < labels.count, let k = rules[labels[(i + 1)...].joined(separator: ".")], k.contains(.wildcard) {
                start = i
                kinds = k
                listed = true
                break
            }
        }
        let suffix = labels[start...].joined(separator: ".")
        let registrable = start > 0 ? labels[(start - 1)...].joined(separator: ".") : nil
        return Split(suffix: suffix, registrable: registrable, privateSuffix: kinds.contains(.privateSection), listed: listed)
    }
}
