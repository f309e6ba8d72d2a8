import ScanSupport
import Stream
import Model

/// Risk per account and per creator, from the flagged transactions (`scamscan tx --summary`).
///
/// Only flagged rows make entries, so the summary grows with what is flagged, not with the export.
/// An account's risk is the sum of the scores of its flagged rows; a creator's is the sum of the
/// scores of flagged gifts it received and of its own flagged rows (redeems).
public struct TxSummary {
    public struct Entry {
        public var key: String
        public var risk = 0.0
        public var flaggedRows = 0
        public var worst = Verdict.allow
        public var coins: Int64 = 0
        public var rules: [Int] = []
        public var firstTime = Int64.max
        public var lastTime = Int64.min
        /// A few transaction ids, for a first look.
        public var examples: [String] = []

        mutating func add(_ tx: Transaction, _ c: TxClassification, coins: Int64) {
            risk += c.score
            flaggedRows += 1
            if c.verdict > worst { worst = c.verdict }
            self.coins += coins
            for h in c.hits where !rules.contains(h.rule) { rules.append(h.rule) }
            firstTime = min(firstTime, tx.time)
            lastTime = max(lastTime, tx.time)
            if examples.count < 5 { examples.append(tx.id) }
        }
    }

    private var accountIndex: [String: Int] = [:]
    public private(set) var accounts: [Entry] = []
    private var creatorIndex: [String: Int] = [:]
    public private(set) var creators: [Entry] = []

    init() {}

    mutating func add(_ tx: Transaction, _ c: TxClassification) {
        guard c.verdict != .allow else { return }
        let i = accountIndex[tx.account] ?? {
            accounts.append(Entry(key: tx.account))
            accountIndex[tx.account] = accounts.count - 1
            return accounts.count - 1
        }()
        accounts[i].add(tx, c, coins: tx.coins ?? 0)
        // A gift's creator is its recipient, a redeem's its account; creator-side rules name theirs.
        var creator = tx.type == .gift ? tx.recipient : tx.type == .redeem ? tx.account : ""
        if creator.isEmpty, let named = c.hits.lazy.compactMap(\.creator).first { creator = named }
        guard !creator.isEmpty else { return }
        let k = creatorIndex[creator] ?? {
            creators.append(Entry(key: creator))
            creatorIndex[creator] = creators.count - 1
            return creators.count - 1
        }()
        creators[k].add(tx, c, coins: tx.type == .gift ? tx.coins ?? 0 : 0)
    }

    /// Entries by risk, highest first (ties: more flagged rows, then key).
    public static func ranked(_ entries: [Entry]) -> [Entry] {
        entries.sorted {
            if $0.risk != $1.risk { return $0.risk > $1.risk }
            if $0.flaggedRows != $1.flaggedRows { return $0.flaggedRows > $1.flaggedRows }
            return $0.key < $1.key
        }
    }
}
