import Foundation
import ScanSupport
import Normalise
import Model

/// Caps on the state behaviour signals keep (`scamscan chat --max-users --max-channels --window`).
public struct SignalLimits: Hashable, Sendable {
    /// Users with recent messages kept; also the cap on remembered (channel, user) pairs.
    public var maxUsers = 100_000
    /// Channels with a recent-text history kept.
    public var maxChannels = 10_000
    /// The longest any signal looks back (ms); a rule's longer window is cut to it. nil: each
    /// rule's own window.
    public var window: Int64?
    public init() {}
}

/// The state of the behaviour signals of one stream: per-user recent messages, per-channel
/// recent texts, and the (channel, user) pairs seen, each in an `LRUTable` with a cap and a
/// retention. Memory is bounded by the caps whatever the stream's length: at most
/// `maxUsers × (24 × userRing + 60) + maxChannels × (24 × channelRing + 60) + maxUsers × 40` bytes.
///
/// Event time is the record's timestamp (ms since the epoch) or, without one, arrival time.
/// One state per stream and thread; `save`/`restore` carry it across restarts.
public struct SignalState {
    /// The signal rules of the pack, as indices into `CompiledPack.rules`, with windows capped.
    let rules: [(rule: Int, spec: SignalRule)]
    public let limits: SignalLimits
    var hasher: KeyedHash

    var users: LRUTable
    /// Each user's recent messages (time, SimHash, first @mention); as many as the largest count
    /// any user rule needs.
    var userRings: Rings
    var channels: LRUTable
    /// Each channel's recent texts worth comparing (time, SimHash, user).
    var channelRings: Rings

    /// (channel, user) pairs seen, for first contact.
    var seen: LRUTable
    /// When each `seen` pair first wrote in its channel (`.min`: unknown, as after a restore,
    /// whose snapshot keeps only the last time: such accounts count as known, not new).
    var seenFirst: [Int64] = []
    /// When each channel in `channels` was first seen (`.min`: unknown, after a restore).
    var channelFirst: [Int64] = []

    let userRetention: Int64
    let channelRetention: Int64
    let seenRetention: Int64
    /// Texts with fewer shingles are not kept for comparison by any rule.
    let minShingles: Int
    let needsText: Bool
    let needsShape: Bool
    let needsUsers: Bool

    /// Per rule: the exempt users' names, lower-case bytes.
    private let exempt: [[[UInt8]]]
    private var simhash = SimHash()
    private var shape = ShapeStats()
    private var waveUsers: [UInt64] = []

    /// `key`: the key of the names' hash (`CompiledPack.hashKey`: fixed per pack, so a verdict
    /// can be reproduced from the input and the pack).
    public init(rules: [(rule: Int, spec: SignalRule)], limits: SignalLimits = SignalLimits(), key: UInt64) {
        let capped = rules.map { r -> (Int, SignalRule) in
            var spec = r.spec
            if let w = limits.window { spec.window = min(spec.window, w) }
            return (r.rule, spec)
        }
        self.rules = capped
        self.limits = limits
        hasher = KeyedHash(key: key)
        let userRules = capped.filter { [.repetition, .flood, .mentionSpam].contains($0.1.signal) }
        let userRing = min(64, max(1, userRules.map(\.1.count).max() ?? 1))
        let channelRing = capped.filter { $0.1.signal == .spamWave }.map(\.1.history).max() ?? 8
        userRetention = userRules.map(\.1.window).max() ?? 0
        channelRetention = capped.filter { $0.1.signal == .spamWave }.map(\.1.window).max() ?? 0
        seenRetention = capped.compactMap { r -> Int64? in
            switch r.1.signal {
            case .firstContact: return r.1.window
            case .spamWave where r.1.carries.contains(.newAccounts): return r.1.newWithin
            default: return nil
            }
        }.max() ?? 0
        minShingles = capped.filter { [.repetition, .spamWave].contains($0.1.signal) }.map(\.1.minShingles).min() ?? Int.max
        needsText = minShingles != Int.max
        needsShape = capped.contains { $0.1.signal == .shape }
        needsUsers = !userRules.isEmpty
        exempt = capped.map { $0.1.exemptUsers.map { Array($0.utf8) } }
        users = LRUTable(capacity: max(1, limits.maxUsers))
        userRings = Rings(size: userRing, maxSlots: max(1, limits.maxUsers))
        channels = LRUTable(capacity: max(1, limits.maxChannels))
        channelRings = Rings(size: channelRing, maxSlots: max(1, limits.maxChannels))
        seen = LRUTable(capacity: max(1, limits.maxUsers))
    }

    /// Users, channels and (channel, user) pairs held now, and how many were pushed out by a cap.
    public var sizes: (users: Int, channels: Int, pairs: Int, evicted: Int, expired: Int) {
        (users.count, channels.count, seen.count, users.evicted + channels.evicted + seen.evicted,
         users.expired + channels.expired + seen.expired)
    }

