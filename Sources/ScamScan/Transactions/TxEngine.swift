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
}

/// Scores a stream of transactions with a pack's transaction rules, keeping per-account,
/// per-creator and per-key windows (see `KeyedTable` for how they stay bounded).
///
/// The engine is a pure function of (rules, transactions so far): one engine per stream, or per
/// partition of a stream keyed by account (docs/TRANSACTIONS.md, "State").
public final class TxEngine {
    public let rules: [Rule]
    let thresholds: Thresholds
    /// (pack rule index, spec) of each transaction rule.
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
        var recipient: String
    }
    struct Account {
        var firstSeen: Int64 = .max
        var risky = false
        var reversals = 0
        var giftedTotal: Int64 = 0
        var purchases: [Purchase] = []
        var gifts: [Gift] = []
        var newPurchasedAmount = 0.0
        var newPurchasedCoins: Int64 = 0
        var newGiftsTo: [(recipient: String, coins: Int64)] = []
        var funding: [String] = []  // per sharedFunding key: the latest value
    }
    struct Creator {
        var received = BucketSum()
        var chargedBack = BucketSum()
        var chargedBackAccounts = DistinctSet()
        var riskyGifts = EventRing()
    }

    static let purchasesKept = 4
    static let giftsKept = 8

    var accounts: KeyedTable<Account>
    var creators: KeyedTable<Creator>
    /// Per aggregate: its key's recent events (count/sum) or distinct values.
    var aggregateRings: [KeyedTable<EventRing>]
    var aggregateSets: [KeyedTable<DistinctSet>]
    /// Card testing, per rule and key field.
    var testing: [KeyedTable<EventRing>]
    /// Shared funding, per rule: (funding field, value, recipient) → accounts.
    var funding: [KeyedTable<DistinctSet>]

    /// The latest time seen; windows end here.
    public private(set) var now: Int64 = .min
    public let outOfOrderTolerance: Int64
    /// Rows older than `now - outOfOrderTolerance` when they arrived.
    public private(set) var lateRows = 0
    public private(set) var rows = 0
    private let sweepEvery = 1 << 16

    /// What the detectors need to keep.
    let needsCreators: Bool
    let creatorWindow: Int64
    let quickWithin: Int64
    let newAccountAge: Int64
    let fundingFields: [TxField]
    let fundingAge: Int64

    public init(rules: [Rule], thresholds: Thresholds, maxKeys: Int = 500_000,
                outOfOrderTolerance: Int64 = 3_600_000) {
        self.rules = rules
        self.thresholds = thresholds
        self.outOfOrderTolerance = outOfOrderTolerance
        var detectors: [(Int, TxRuleSpec)] = []
        var conditions: [(Int, TxExpression)] = []
        var parser = TxExpressionParser()
        for (i, rule) in rules.enumerated() {
            guard case let .transaction(spec) = rule.kind else { continue }
            if spec.detector == .condition {
                // Checked when the pack loaded; a failure here would be a bug in the loader.
                guard case let .success(e) = parser.parse(spec.condition) else { continue }
                conditions.append((i, e))
            } else {
                detectors.append((i, spec))
            }
        }
        self.detectors = detectors
        self.conditions = conditions
        aggregates = parser.aggregates
        let specs = detectors.map(\.1)
        func longest(_ f: (TxParams) -> Int64) -> Int64 { specs.map { f($0.params) }.max() ?? 0 }
        creatorWindow = specs.filter { $0.detector == .creatorChargebacks }.map(\.params.window).max() ?? 0
        quickWithin = specs.filter { $0.detector == .quickRedeem }.map(\.params.within).max() ?? 0
        needsCreators = creatorWindow > 0 || quickWithin > 0
        newAccountAge = specs.filter { $0.detector == .newAccountGift }.map(\.params.accountAge).max() ?? 0
        var fields: [TxField] = []
        for s in specs where s.detector == .sharedFunding { for f in s.params.by where !fields.contains(f) { fields.append(f) } }
        fundingFields = fields
        fundingAge = specs.filter { $0.detector == .sharedFunding }.map(\.params.accountAge).max() ?? 0
        let day: Int64 = 86_400_000
        let accountRetention = max(day, longest { max($0.window, $0.accountAge, $0.within) },
                                   aggregates.map(\.window).max() ?? 0)
        accounts = KeyedTable(retention: accountRetention, maxKeys: maxKeys)
        creators = KeyedTable(retention: max(creatorWindow, quickWithin, 1), maxKeys: maxKeys)
        aggregateRings = aggregates.map { KeyedTable(retention: $0.window, maxKeys: maxKeys) }
        aggregateSets = aggregates.map { KeyedTable(retention: $0.window, maxKeys: maxKeys) }
        testing = detectors.map { KeyedTable(retention: $0.1.params.window, maxKeys: maxKeys) }
        funding = detectors.map { KeyedTable(retention: $0.1.params.window, maxKeys: maxKeys) }
    }

    /// How many keys the engine holds now, over all its tables (for `--stats` and the bounded-memory test).
    public var stateKeys: Int {
        accounts.count + creators.count + aggregateRings.reduce(0) { $0 + $1.count }
            + aggregateSets.reduce(0) { $0 + $1.count } + testing.reduce(0) { $0 + $1.count }
            + funding.reduce(0) { $0 + $1.count }
    }

    /// Keys dropped before their windows ended because a table reached its cap.
    public var evictedKeys: Int {
        accounts.evicted + creators.evicted + aggregateRings.reduce(0) { $0 + $1.evicted }
            + aggregateSets.reduce(0) { $0 + $1.evicted } + testing.reduce(0) { $0 + $1.evicted }
            + funding.reduce(0) { $0 + $1.evicted }
    }

    /// The largest table (keys), to check against `maxKeys`.
    public var largestTable: Int {
        ([accounts.count, creators.count] + aggregateRings.map(\.count) + aggregateSets.map(\.count)
            + testing.map(\.count) + funding.map(\.count)).max() ?? 0
    }

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
        let (a, isNew) = accounts.slot(tx.account, time: now) { Account() }
        if isNew || tx.time < accounts.states[a].firstSeen { accounts.states[a].firstSeen = tx.time }
        updateAggregates(tx)
        switch tx.type {
        case .purchase: purchase(tx, account: a, into: &result)
        case .gift: gift(tx, account: a, into: &result)
        case .refund, .chargeback: reversal(tx, account: a, into: &result)
        case .redeem: redeem(tx, into: &result)
        case .decline: break
        }
        if tx.type == .purchase || tx.type == .decline { cardTesting(tx, into: &result) }
        evaluateConditions(tx, account: a, into: &result)
        var seen: Set<Int> = []
        for hit in result.hits where seen.insert(hit.rule).inserted { result.score += rules[hit.rule].score }
        result.verdict = result.score >= thresholds.block ? .block : result.score >= thresholds.review ? .review : .allow
        if result.score >= thresholds.review { accounts.states[a].risky = true }
        if rows % sweepEvery == 0 { sweep() }
        return late
    }

    /// Expires idle keys now (also run every 65,536 rows).
    public func sweep() {
        accounts.sweep(now: now, empty: Account())
        creators.sweep(now: now, empty: Creator())
        for i in aggregateRings.indices { aggregateRings[i].sweep(now: now, empty: EventRing()) }
        for i in aggregateSets.indices { aggregateSets[i].sweep(now: now, empty: DistinctSet()) }
        for i in testing.indices { testing[i].sweep(now: now, empty: EventRing()) }
        for i in funding.indices { funding[i].sweep(now: now, empty: DistinctSet()) }
    }

    func hit(_ rule: Int, _ evidence: String, _ related: [String], into result: inout TxClassification) {
        result.hits.append(TxHit(rule: rule, evidence: evidence, related: related))
    }
}
