import Foundation
import Matcher
import ScanSupport
import Normalise
import Model
import Checks

/// Scores records against a compiled pack: the pack and this scratch (match scratch, folding
/// buffers, caches that depend only on the pack) in, the stream's behaviour state passed in and
/// out by the caller, the clock passed in. One per thread; classifying a record does not allocate
/// once warmed up. The same input, pack, state and clock give the same verdict.
public final class Classifier {
    public let pack: CompiledPack
    public var thresholds: Thresholds
    /// Whether `Classification.folded` is filled (for `--explain`; it copies the folded text).
    public var keepsFoldedText = false
    private let scratch: MatchScratch
    private var folded = FoldedText()
    private var patternHits: [PatternHit] = []
    private var limitedPatterns: [Int] = []
    private var links: [Link] = []
    private var linksReady = false
    private var handleForms: [String: HandleForm] = [:]
    /// What the handle rules say of each recent (channel, author), keyed by a hash of their bytes
    /// as written (the bytes kept to rule out a collision): a known author costs no String.
    private var authorEvidence: [UInt64: (channel: [UInt8], user: [UInt8], says: [String?])] = [:]
    private var ownerIndexes: [String: HandleIndex] = [:]
    /// What the handle rules say of recent @mentions, keyed like `authorEvidence` (`handleSays`).
    private var mentionEvidence: [UInt64: (channel: [UInt8], user: [UInt8], says: [String?])] = [:]
    /// The current record's mentions: what the handle rules say of each, and its raw span.
    private var mentions: [(says: [String?], start: Int, end: Int)] = []
    /// What the domain rules say of recent hosts (`domainEvidence`).
    private var domainSays: [DomainKey: [String?]] = [:]
    /// A host as written: only case and defanging undone, so `tikt0k.com` is not `tiktok.com`.
    private var writtenHost = FoldedText(steps: [.defang])
    /// With `timing` on (`--stats`), the time each record's classification took and, of that,
    /// the `model` rules' share (features and scores), for the median and p99 per record.
    public var timing = false
    public private(set) var classifyTime = LatencyHistogram()
    public private(set) var modelTime = LatencyHistogram()
    /// One featurizer per `model` rule, and a folded view for texts too long to share the
    /// classifier's (features read only the first bytes of a message).
    private var featurizers: [TextFeaturizer]
    private var modelFolded = FoldedText()
    private var modelLinks: [Link] = []

    public init(pack: CompiledPack, thresholds: Thresholds? = nil, limits: MatchLimits = .default) {
        self.pack = pack
        self.thresholds = thresholds ?? pack.settings.thresholds
        self.scratch = MatchScratch(limits: limits)
        featurizers = pack.modelRules.map { TextFeaturizer(settings: $0.spec.model.features) }
    }

    /// Classifies one record's text into `result` (cleared first), without behaviour signals.
    /// - Complexity: one matcher scan per view in use; folding is O(n); link checks run only on
    ///   texts with a link.
    public func classify(_ text: UnsafeRawBufferPointer, into result: inout Classification) {
        var none: SignalState?
        classify(text, user: nil, channel: nil, time: nil, state: &none, clock: .wall, into: &result)
    }

    /// Classifies one record without behaviour signals (one message is not a stream).
    public func classify(_ text: UnsafeRawBufferPointer, user: UnsafeRawBufferPointer?, channel: UnsafeRawBufferPointer?,
                         into result: inout Classification) {
        var none: SignalState?
        classify(text, user: user, channel: channel, time: nil, state: &none, clock: .wall, into: &result)
    }

