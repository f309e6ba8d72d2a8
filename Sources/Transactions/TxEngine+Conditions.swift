import ScanSupport
import Stream
import Model

/// `tx_condition` rules: windowed aggregates kept per key, and the expression evaluator.
extension TxEngine {
    /// Adds the row to every aggregate whose type filter it passes.
    func updateAggregates(_ tx: Transaction) {
        let typeBit = UInt8(1) << tx.type.rawValue
        for i in aggregateSlots.indices {
            let agg = aggregateSlots[i]
            if agg.typeMask & typeBit == 0 { continue }
            let key = Int(rowIDs[agg.key])
            guard key != 0 else { continue }
            if agg.distinct {
                let v = rowIDs[agg.field]
                guard v != 0 else { continue }
                aggregateSets[i][key].add(v, time: tx.time, capacity: 64, tx: rowRef)
            } else {
                let value: Double = switch agg.field {
                case TxField.coins.rawValue: Double(tx.coins ?? 0)
                case TxField.amount.rawValue: tx.amount ?? 0
                default: 1
                }
                aggregateRings[i][key].add(.init(time: tx.time, value: value, ref: 0, tx: rowRef), capacity: 64)
            }
        }
    }

    /// The aggregate's value for the row's key; nil when the row has no such key.
    func aggregateValue(_ i: Int, _ tx: Transaction) -> Double? {
        let agg = aggregateSlots[i]
        let key = Int(rowIDs[agg.key])
        guard key != 0 else { return nil }
        let since = tx.time - agg.window
        if agg.distinct { return Double(aggregateSets[i][key].count(since: since)) }
        let (n, sum) = aggregateRings[i][key].total(since: since)
        return agg.field < 0 ? Double(n) : sum
    }

    func evaluateConditions(_ tx: Transaction, account a: Int, into result: inout TxClassification) {
        var none: [(Int, Double)]? = nil
        for (rule, expression) in conditions {
            guard case .bool(true) = evaluate(expression, tx, account: a, used: &none) else { continue }
            // It fired: evaluate again, noting the aggregates' values for the evidence.
            var noted: [(Int, Double)]? = []
            _ = evaluate(expression, tx, account: a, used: &noted)
            let used = noted ?? []
            var parts: [String] = []
            for (i, v) in used where !parts.contains(where: { $0.hasPrefix(aggregates[i].description) }) {
                parts.append("\(aggregates[i].description) = \(formatNumber(v)) for \(aggregates[i].key.name) \(tx.text(aggregates[i].key))")
            }
            // The related transactions: those each aggregate counted, this one last.
            var related: [String] = []
            for (i, _) in used {
                let key = Int(rowIDs[aggregateSlots[i].key])
                guard key != 0 else { continue }
                let since = tx.time - aggregateSlots[i].window
                let refs = aggregateSlots[i].distinct
                    ? aggregateSets[i][key].transactions(since: since)
                    : aggregateRings[i][key].recent(since: since).map(\.tx)
                for id in refs.compactMap({ idLog.id($0) }) where id != tx.id && !related.contains(id) { related.append(id) }
            }
            related = Array(related.suffix(19)) + [tx.id]
            if case .transaction(let spec) = rules[rule].kind {
                let age = tx.time - parties[a].firstSeen
                let ageNote = spec.condition.contains("account_age") ? "account_age = \(TxDuration.describe(age)); " : ""
                hit(rule, "\(spec.condition) (\(ageNote)\(parts.joined(separator: "; ")))"
                    .replacingOccurrences(of: " ()", with: "").replacingOccurrences(of: "; )", with: ")"), related, into: &result)
            }
        }
    }

    enum Value: Equatable {
        case number(Double), string(String), bool(Bool), missing
    }

    func evaluate(_ e: TxExpression, _ tx: Transaction, account a: Int, used: inout [(Int, Double)]?) -> Value {
        switch e {
        case let .number(v): return .number(v)
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case let .field(f):
            switch f {
            case .coins: return tx.coins.map { .number(Double($0)) } ?? .missing
            case .amount: return tx.amount.map { .number($0) } ?? .missing
            case .timestamp: return .number(Double(tx.time))
            default:
                let s = tx.text(f)
                return s.isEmpty ? .missing : .string(s)
            }
        case .accountAge:
            return .number(Double(tx.time - parties[a].firstSeen))
        case let .aggregate(i):
            guard let v = aggregateValue(i, tx) else { return .missing }
            used?.append((i, v))
            return .number(v)
        case let .not(inner):
            guard case let .bool(b) = evaluate(inner, tx, account: a, used: &used) else { return .bool(false) }
            return .bool(!b)
        case let .and(l, r):
            guard case .bool(true) = evaluate(l, tx, account: a, used: &used) else { return .bool(false) }
            guard case .bool(true) = evaluate(r, tx, account: a, used: &used) else { return .bool(false) }
            return .bool(true)
        case let .or(l, r):
            if case .bool(true) = evaluate(l, tx, account: a, used: &used) { return .bool(true) }
            if case .bool(true) = evaluate(r, tx, account: a, used: &used) { return .bool(true) }
            return .bool(false)
        case let .compare(l, op, r):
            let x = evaluate(l, tx, account: a, used: &used)
            let y = evaluate(r, tx, account: a, used: &used)
            switch (x, y) {
            case let (.number(p), .number(q)):
                switch op {
                case .eq: return .bool(p == q)
                case .ne: return .bool(p != q)
                case .lt: return .bool(p < q)
                case .le: return .bool(p <= q)
                case .gt: return .bool(p > q)
                case .ge: return .bool(p >= q)
                }
            case let (.string(p), .string(q)):
                return .bool(op == .eq ? equalFolded(p, q) : !equalFolded(p, q))
            case let (.bool(p), .bool(q)):
                return .bool(op == .eq ? p == q : p != q)
            default:
                return .bool(false)  // a missing value compares false
            }
        case let .inList(l, items):
            let x = evaluate(l, tx, account: a, used: &used)
            if x == .missing { return .bool(false) }
            for item in items {
                let y = evaluate(item, tx, account: a, used: &used)
                if case let (.string(p), .string(q)) = (x, y), equalFolded(p, q) { return .bool(true) }
                if x == y { return .bool(true) }
            }
            return .bool(false)
        case let .arithmetic(l, op, r):
            guard case let .number(p) = evaluate(l, tx, account: a, used: &used),
                  case let .number(q) = evaluate(r, tx, account: a, used: &used) else { return .missing }
            switch op {
            case .add: return .number(p + q)
            case .sub: return .number(p - q)
            case .mul: return .number(p * q)
            case .div: return q == 0 ? .missing : .number(p / q)
            }
        case let .typeIn(mask):
            return .bool(mask & (1 << tx.type.rawValue) != 0)
        case let .negate(inner):
            guard case let .number(v) = evaluate(inner, tx, account: a, used: &used) else { return .missing }
            return .number(-v)
        }
    }
}

func formatNumber(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : formatAmount(v)
}
