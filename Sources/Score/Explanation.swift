import Foundation
import Matcher
import ScanSupport
import Normalise
import Model
import Checks

/// Why each rule hit a message or not: for `scamscan explain`.
public struct Explanation: Sendable {
    public struct Entry: Sendable {
        public var rule: Int
        /// The hit, when the rule hit.
        public var hit: RuleHit?
        /// Why it did not hit (nil when it hit).
        public var reason: String?
    }
    public var classification: Classification
    public var entries: [Entry]
}

extension Classifier {
    /// Classifies `text` and explains every rule: hits with their spans; for the others, whether
    /// the prefilter skipped the pattern (and which literals it lacked), PCRE2 ran without a
    /// match or gave up, or what a rule in code looked at.
    public func explain(_ text: String, user: String? = nil, channel: String? = nil) -> Explanation {
        var none: SignalState?
        return explain(text, user: user, channel: channel, state: &none, clock: .wall)
    }

    /// `explain` with the behaviour `state` of the messages explained before (one stream).
    public func explain(_ text: String, user: String?, channel: String?, state: inout SignalState?, clock: Clock) -> Explanation {
        let saved = keepsFoldedText
        keepsFoldedText = true
        defer { keepsFoldedText = saved }
        var c = Classification()
        classify(text, user: user, channel: channel, time: nil, state: &state, clock: clock, into: &c)
        let lowered = text.utf8.map { $0 &+ (($0 &- 0x41) < 26 ? 0x20 : 0) }
        var entries: [Explanation.Entry] = []
        for (index, rule) in pack.rules.enumerated() {
            if let hit = c.hits.first(where: { $0.rule == index }) {
                entries.append(Explanation.Entry(rule: index, hit: hit, reason: nil))
                continue
            }
            entries.append(Explanation.Entry(rule: index, hit: nil, reason: reason(index, rule, c, lowered, text)))
        }
        return Explanation(classification: c, entries: entries)
    }

    /// The model's probability for one text, as the classifier computes it.
    public static func probability(of text: String, model: TextModel) -> Double {
        var featurizer = TextFeaturizer(settings: model.features)
        var folded = FoldedText()
        var links: [Link] = []
        Array(text.utf8).withUnsafeBytes { MessageFeatures.extract(raw: $0, folded: &folded, links: &links, featurizer: &featurizer) }
        return model.probability(slots: featurizer.slots, values: featurizer.values)
    }

    private func reason(_ index: Int, _ rule: Rule, _ c: Classification, _ rawLowered: [UInt8], _ text: String) -> String {
        switch rule.kind {
        case .pattern:
            if c.limited.contains(index) { return "PCRE2 gave up (match limit) on this message" }
            let view = rule.view == .raw ? pack.raw : pack.folded
            if let prefilter = view.matcher as? PrefilterMatcher, let p = view.ruleIndices.firstIndex(of: index) {
                let tree = prefilter.trees[p]
                let subject = rule.view == .raw ? rawLowered : c.folded
                if !holds(tree, in: subject) {
                    var needs = tree.description
                    if needs.count > 160 { needs = String(needs.prefix(157)) + "..." }
                    return "skipped by the prefilter: the \(rule.view.rawValue) text lacks \(needs)"
                }
            }
            return "PCRE2 ran on the \(rule.view.rawValue) text: no match"
        case let .domainList(spec):
            let hosts = c.links.filter { $0.kind != .handle }.map(\.value)
            return hosts.isEmpty ? "no URL or domain in the message"
                : "no host on \(spec.list.path) (hosts: \(hosts.joined(separator: ", ")))"
        case let .domainLookalike(spec):
            let hosts = c.links.filter { $0.kind != .handle }.map(\.value)
            return hosts.isEmpty ? "no URL or domain in the message"
                : "no host imitates a domain of \(spec.list.path) (hosts: \(hosts.joined(separator: ", ")))"
        case let .evasion(spec):
            let used = c.foldedBy.intersection(spec.techniques)
            var why = "folded by \(used.isEmpty ? "nothing it counts" : used.names.joined(separator: ", ")): \(used.count) of the \(spec.minTechniques) techniques it needs"
            if used.count >= spec.minTechniques && spec.withFoldedHit { why = "no rule on the folded view hit (with_folded_hit)" }
            return why
        case .handleLookalike:
            let mentions = c.links.filter { $0.kind == .handle }.map { "@" + $0.value }
            return "neither the author nor a mention (\(mentions.isEmpty ? "none" : mentions.joined(separator: ", "))) imitates a protected handle"
        case .transaction:
            return "a transaction rule (scamscan tx); it never runs on chat"
        case let .model(spec):
            let p = Self.probability(of: text, model: spec.model)
            return "the model gives p=\(String(format: "%.3f", p)), below its min_probability \(format(spec.minProbability))"
        case let .signal(spec):
            switch spec.signal {
            case .shape: return "the message's shape is within the rule's limits"
            case .mentionSpam: return "not enough @mentions in this message or in this user's recent ones"
            default: return "a behaviour signal: it looks at the user's or channel's recent messages, and this stream's history does not meet it"
            }
        }
    }
}

/// Whether the literal condition holds on `subject` (ASCII case-insensitive): explain-only.
private func holds(_ tree: LiteralTree, in subject: [UInt8]) -> Bool {
    switch tree {
    case .all: return true
    case let .atom(atom): return containsFoldingCase(subject, atom)
    case let .and(xs): return xs.allSatisfy { holds($0, in: subject) }
    case let .or(xs): return xs.contains { holds($0, in: subject) }
    }
}