    /// Classifies one record: its text, its author and channel (for handle rules and behaviour
    /// signals) and its event time in ms since the epoch (nil: `clock`'s now, the arrival time).
    /// `state` is the stream's behaviour state (nil: no signals), updated with this record.
    public func classify(_ text: UnsafeRawBufferPointer, user: UnsafeRawBufferPointer?, channel: UnsafeRawBufferPointer?,
                         time: Int64?, state: inout SignalState?, clock: Clock, into result: inout Classification) {
        let started = timing ? LatencyHistogram.now() : 0
        defer { if timing { classifyTime.record(LatencyHistogram.now() &- started) } }
        linksReady = false
        result.hits.removeAll(keepingCapacity: true)
        result.limited.removeAll(keepingCapacity: true)
        result.foldedBy = []
        result.folded.removeAll(keepingCapacity: true)
        var sources = 0
        let raw = pack.raw
        if !raw.ruleIndices.isEmpty {
            sources += 1
            raw.matcher.scan(text, scratch: scratch, hits: &patternHits, limited: &limitedPatterns)
            for hit in patternHits {
                result.hits.append(RuleHit(rule: raw.ruleIndices[hit.pattern], start: hit.start, end: hit.end))
            }
            for p in limitedPatterns { result.limited.append(raw.ruleIndices[p]) }
        }
        if pack.needsFolding {
            folded.fold(text)
            result.foldedBy = folded.techniques
            if keepsFoldedText {
                result.folded.append(contentsOf: folded.bytes)
                result.links.removeAll(keepingCapacity: true)
                extractLinks()
                for link in links {
                    let span = folded.rawSpan(start: link.start, end: link.end)
                    result.links.append(FoundLink(kind: link.kind, value: String(decoding: folded.bytes[link.nameStart..<link.nameEnd], as: UTF8.self),
                                                  start: span.start, end: span.end))
                }
            }
            let view = pack.folded
            var firstFoldedHit: (start: Int, end: Int)?
            if !view.ruleIndices.isEmpty {
                sources += 1
                folded.bytes.withUnsafeBytes { bytes in
                    view.matcher.scan(bytes, scratch: scratch, hits: &patternHits, limited: &limitedPatterns)
                }
                for hit in patternHits {
                    let span = folded.rawSpan(start: hit.start, end: hit.end)
                    if firstFoldedHit == nil { firstFoldedHit = span }
                    result.hits.append(RuleHit(rule: view.ruleIndices[hit.pattern], start: span.start, end: span.end))
                }
                for p in limitedPatterns { result.limited.append(view.ruleIndices[p]) }
            }
            if !pack.domainChecks.isEmpty {
                sources += checkDomains(text, into: &result.hits)
            }
            if !pack.handleChecks.isEmpty {
                sources += checkHandles(text, user: user, channel: channel, into: &result.hits)
            }
            for (rule, spec) in pack.evasionRules {
                let used = result.foldedBy.intersection(spec.techniques)
                guard used.count >= spec.minTechniques, !spec.withFoldedHit || firstFoldedHit != nil else { continue }
                // Where the folded hit is, when one is required; else the whole message.
                let span = spec.withFoldedHit ? firstFoldedHit ?? (0, text.count) : (0, text.count)
                result.hits.append(RuleHit(rule: rule, start: span.start, end: span.end,
                                           evidence: "folded by \(used.names.joined(separator: ", "))"))
                sources += 1
            }
            if !pack.modelRules.isEmpty {
                if timing {
                    let start = LatencyHistogram.now()
                    sources += scoreModels(text, into: &result.hits)
                    modelTime.record(LatencyHistogram.now() &- start)
                } else {
                    sources += scoreModels(text, into: &result.hits)
                }
            }
            if state != nil {
                extractLinks()
                let before = result.hits.count
                // A model hit short of its full score is a hint, not what makes a wave a raid.
                let otherHit = result.hits.contains { pack.score(of: $0) > 0 && ($0.score ?? .infinity) >= pack.rules[$0.rule].score }
                state!.observe(raw: text, folded: folded, links: links, user: user, channel: channel,
                               time: time ?? clock.now(), otherHit: otherHit, into: &result.hits)
                if result.hits.count > before { sources += 1 }
            }
        }
        if sources > 1 {
            result.hits.sort { $0.rule < $1.rule }
            result.limited.sort()
        }
        var score = 0.0
        for hit in result.hits { score += pack.score(of: hit) }
        result.score = score
        result.verdict = Verdict(score: score, thresholds: thresholds)
    }

