import ScanSupport
import Stream
import Model

/// One transaction rule that hit, with its evidence and the ids of the transactions it relates.
public struct TxHit: Sendable {
    /// Index of the rule in the pack.
    public var rule: Int
    public var evidence: String
    public var related: [String]
    /// The creator a creator-side rule is about (it is not the row's account), for summaries.
    public var creator: String?
}

/// The result of one transaction.
public struct TxClassification: Sendable {
    public var score = 0.0
    public var verdict = Verdict.allow
    public var hits: [TxHit] = []
    public init() {}
}

/// Scores a stream of transactions with a pack's transaction rules, keeping per-account,
/// per-creator and per-key windows.
///
/// Keys (accounts and creators, instruments, IPs, devices, ...) are interned to dense ids
/// (`Interner`); all state lives in arrays indexed by those ids. Every 65,536 rows, ids idle
/// for longer than the longest window that reads them are freed and their state cleared, and
/// each key space is capped at `maxKeys` (least recently seen first): memory is bounded on an
/// endless export. The engine is a pure function of (rules, rows so far): one engine per stream,
/// or per partition of a stream keyed by account (docs/TRANSACTIONS.md, "State").
public final class TxEngine {
    public let rules: [Rule]
    let thresholds: Thresholds
    /// (pack rule index, spec) of each built-in detector rule.
    let detectors: [(rule: Int, spec: TxRuleSpec)]
    let conditions: [(rule: Int, expression: TxExpression)]
    let aggregates: [TxAggregate]

    struct Purchase {
        var id: String
        var time: Int64
        var coins: Int64
        var amount: Double
        /// The account's `giftedTotal` when the purchase was made.
        var giftedBefore: Int64
    }
    struct Gift {
        var id: String
        var time: Int64
        var coins: Int64
        var recipient: Int32
    }
    /// An account, and the creator it may also be (creators are accounts that receive gifts).
    struct Party {
        var firstSeen: Int64 = .max
        var risky = false
        /// The row that first made the account risky (its `idLog` reference: a chargeback or
        /// refund, or a flagged row), named in quick-redeem evidence. 0: none.
        var riskyBecause: Int64 = 0
        var reversals: Int32 = 0
        var giftedTotal: Int64 = 0
        var purchases: [Purchase] = []
        var gifts: [Gift] = []
        var newPurchasedAmount = 0.0
        var newPurchasedCoins: Int64 = 0
        var newGiftsTo: [(recipient: Int32, coins: Int64)] = []
        /// Per funding field: the value id of the latest purchase's.
        var funding: [Int32] = []
    }
    /// A party as a creator (kept apart from `Party`, which every row touches: most parties
    /// never receive a gift, and a smaller `Party` means fewer cache lines per row).
    struct Creator {
        var received = BucketSum()
        var chargedBack = BucketSum()
        var chargedBackAccounts = DistinctSet()
        var riskyGifts = EventRing()
    }
    /// An aggregate's description without references, for the per-row loop.
    struct AggregateSlot {
        var distinct: Bool
        var key: Int
        /// The summed or distinct field (`TxField.rawValue`); -1: count.
        var field: Int
        var typeMask: UInt8
        var window: Int64
    }
    /// Parameters of the detectors that run on every gift or purchase, without references.
    struct GiftRule {
        var rule: Int
        var funding: Bool
        var accountAge: Int64
        var window: Int64
        var minAmount: Double
        var minShare: Double
        var minAccounts: Int
        /// Funding slots (`fundingFields` indices) the rule reads, as bits.
        var fundingMask: UInt16
    }
    struct TestingRule {
        var rule: Int
        var window: Int64
        var count: Int
        var maxAmount: Double
        /// `by` fields, in the rule's order.
        var by: (Int8, Int8, Int8, Int8)
        var byCount: Int
    }
    /// Transaction ids of recent small purchases and declines on one key (card testing).
    struct IDRing {
        var entries: [(time: Int64, id: String)] = []
        mutating func add(_ time: Int64, _ id: String, capacity: Int) {
            if entries.count >= capacity { entries.removeFirst() }
            entries.append((time, id))
        }
        func since(_ t: Int64) -> [String] { entries.filter { $0.time >= t }.map(\.id) }
    }

    static let purchasesKept = 4
    static let giftsKept = 8

    // The per-row state is `@exclusivity(unchecked)`: each is only ever accessed by the one call
    // in progress on this engine (an engine is not shared between threads), so the dynamic
    // exclusivity checks on every row (a thread-local lookup each) prove nothing.