    var userRing: Int { userRings.size }
    var channelRing: Int { channelRings.size }

    /// Events allocated in the rings; never more than the caps allow (tested).
    var allocated: (userEntries: Int, channelEntries: Int) { (userRings.time.count, channelRings.time.count) }

    /// Runs every signal rule on one message and records it; hits are appended to `hits`.
    /// `otherHit`: whether a rule that is not a signal already hit the message.
    /// - Complexity: O(userRing + channelRing + n) for an n-byte message.
    package mutating func observe(raw: UnsafeRawBufferPointer, folded: FoldedText, links: [Link], user: UnsafeRawBufferPointer?,
                 channel: UnsafeRawBufferPointer?, time now: Int64, otherHit: Bool, into hits: inout [RuleHit]) {
        var sim: UInt64 = 0
        var shingles = 0
        if needsText {
            folded.bytes.withUnsafeBytes { simhash.compute($0) }
            shingles = simhash.shingles
            if shingles >= minShingles { sim = simhash.value }
        }
        if needsShape { shape.compute(raw) }
        let hasUser = user.map { !$0.isEmpty } ?? false
        let userKey = hasUser ? hasher.hash(user!) : 0
        let channelKey = hasher.hash(channel ?? UnsafeRawBufferPointer(start: nil, count: 0), salt: 0x6368_616E)
        var userSlot = -1
        if hasUser && needsUsers {
            let (slot, added) = users.touch(userKey, now: now, expireBefore: now &- userRetention)
            userSlot = slot
            userRings.ensure(slots: users.slotCount)
            if added { userRings.reset(slot) }
        }
        let pairKey = hasUser ? SimHash.mix(channelKey ^ userKey) : 0
        var mentionKey: UInt64 = 0
        var mentionName = ""
        var mentionSpan = (0, 0)
        var distinctMentions: [UInt64] = []
        for link in links where link.kind == .handle {
            let name = folded.bytes[link.nameStart..<link.nameEnd]
            let key = name.withUnsafeBytes { hasher.hash($0, salt: 0x6D65_6E74) }
            if mentionKey == 0 {
                mentionKey = key
                mentionName = String(decoding: name, as: UTF8.self)
                let span = folded.rawSpan(start: link.start, end: link.end)
                mentionSpan = (span.start, span.end)
            }
            if !distinctMentions.contains(key) { distinctMentions.append(key) }
        }
        let whole = (0, raw.count)
        for (r, (rule, spec)) in rules.enumerated() {
            if hasUser && !exempt[r].isEmpty && exempt[r].contains(where: { Self.equalFoldingCase(user!, $0) }) { continue }
            switch spec.signal {
            case .repetition:
                guard userSlot >= 0, sim != 0, shingles >= spec.minShingles else { continue }
                var matches = 0
                var oldest = now
                userRings.forEach(userSlot, since: now &- spec.window) { e in
                    if userRings.a[e] != 0 && SimHash.near(userRings.a[e], sim, within: spec.distance) {
                        matches += 1
                        oldest = min(oldest, userRings.time[e])
                    }
                }
                if matches + 1 >= spec.count {
                    hits.append(RuleHit(rule: rule, start: whole.0, end: whole.1, evidence:
                        "\(matches + 1) near-identical messages from this user within \(TxDuration.describe(now &- oldest)) (at most \(spec.distance) of 64 SimHash bits differ)"))
                }
            case .flood:
                guard userSlot >= 0 else { continue }
                var recent = 0
                var oldest = now
                userRings.forEach(userSlot, since: now &- spec.window) { e in
                    recent += 1
                    oldest = min(oldest, userRings.time[e])
                }
                if recent + 1 >= spec.count {
                    hits.append(RuleHit(rule: rule, start: whole.0, end: whole.1, evidence:
                        "\(recent + 1) messages from this user within \(TxDuration.describe(now &- oldest)) (limit \(spec.count - 1) per \(TxDuration.describe(spec.window)))"))
                }
            case .mentionSpam:
                if spec.mentions > 0 && distinctMentions.count >= spec.mentions {
                    hits.append(RuleHit(rule: rule, start: mentionSpan.0, end: raw.count, evidence:
                        "\(distinctMentions.count) different @mentions in one message"))
                    continue
                }
                guard userSlot >= 0, mentionKey != 0, spec.count > 0 else { continue }
                // Fans call the channel owner by name again and again ("@luna come to India
                // plz"): that is chat talking to the streamer, not mention spam.
                if let channel, mentionName.utf8.count == channel.count,
                   mentionName.utf8.elementsEqual(channel, by: { $0 | 0x20 == $1 | 0x20 }) { continue }
                var same = 0
                userRings.forEach(userSlot, since: now &- spec.window) { e in
                    if userRings.b[e] == mentionKey { same += 1 }
                }
                if same + 1 >= spec.count {
                    hits.append(RuleHit(rule: rule, start: mentionSpan.0, end: mentionSpan.1, evidence:
                        "@\(mentionName) mentioned in \(same + 1) messages from this user within \(TxDuration.describe(spec.window))"))
                }
            case .firstContact:
                guard hasUser else { continue }
                if let slot = seen.find(pairKey), seen.lastSeen[slot] >= now &- spec.window { continue }
                if let found = carried(spec.carries, allow: spec, raw: raw, folded: folded, links: links, otherHit: false, channel: channel) {
                    let place = channel.map { $0.isEmpty ? "" : " in #\(String(decoding: $0, as: UTF8.self))" } ?? ""
                    hits.append(RuleHit(rule: rule, start: found.start, end: found.end, evidence:
                        "first message from this user\(place) carries \(found.what)"))
                }
            case .spamWave:
                guard hasUser, sim != 0, shingles >= spec.minShingles else { continue }
                guard let slot = channels.find(channelKey) else { continue }
                waveUsers.removeAll(keepingCapacity: true)
                var oldest = now
                channelRings.forEach(slot, since: now &- spec.window) { e in
                    if channelRings.b[e] != userKey && SimHash.near(channelRings.a[e], sim, within: spec.distance) {
                        waveUsers.append(channelRings.b[e])
                        oldest = min(oldest, channelRings.time[e])
                    }
                }
                guard waveUsers.count + 1 >= spec.users else { continue }
                waveUsers.sort()
                var distinct = 1
                for k in waveUsers.indices where k == 0 || waveUsers[k] != waveUsers[k - 1] { distinct += 1 }
                // What the message carries is checked last: most texts are no wave.
                guard distinct >= spec.users else { continue }
                var why = carried(spec.carries, allow: spec, raw: raw, folded: folded, links: links, otherHit: otherHit,
                                  channel: channel).map { " carrying \($0.what)" }
                if why == nil && spec.carries.contains(.newAccounts) && slot < channelFirst.count
                    && channelFirst[slot] != .min && channelFirst[slot] <= now &- spec.newWithin
                    && Self.promotesItself(folded.bytes) {
                    // A raid of fresh accounts: most of the wave first wrote here within newWithin,
                    // in a channel watched longer than that (at the start of a log, everyone is new).
                    var fresh = isNew(pairKey, now: now, within: spec.newWithin) ? 1 : 0
                    for k in waveUsers.indices where k == 0 || waveUsers[k] != waveUsers[k - 1] {
                        if isNew(SimHash.mix(channelKey ^ waveUsers[k]), now: now, within: spec.newWithin) { fresh += 1 }
                    }
                    if fresh * 2 > distinct {
                        why = ", \(fresh) of them new to the channel (first message within \(TxDuration.describe(spec.newWithin)))"
                    }
                }
                if let why {
                    let place = channel.map { $0.isEmpty ? "" : " in #\(String(decoding: $0, as: UTF8.self))" } ?? ""
                    hits.append(RuleHit(rule: rule, start: whole.0, end: whole.1, evidence:
                        "wave of \(distinct) accounts sending near-identical text\(place) within \(TxDuration.describe(now &- oldest))\(why)"))
                }
            case .shape:
                if let why = shapeProblem(spec) {
                    hits.append(RuleHit(rule: rule, start: whole.0, end: whole.1, evidence: why))
                }
            }
        }
        // Record the message.
        if userSlot >= 0 { userRings.push(userSlot, time: now, sim, mentionKey) }
        if hasUser && sim != 0 && channelRetention > 0 {
            let (slot, added) = channels.touch(channelKey, now: now, expireBefore: now &- channelRetention)
            channelRings.ensure(slots: channels.slotCount)
            if added { channelRings.reset(slot) }
            Self.noteFirst(&channelFirst, slot: slot, added: added, now: now)
            channelRings.push(slot, time: now, sim, userKey)
        }
        if hasUser && seenRetention > 0 {
            let (slot, added) = seen.touch(pairKey, now: now, expireBefore: now &- seenRetention)
            Self.noteFirst(&seenFirst, slot: slot, added: added, now: now)
        }
    }