    /// Scores the text with each `model` rule's model; a hit carries its share of the rule's
    /// score and, as evidence, the probability and the strongest features with their raw spans.
    /// - Complexity: O(features of the first `maxBytes` bytes); the evidence is built only on a hit.
    private func scoreModels(_ text: UnsafeRawBufferPointer, into hits: inout [RuleHit]) -> Int {
        var hitCount = 0
        for (k, (rule, spec)) in pack.modelRules.enumerated() {
            let shared = text.count <= spec.model.features.maxBytes * 4
            if shared {
                extractLinks()
                featurizers[k].extract(raw: text, folded: folded, links: links)
            } else {
                MessageFeatures.extract(raw: text, folded: &modelFolded, links: &modelLinks, featurizer: &featurizers[k])
            }
            let p = spec.model.probability(slots: featurizers[k].slots, values: featurizers[k].values)
            guard let share = spec.share(p) else { continue }
            // Again with names and spans, for the evidence.
            if shared {
                featurizers[k].extract(raw: text, folded: folded, links: links, trace: true)
            } else {
                MessageFeatures.extract(raw: text, folded: &modelFolded, links: &modelLinks, featurizer: &featurizers[k], trace: true)
            }
            let strongest = ModelEvidence.strongest(featurizers[k], model: spec.model, limit: 5)
            let view = shared ? folded : modelFolded
            var parts: [String] = []
            var span: (start: Int, end: Int)?
            for f in strongest {
                var item = "\(f.kind.label) '\(f.text)' \(f.contribution >= 0 ? "+" : "")\(String(format: "%.2f", f.contribution))"
                if let at = f.spans.first {
                    let raw = view.rawSpan(start: at.0, end: at.1)
                    item += " at \(raw.start)-\(raw.end)"
                    if span == nil { span = raw }
                }
                parts.append(item)
            }
            let evidence = "p=\(String(format: "%.3f", p)): " + (parts.isEmpty ? "no strong feature" : parts.joined(separator: ", "))
            let whole = span ?? (0, text.count)
            hits.append(RuleHit(rule: rule, start: whole.start, end: whole.end, evidence: evidence, score: pack.rules[rule].score * share))
            hitCount += 1
        }
        return hitCount
    }

    /// Runs the domain rules on the links of the folded text; returns how many rules hit.
    private func checkDomains(_ text: UnsafeRawBufferPointer, into hits: inout [RuleHit]) -> Int {
        guard folded.bytes.contains(UInt8(ascii: ".")) else { return 0 }
        extractLinks()
        var hitCount = 0
        for link in links where link.kind != .handle {
            let host = String(decoding: folded.bytes[link.nameStart..<link.nameEnd], as: UTF8.self)
            let span = folded.rawSpan(start: link.nameStart, end: link.nameEnd)
            writtenHost.fold(UnsafeRawBufferPointer(rebasing: text[span.start..<span.end]))
            let says = domainEvidence(host: host, written: writtenHost.string)
            for (k, check) in pack.domainChecks.enumerated() where !hits.contains(where: { $0.rule == check.rule }) {
                if let evidence = says[k] {
                    hits.append(RuleHit(rule: check.rule, start: span.start, end: span.end, evidence: evidence))
                    hitCount += 1
                }
            }
        }
        return hitCount
    }

    /// What each domain rule says of a host (evidence or nil, by rule), cached: chat repeats its
    /// links, and the answer depends only on the host, as folded and as written, and the pack.
    private func domainEvidence(host: String, written: String) -> [String?] {
        let key = DomainKey(host: host, written: written)
        if let known = domainSays[key] { return known }
        if domainSays.count >= 8192 { domainSays.removeAll(keepingCapacity: true) }
        let says = pack.domainChecks.map { $0.evidence(host: host, written: written) }
        domainSays[key] = says
        return says
    }

    private struct DomainKey: Hashable {
        var host: String
        var written: String
    }