    /// Key spaces: 0 holds accounts and recipients (one namespace: creators are accounts).
    @exclusivity(unchecked) var interners: [Interner]
    /// Per field (`TxField.rawValue`): its key space, or -1 when no rule reads it as a key.
    let space: [Int]
    /// Per key space: how long an idle key is kept.
    let retention: [Int64]
    let maxKeys: Int
    /// Per field: the current row's id in its key space (0: absent or not interned).
    @exclusivity(unchecked) var rowIDs: [Int32]

    @exclusivity(unchecked) var parties: [Party] = []
    /// Indexed by party id, like `parties`.
    @exclusivity(unchecked) var creators: [Creator] = []
    /// Per aggregate, indexed by the id of its key.
    @exclusivity(unchecked) var aggregateRings: [[EventRing]]
    @exclusivity(unchecked) var aggregateSets: [[DistinctSet]]
    /// Card testing: per detector, per `by` field, indexed by the field's id.
    @exclusivity(unchecked) var testing: [[[IDRing]]]
    /// Shared funding: per funding field, indexed by value id: the new accounts that bought with it.
    @exclusivity(unchecked) var funded: [[DistinctSet]]

    /// The latest time seen; windows end here.
    @exclusivity(unchecked) public private(set) var now: Int64 = .min
    public let outOfOrderTolerance: Int64
    /// Rows older than `now - outOfOrderTolerance` when they arrived.
    @exclusivity(unchecked) public private(set) var lateRows = 0
    @exclusivity(unchecked) public private(set) var rows = 0
    private let sweepEvery = 1 << 16

    let creatorWindow: Int64
    let quickWithin: Int64
    let newAccountAge: Int64
    let fundingFields: [TxField]
    let fundingAge: Int64
    let aggregateSlots: [AggregateSlot]
    let giftRules: [GiftRule]
    let testingRules: [TestingRule]
    /// Per row type: the key fields to intern, as bits of `TxField.rawValue`.
    let keyMaskByType: [UInt16]
    /// Recent transaction ids, referred to by the aggregates' events (16 MiB: about 1.6 million
    /// ids of 10 bytes; older ones drop out of the evidence).
    @exclusivity(unchecked) var idLog = IDLog(capacity: 16 << 20)
    /// This row's reference in `idLog` (0 when no aggregate needs ids).
    @exclusivity(unchecked) var rowRef: Int64 = 0
    /// Per key space: the id limit the per-id arrays have been grown to.
    @exclusivity(unchecked) var grownTo: [Int]