    /// A link to the channel owner's own page or site: the channel name (4 letters or more) in
    /// it (`twitter.com/lunapaints/status/1`, `lunapaints.shop`). Fans share the streamer's links.
    private static func ownersLink(_ link: ArraySlice<UInt8>, channel: UnsafeRawBufferPointer?) -> Bool {
        guard let channel, channel.count >= 4, link.count >= channel.count else { return false }
        return containsFoldingCase(link, channel.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
    }

    /// Self-promotion: the writer points at their own channel or asks to be followed ("check out
    /// my channel", "follow me", "sub to my stream"). What makes a wave of fresh accounts a raid
    /// rather than a copypasta.
    static func promotesItself(_ folded: [UInt8]) -> Bool {
        selfPromotionCues.contains { containsFoldingCase(folded, $0) }
    }

    private static let selfPromotionCues: [[UInt8]] = [
        "my channel", "my stream", "my page", "my profile", "my twitch", "my youtube", "my tiktok", "my insta",
        "my ig", "my account", "my server", "my discord", "follow me", "check out my", "check my", "sub to me",
        "sub to my", "subscribe to me", "subscribe to my", "follow my",
    ].map { Array($0.utf8) }

    /// Records when slot `slot` of a table was first used (`added`), growing `first` to fit.
    private static func noteFirst(_ first: inout [Int64], slot: Int, added: Bool, now: Int64) {
        if slot >= first.count { first.append(contentsOf: repeatElement(Int64.min, count: slot + 1 - first.count)) }
        if added { first[slot] = now }
    }

    private static func equalFoldingCase(_ a: UnsafeRawBufferPointer, _ lower: [UInt8]) -> Bool {
        guard a.count == lower.count else { return false }
        for i in 0..<a.count {
            let b = a[i]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != lower[i] { return false }
        }
        return true
    }

    /// Whether the (channel, user) pair first wrote within `within` before `now` (or never).
    private mutating func isNew(_ pair: UInt64, now: Int64, within: Int64) -> Bool {
        guard let slot = seen.find(pair) else { return true }
        return slot < seenFirst.count && seenFirst[slot] != .min && seenFirst[slot] >= now &- within
    }

    /// The first thing the message carries that `want` asks for.
    private func carried(_ want: SignalRule.Carries, allow spec: SignalRule, raw: UnsafeRawBufferPointer, folded: FoldedText,
                         links: [Link], otherHit: Bool, channel: UnsafeRawBufferPointer? = nil) -> ContactFinder.Found? {
        if want.contains(.ruleHit) && otherHit {
            return ContactFinder.Found(start: 0, end: raw.count, what: "text another rule flagged")
        }
        if want.contains(.link) || want.contains(.contact) || want.contains(.payment) {
            for link in links where link.kind != .handle {
                let host = String(decoding: folded.bytes[link.nameStart..<link.nameEnd], as: UTF8.self)
                let span = folded.rawSpan(start: link.start, end: link.end)
                if want.contains(.contact) && DomainCheck.listed(host, in: ContactFinder.contactHosts, suffix: true) != nil {
                    return ContactFinder.Found(start: span.start, end: span.end, what: "a contact link (\(host))")
                }
                if want.contains(.payment) && DomainCheck.listed(host, in: ContactFinder.paymentHosts, suffix: true) != nil {
                    return ContactFinder.Found(start: span.start, end: span.end, what: "a payment link (\(host))")
                }
                if want.contains(.link) && !spec.allows(host: host) && !Self.ownersLink(folded.bytes[link.start..<link.end], channel: channel) {
                    return ContactFinder.Found(start: span.start, end: span.end, what: "a link (\(host))")
                }
            }
        }
        let other = want.intersection([.contact, .payment])
        if other.isEmpty { return nil }
        return ContactFinder.scanRaw(raw, want: other) ?? ContactFinder.scanFolded(folded, raw: raw, want: other)
    }

    /// Which shape check the message fails, said with its figures; nil when none.
    private func shapeProblem(_ spec: SignalRule) -> String? {
        let s = shape
        if spec.maxMarks > 0 && s.maxMarks > spec.maxMarks {
            return "\(s.maxMarks) combining marks stacked on one character (zalgo; limit \(spec.maxMarks))"
        }
        if spec.maxCapsRatio > 0 && s.letters >= spec.minLetters && Double(s.upper) > spec.maxCapsRatio * Double(s.letters) {
            return "\(s.upper * 100 / max(s.letters, 1))% capitals over \(s.letters) letters of distinct words (limit \(Int(spec.maxCapsRatio * 100))%)"
        }
        if spec.maxSymbolRatio > 0 && s.symbols >= spec.minSymbols && Double(s.symbols) > spec.maxSymbolRatio * Double(s.visible) {
            return "\(s.symbols) symbols in \(s.visible) visible characters (\(s.symbols * 100 / max(s.visible, 1))%; limit \(Int(spec.maxSymbolRatio * 100))%)"
        }
        if spec.maxLength > 0 && s.length > spec.maxLength {
            return "\(s.length) characters long (limit \(spec.maxLength))"
        }
        return nil
    }
}

extension SignalRule {
    /// Whether `host` is on `allowDomains` (itself or a subdomain).
    func allows(host: String) -> Bool {
        DomainCheck.listed(host, in: allowDomains, suffix: true) != nil
    }
}
