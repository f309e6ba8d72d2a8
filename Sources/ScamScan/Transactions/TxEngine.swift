/// One transaction rule that hit, with its evidence and the ids of the transactions it relates.
public struct TxHit: Sendable {
    /// Index of the rule in the pack.
    public var rule: Int
    public var evidence: String
    public var related: [String]
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
        var reversals: Int32 = 0
        var giftedTotal: Int64 = 0
        var purchases: [Purchase] = []
        var gifts: [Gift] = []
        var newPurchasedAmount = 0.0
        var newPurchasedCoins: Int64 = 0
        var newGiftsTo: [(recipient: Int32, coins: Int64)] = []
        /// Per funding field: the value id of the latest purchase's.
        var funding: [Int32] = []
        // As a creator:
        var received = BucketSum()
        var chargedBack = BucketSum()
        var chargedBackAccounts = DistinctSet()
        var riskyGifts = EventRing()
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

    /// Key spaces: 0 holds accounts and recipients (one namespace: creators are accounts).
    var interners: [Interner]
    /// Per field (`TxField.rawValue`): its key space, or -1 when no rule reads it as a key.
    let space: [Int]
    /// Per key space: how long an idle key is kept.
    let retention: [Int64]
    let maxKeys: Int
    /// Per field: the current row's id in its key space (0: absent or not interned).
    var rowIDs: [Int32]
    /// Per row type: the fields some rule reads as keys on rows of that type.
    let keysByType: [[TxField]]

    var parties: [Party] = []
    /// Per aggregate, indexed by the id of its key.
    var aggregateRings: [[EventRing]]
    var aggregateSets: [[DistinctSet]]
    /// Card testing: per detector, per `by` field, indexed by the field's id.
    var testing: [[[IDRing]]]
    /// Shared funding: per funding field, indexed by value id: the new accounts that bought with it.
    var funded: [[DistinctSet]]

    /// The latest time seen; windows end here.
    public private(set) var now: Int64 = .min
    public let outOfOrderTolerance: Int64
    /// Rows older than `now - outOfOrderTolerance` when they arrived.
    public private(set) var lateRows = 0
    public private(set) var rows = 0
    private let sweepEvery = 1 << 16

    let creatorWindow: Int64
    let quickWithin: Int64
    let newAccountAge: Int64
    let fundingFields: [TxField]
    let fundingAge: Int64

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
        keysByType = byType
        interners = retention.map { _ in Interner() }
        rowIDs = Array(repeating: 0, count: TxField.allCases.count)
        aggregateRings = aggregates.map { _ in [] }
        aggregateSets = aggregates.map { _ in [] }
        testing = detectors.map { d in d.1.detector == .cardTesting ? d.1.params.by.map { _ in [] } : [] }
        funded = fields.map { _ in [] }
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
        if result.score >= thresholds.review { parties[a].risky = true }
        if rows % sweepEvery == 0 { sweep() }
        return late
    }

    /// Interns the row's key fields and grows the per-id arrays to match.
    private func internKeys(_ tx: Transaction) {
        for f in space.indices where space[f] > 0 { rowIDs[f] = 0 }
        for f in keysByType[Int(tx.type.rawValue)] {
            rowIDs[f.rawValue] = interners[space[f.rawValue]].intern(tx.text(f), time: now)
        }
        let partyLimit = interners[0].idLimit
        if parties.count < partyLimit { parties.append(contentsOf: repeatElement(Party(), count: partyLimit - parties.count)) }
        for (i, agg) in aggregates.enumerated() {
            let limit = interners[space[agg.key.rawValue]].idLimit
            if agg.function == .distinct {
                if aggregateSets[i].count < limit { aggregateSets[i].append(contentsOf: repeatElement(DistinctSet(), count: limit - aggregateSets[i].count)) }
            } else if aggregateRings[i].count < limit {
                aggregateRings[i].append(contentsOf: repeatElement(EventRing(), count: limit - aggregateRings[i].count))
            }
        }
        for (k, (_, spec)) in detectors.enumerated() where spec.detector == .cardTesting {
            for (j, f) in spec.params.by.enumerated() {
                let limit = interners[space[f.rawValue]].idLimit
                if testing[k][j].count < limit { testing[k][j].append(contentsOf: repeatElement(IDRing(), count: limit - testing[k][j].count)) }
            }
        }
        for (j, f) in fundingFields.enumerated() {
            let limit = interners[space[f.rawValue]].idLimit
            if funded[j].count < limit { funded[j].append(contentsOf: repeatElement(DistinctSet(), count: limit - funded[j].count)) }
        }
    }

    /// Frees keys idle longer than their retention (also run every 65,536 rows).
    public func sweep() {
        for s in interners.indices {
            interners[s].expire(before: now - retention[s], maxKeys: maxKeys) { id in
                let i = Int(id)
                if s == 0 { parties[i] = Party() }
                for (k, agg) in aggregates.enumerated() where space[agg.key.rawValue] == s {
                    if agg.function == .distinct { aggregateSets[k][i] = DistinctSet() } else { aggregateRings[k][i] = EventRing() }
                }
                for (k, (_, spec)) in detectors.enumerated() where spec.detector == .cardTesting {
                    for (j, f) in spec.params.by.enumerated() where space[f.rawValue] == s { testing[k][j][i] = IDRing() }
                }
                for (j, f) in fundingFields.enumerated() where space[f.rawValue] == s { funded[j][i] = DistinctSet() }
            }
        }
    }

    /// The name of a party id (account or creator).
    func name(_ id: Int32) -> String { interners[0].string(id) }

    func hit(_ rule: Int, _ evidence: String, _ related: [String], into result: inout TxClassification) {
        result.hits.append(TxHit(rule: rule, evidence: evidence, related: related))
    }
}