    public init(rules: [Rule], thresholds: Thresholds, maxKeys: Int = 1_000_000,
                outOfOrderTolerance: Int64 = 3_600_000) {
        self.rules = rules
        self.thresholds = thresholds
        self.outOfOrderTolerance = outOfOrderTolerance
        self.maxKeys = max(maxKeys, 1)
        var detectors: [(Int, TxRuleSpec)] = []
        var conditions: [(Int, TxExpression)] = []
        var parser = TxExpressionParser()
        for (i, rule) in rules.enumerated() {
            guard case let .transaction(spec) = rule.kind else { continue }
            if spec.detector == .condition {
                // Checked when the pack loaded; a failure here would be a bug in the loader.
                guard case let .success(e) = parser.parse(spec.condition) else { continue }
                conditions.append((i, e.optimized))
            } else {
                detectors.append((i, spec))
            }
        }
        self.detectors = detectors
        self.conditions = conditions
        aggregates = parser.aggregates
        let specs = detectors.map(\.1)
        creatorWindow = specs.filter { $0.detector == .creatorChargebacks }.map(\.params.window).max() ?? 0
        quickWithin = specs.filter { $0.detector == .quickRedeem }.map(\.params.within).max() ?? 0
        newAccountAge = specs.filter { $0.detector == .newAccountGift }.map(\.params.accountAge).max() ?? 0
        var fields: [TxField] = []
        for s in specs where s.detector == .sharedFunding { for f in s.params.by where !fields.contains(f) { fields.append(f) } }
        fundingFields = fields
        fundingAge = specs.filter { $0.detector == .sharedFunding }.map(\.params.accountAge).max() ?? 0

        // Which fields are keys, in which space, kept how long.
        var space = [Int](repeating: -1, count: TxField.allCases.count)
        space[TxField.account.rawValue] = 0
        space[TxField.recipient.rawValue] = 0
        var retention: [Int64] = [86_400_000]
        func use(_ f: TxField, _ keep: Int64) {
            if space[f.rawValue] < 0 {
                space[f.rawValue] = retention.count
                retention.append(0)
            }
            retention[space[f.rawValue]] = max(retention[space[f.rawValue]], keep)
        }
        for s in specs {
            let p = s.params
            use(.account, max(p.window, p.accountAge, p.within))
            for f in p.by { use(f, p.window) }
        }
        for a in aggregates {
            use(a.key, a.window)
            if let f = a.field, a.function == .distinct { use(f, a.window) }
        }
        self.space = space
        self.retention = retention
        var byType = [[TxField]](repeating: [.account], count: TxType.allCases.count)
        func needs(_ f: TxField, on types: [TxType]) {
            for t in types.isEmpty ? TxType.allCases : types where !byType[Int(t.rawValue)].contains(f) { byType[Int(t.rawValue)].append(f) }
        }
        needs(.recipient, on: [.gift])
        for s in specs {
            switch s.detector {
            case .cardTesting: for f in s.params.by { needs(f, on: [.purchase, .decline]) }
            case .sharedFunding: for f in s.params.by { needs(f, on: [.purchase]) }
            default: break
            }
        }
        for a in aggregates {
            needs(a.key, on: a.types)
            if let f = a.field, a.function == .distinct { needs(f, on: a.types) }
        }
        keyMaskByType = byType.map { fields in fields.reduce(UInt16(0)) { $0 | 1 << UInt16($1.rawValue) } }
        aggregateSlots = parser.aggregates.map { a in
            AggregateSlot(distinct: a.function == .distinct, key: a.key.rawValue, field: a.field?.rawValue ?? -1,
                          typeMask: a.types.isEmpty ? 0xFF : a.types.reduce(UInt8(0)) { $0 | 1 << $1.rawValue }, window: a.window)
        }
        giftRules = detectors.compactMap { rule, spec in
            guard spec.detector == .newAccountGift || spec.detector == .sharedFunding else { return nil }
            let p = spec.params
            let mask = p.by.reduce(UInt16(0)) { m, f in fields.firstIndex(of: f).map { m | 1 << UInt16($0) } ?? m }
            return GiftRule(rule: rule, funding: spec.detector == .sharedFunding, accountAge: p.accountAge, window: p.window,
                            minAmount: p.minAmount, minShare: p.minShare, minAccounts: p.minAccounts, fundingMask: mask)
        }
        testingRules = detectors.compactMap { rule, spec in
            guard spec.detector == .cardTesting else { return nil }
            let by = spec.params.by.prefix(4).map { Int8($0.rawValue) } + [-1, -1, -1, -1]
            return TestingRule(rule: rule, window: spec.params.window, count: spec.params.count, maxAmount: spec.params.maxAmount,
                               by: (by[0], by[1], by[2], by[3]), byCount: min(spec.params.by.count, 4))
        }
        interners = retention.map { _ in Interner() }
        rowIDs = Array(repeating: 0, count: TxField.allCases.count)
        aggregateRings = aggregates.map { _ in [] }
        aggregateSets = aggregates.map { _ in [] }
        testing = detectors.filter { $0.1.detector == .cardTesting }.map { d in d.1.params.by.prefix(4).map { _ in [] } }
        funded = fields.map { _ in [] }
        grownTo = retention.map { _ in 0 }
    }

    /// How many keys the engine holds now, over all its key spaces.
    public var stateKeys: Int { interners.reduce(0) { $0 + $1.live } }

    /// Keys dropped before their windows ended because a key space reached `maxKeys`.
    public var evictedKeys: Int { interners.reduce(0) { $0 + $1.evicted } }

    /// The largest key space (keys), to check against `maxKeys`.
    public var largestTable: Int { interners.map(\.live).max() ?? 0 }

