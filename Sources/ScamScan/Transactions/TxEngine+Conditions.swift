/// `tx_condition` rules: windowed aggregates kept per key, and the expression evaluator.
extension TxEngine {
    /// Adds the row to every aggregate whose type filter it passes.
    func updateAggregates(_ tx: Transaction) {
        for (i, agg) in aggregates.enumerated() {
            if !agg.types.isEmpty && !agg.types.contains(tx.type) { continue }
            let key = tx.text(agg.key)
            guard !key.isEmpty else { continue }
            switch agg.function {
            case .count, .sum:
                let value: Double
                switch agg.field {
                case .coins?: value = Double(tx.coins ?? 0)
                case .amount?: value = tx.amount ?? 0
                default: value = 1
                }
                let s = aggregateRings[i].slot(key, time: now) { EventRing() }.slot
                aggregateRings[i].states[s].add(.init(time: tx.time, value: value, label: ""), capacity: 64)
            case .distinct:
                let v = tx.text(agg.field!)
                guard !v.isEmpty else { continue }
                let s = aggregateSets[i].slot(key, time: now) { DistinctSet() }.slot
                aggregateSets[i].states[s].add(v, time: tx.time, capacity: 64)
            }
        }
    }

    /// The aggregate's value for the row's key; nil when the row has no such key.
    func aggregateValue(_ i: Int, _ tx: Transaction) -> Double? {
        let agg = aggregates[i]
        let key = tx.text(agg.key)
        guard !key.isEmpty else { return nil }
        let since = tx.time - agg.window
        switch agg.function {
        case .count, .sum:
            guard let s = aggregateRings[i].find(key) else { return 0 }
            let (n, sum) = aggregateRings[i].states[s].total(since: since)
            return agg.function == .count ? Double(n) : sum
        case .distinct:
            guard let s = aggregateSets[i].find(key) else { return 0 }
            return Double(aggregateSets[i].states[s].count(since: since))
        }
    }

    func evaluateConditions(_ tx: Transaction, account a: Int, into result: inout TxClassification) {
        for (rule, expression) in conditions {
            var used: [(Int, Double)] = []
            guard case .bool(true) = evaluate(expression, tx, account: a, used: &used) else { continue }
            var parts: [String] = []
            for (i, v) in used where !parts.contains(where: { $0.hasPrefix(aggregates[i].description) }) {
                parts.append("\(aggregates[i].description) = \(formatNumber(v)) for \(aggregates[i].key.name) \(tx.text(aggregates[i].key))")
            }
            if case .transaction(let spec) = rules[rule].kind {
                let age = tx.time - accounts.states[a].firstSeen
                let ageNote = spec.condition.contains("account_age") ? "account_age = \(TxDuration.describe(age)); " : ""
                hit(rule, "\(spec.condition) (\(ageNote)\(parts.joined(separator: "; ")))"
                    .replacingOccurrences(of: " ()", with: "").replacingOccurrences(of: "; )", with: ")"), [tx.id], into: &result)
            }
        }
    }

    enum Value: Equatable {
        case number(Double), string(String), bool(Bool), missing
    }

    func evaluate(_ e: TxExpression, _ tx: Transaction, account a: Int, used: inout [(Int, Double)]) -> Value {
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
            return .number(Double(tx.time - accounts.states[a].firstSeen))
        case let .aggregate(i):
            guard let v = aggregateValue(i, tx) else { return .missing }
            used.append((i, v))
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
                return .bool(op == .eq ? p.lowercased() == q.lowercased() : p.lowercased() != q.lowercased())
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
                if case let (.string(p), .string(q)) = (x, y), p.lowercased() == q.lowercased() { return .bool(true) }
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
        case let .negate(inner):
            guard case let .number(v) = evaluate(inner, tx, account: a, used: &used) else { return .missing }
            return .number(-v)
        }
    }
}

func formatNumber(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : formatAmount(v)
}