    /// Classifies a message given as strings (rule examples, `explain`, tests) without
    /// behaviour signals; `user` and `channel` nil when the record has none.
    public func classify(_ text: String, user: String?, channel: String?, into result: inout Classification) {
        var none: SignalState?
        classify(text, user: user, channel: channel, time: nil, state: &none, clock: .wall, into: &result)
    }

    /// Classifies a message given as strings with the stream's behaviour `state`.
    public func classify(_ text: String, user: String?, channel: String?, time: Int64?, state: inout SignalState?, clock: Clock,
                         into result: inout Classification) {
        let t = Array(text.utf8), u = Array((user ?? "").utf8), c = Array((channel ?? "").utf8)
        t.withUnsafeBytes { tb in
            u.withUnsafeBytes { ub in
                c.withUnsafeBytes { cb in
                    classify(tb, user: user == nil ? nil : ub, channel: channel == nil ? nil : cb, time: time, state: &state,
                             clock: clock, into: &result)
                }
            }
        }
    }

    /// Fills `links` from the folded text, once per record.
    private func extractLinks() {
        guard !linksReady else { return }
        links.removeAll(keepingCapacity: true)
        LinkExtractor.extract(folded.bytes, into: &links)
        linksReady = true
    }

    /// Runs the handle rules on the author and on each @handle of the text (as written: a
    /// mention's look-alike letters are the evidence); returns how many rules hit.
    private func checkHandles(_ text: UnsafeRawBufferPointer, user: UnsafeRawBufferPointer?, channel: UnsafeRawBufferPointer?,
                              into hits: inout [RuleHit]) -> Int {
        let author = user.flatMap { $0.isEmpty ? nil : $0 }
        mentions.removeAll(keepingCapacity: true)
        if folded.bytes.contains(UInt8(ascii: "@")) {
            extractLinks()
            for link in links where link.kind == .handle {
                let span = folded.rawSpan(start: link.nameStart, end: link.nameEnd)
                let says = handleSays(UnsafeRawBufferPointer(rebasing: text[span.start..<span.end]), channel: channel, as: .mention)
                mentions.append((says, span.start - 1, span.end))
            }
        }
        guard author != nil || !mentions.isEmpty else { return 0 }
        let authorSays = author.map { handleSays($0, channel: channel, as: .author) }
        var hitCount = 0
        for (k, check) in pack.handleChecks.enumerated() {
            var found: RuleHit?
            if let evidence = authorSays?[k] ?? nil {
                found = RuleHit(rule: check.rule, start: 0, end: 0, evidence: evidence)
            }
            if found == nil {
                for (says, start, end) in mentions {
                    if let evidence = says[k] {
                        found = RuleHit(rule: check.rule, start: max(start, 0), end: end, evidence: evidence)
                        break
                    }
                }
            }
            if let found {
                hits.append(found)
                hitCount += 1
            }
        }
        return hitCount
    }

    /// Whom a handle is: the record's author, or an @mention (as written) in its text.
    private enum HandleRole: String { case author, mention }

    /// What each handle rule says of an author or an @mention in a channel (evidence or nil, by
    /// rule), cached per role by the bytes of channel and name (kept to rule out a collision):
    /// chat repeats its speakers and whom it mentions, and the answer depends only on the name,
    /// the channel, the role and the pack.
    private func handleSays(_ name: UnsafeRawBufferPointer, channel rawChannel: UnsafeRawBufferPointer?,
                            as role: HandleRole) -> [String?] {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let key = Self.authorKey(rawChannel ?? empty, name)
        if let known = (role == .author ? authorEvidence : mentionEvidence)[key],
           known.user.elementsEqual(name), known.channel.elementsEqual(rawChannel ?? empty) {
            return known.says
        }
        let channel = Self.channelName(rawChannel)
        let form = handleForm(String(decoding: name, as: UTF8.self))
        let result = pack.handleChecks.map { check -> String? in
            guard role == .author ? check.spec.checkAuthor : check.spec.checkMentions else { return nil }
            let owner = check.spec.protectChannelOwner ? channel.map(ownerIndex) : nil
            return check.evidence(for: form, role: role.rawValue, channel: channel, owner: owner)
        }
        let entry = (channel: Array(rawChannel ?? empty), user: Array(name), says: result)
        switch role {
        case .author:
            if authorEvidence.count >= 65_536 { authorEvidence.removeAll(keepingCapacity: true) }
            authorEvidence[key] = entry
        case .mention:
            if mentionEvidence.count >= 65_536 { mentionEvidence.removeAll(keepingCapacity: true) }
            mentionEvidence[key] = entry
        }
        return result
    }