    /// Scores `tx` in the context of the rows before it, then remembers it.
    /// Returns whether the row arrived later than the out-of-order tolerance allows.
    @discardableResult
    public func process(_ tx: Transaction, into result: inout TxClassification) -> Bool {
        result.hits.removeAll(keepingCapacity: true)
        result.score = 0
        result.verdict = .allow
        rows += 1
        var late = false
        if tx.time > now {
            now = tx.time
        } else if tx.time < now - outOfOrderTolerance {
            late = true
            lateRows += 1
        }
        internKeys(tx)
        if !aggregateSlots.isEmpty { rowRef = idLog.append(tx.id) }
        let a = Int(rowIDs[TxField.account.rawValue])
        if tx.time < parties[a].firstSeen { parties[a].firstSeen = tx.time }
        updateAggregates(tx)
        switch tx.type {
        case .purchase: purchase(tx, account: a)
        case .gift: gift(tx, account: a, into: &result)
        case .refund, .chargeback: reversal(tx, account: a, into: &result)
        case .redeem: redeem(tx, account: a, into: &result)
        case .decline: break
        }
        if tx.type == .purchase || tx.type == .decline { cardTesting(tx, into: &result) }
        if !conditions.isEmpty { evaluateConditions(tx, account: a, into: &result) }
        for (k, hit) in result.hits.enumerated() where !result.hits[..<k].contains(where: { $0.rule == hit.rule }) {
            result.score += rules[hit.rule].score
        }
        result.verdict = result.score >= thresholds.block ? .block : result.score >= thresholds.review ? .review : .allow
        if result.score >= thresholds.review { markRisky(a, tx) }
        if rows % sweepEvery == 0 { sweep() }
        return late
    }

    /// Interns the row's key fields and grows the per-id arrays to match.
    private func internKeys(_ tx: Transaction) {
        for f in space.indices where space[f] > 0 { rowIDs[f] = 0 }
        var mask = keyMaskByType[Int(tx.type.rawValue)]
        while mask != 0 {
            let f = mask.trailingZeroBitCount
            mask &= mask - 1
            let s = space[f]
            rowIDs[f] = interners[s].intern(tx.text(TxField(rawValue: f)!), time: now)
            if interners[s].idLimit > grownTo[s] { grow(space: s) }
        }
    }

    /// Grows every per-id array of key space `s` past its interner's id limit, doubling (so this
    /// runs a logarithmic number of times, and a small export allocates little).
    private func grow(space s: Int) {
        let limit = max(interners[s].idLimit, grownTo[s] * 2, 64)
        grownTo[s] = limit
        func extend<T>(_ array: inout [T], _ empty: T) {
            if array.count < limit { array.append(contentsOf: repeatElement(empty, count: limit - array.count)) }
        }
        if s == 0 {
            extend(&parties, Party())
            extend(&creators, Creator())
        }
        for (i, agg) in aggregateSlots.enumerated() where space[agg.key] == s {
            if agg.distinct { extend(&aggregateSets[i], DistinctSet()) } else { extend(&aggregateRings[i], EventRing()) }
        }
        for (k, t) in testingRules.enumerated() {
            for j in 0..<t.byCount where space[Int(field(t.by, j))] == s { extend(&testing[k][j], IDRing()) }
        }
        for (j, f) in fundingFields.enumerated() where space[f.rawValue] == s { extend(&funded[j], DistinctSet()) }
    }

    @inline(__always)
    func field(_ by: (Int8, Int8, Int8, Int8), _ j: Int) -> Int8 {
        switch j {
        case 0: by.0
        case 1: by.1
        case 2: by.2
        default: by.3
        }
    }

    /// Frees keys idle longer than their retention (also run every 65,536 rows).
    public func sweep() {
        guard now != .min else { return }  // no row yet
        for s in interners.indices {
            interners[s].expire(before: now - retention[s], maxKeys: maxKeys) { id in
                let i = Int(id)
                if s == 0 {
                    parties[i] = Party()
                    creators[i] = Creator()
                }
                for (k, agg) in aggregateSlots.enumerated() where space[agg.key] == s {
                    if agg.distinct { aggregateSets[k][i] = DistinctSet() } else { aggregateRings[k][i] = EventRing() }
                }
                for (k, t) in testingRules.enumerated() {
                    for j in 0..<t.byCount where space[Int(field(t.by, j))] == s { testing[k][j][i] = IDRing() }
                }
                for (j, f) in fundingFields.enumerated() where space[f.rawValue] == s { funded[j][i] = DistinctSet() }
            }
        }
    }

    /// The name of a party id (account or creator).
    func name(_ id: Int32) -> String { interners[0].string(id) }

    /// Marks account `a` risky, remembering the row that made it so (the first one).
    func markRisky(_ a: Int, _ tx: Transaction) {
        if quickWithin > 0 && parties[a].riskyBecause == 0 { parties[a].riskyBecause = idLog.append(tx.id) }
        parties[a].risky = true
    }

    func hit(_ rule: Int, _ evidence: String, _ related: [String], creator: String? = nil, into result: inout TxClassification) {
        result.hits.append(TxHit(rule: rule, evidence: evidence, related: related, creator: creator))
    }
}