    /// The channel's name as the handle rules compare it (lower-cased); nil without one.
    private static func channelName(_ channel: UnsafeRawBufferPointer?) -> String? {
        channel.flatMap { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self).lowercased() }
    }

    /// FNV-1a 64 of the channel's bytes, a separator no UTF-8 text holds (0xFF), the author's.
    @inline(__always)
    private static func authorKey(_ channel: UnsafeRawBufferPointer, _ user: UnsafeRawBufferPointer) -> UInt64 {
        var h = FNV1a64()
        h.add(channel)
        h.add(0xFF)
        h.add(user)
        return h.value
    }

    /// Handle forms of recent authors and mentions: chat repeats its speakers.
    private func handleForm(_ name: String) -> HandleForm {
        if let form = handleForms[name] { return form }
        if handleForms.count >= 8192 { handleForms.removeAll(keepingCapacity: true) }
        let form = HandleForm(name)
        handleForms[name] = form
        return form
    }

    /// The index protecting a channel's owner (its name), built once per channel.
    private func ownerIndex(_ channel: String) -> HandleIndex {
        if let index = ownerIndexes[channel] { return index }
        if ownerIndexes.count >= 1024 { ownerIndexes.removeAll(keepingCapacity: true) }
        let index = HandleIndex([.init(form: HandleForm(channel), source: "the channel owner")])
        ownerIndexes[channel] = index
        return index
    }

    /// Whether `rule`'s own pattern matches `text` in the rule's view; for lint and tests.
    public func ruleMatches(_ ruleIndex: Int, _ text: String) -> MatchResult {
        let rule = pack.rules[ruleIndex]
        // One example is not a stream: behaviour signals stay out of other rules' examples
        // (`classify` without a state runs none).
        guard case .pattern = rule.kind else {
            // Rules in code are checked through the whole classifier. An example may start with
            // "#channel" and "<user>", as text output prints a record, to give its author.
            var message = Substring(text)
            var channel: String?
            var user: String?
            if message.hasPrefix("#"), let space = message.firstIndex(of: " ") {
                channel = String(message[message.index(after: message.startIndex)..<space])
                message = message[message.index(after: space)...]
            }
            if message.hasPrefix("<"), let close = message.firstIndex(of: ">") {
                user = String(message[message.index(after: message.startIndex)..<close])
                message = message[message.index(after: close)...].drop { $0 == " " }
            }
            let offset = text.utf8.count - message.utf8.count
            var result = Classification()
            classify(String(message), user: user, channel: channel, into: &result)
            guard let hit = result.hits.first(where: { $0.rule == ruleIndex }) else { return .noMatch }
            return .match(start: hit.start + offset, end: hit.end + offset)
        }
        let view = rule.view == .raw ? pack.raw : pack.folded
        guard let p = view.ruleIndices.firstIndex(of: ruleIndex) else { return .noMatch }
        let pattern = view.matcher.patterns[p]
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buf -> MatchResult in
            let raw = UnsafeRawBufferPointer(buf)
            if rule.view == .raw { return pattern.firstMatch(in: raw, scratch: scratch) }
            folded.fold(raw)
            let r = folded.bytes.withUnsafeBytes { pattern.firstMatch(in: $0, scratch: scratch) }
            if case let .match(s, e) = r {
                let span = folded.rawSpan(start: s, end: e)
                return .match(start: span.start, end: span.end)
            }
            return r
        }
    }
}
