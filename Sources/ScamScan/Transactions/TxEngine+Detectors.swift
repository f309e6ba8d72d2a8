/// The built-in detectors (docs/TRANSACTIONS.md, "Detectors"). Each one reads the row and the
/// state the rows before it left, and adds a hit with evidence naming the related transactions.
extension TxEngine {
    func purchase(_ tx: Transaction, account a: Int, into result: inout TxClassification) {
        let coins = tx.coins ?? 0
        var acc = accounts.states[a]
        let p = Purchase(id: tx.id, time: tx.time, coins: coins, amount: tx.amount ?? 0, giftedBefore: acc.giftedTotal)
        if acc.purchases.count >= Self.purchasesKept { acc.purchases.removeFirst() }
        acc.purchases.append(p)
        if newAccountAge > 0 && tx.time - acc.firstSeen < newAccountAge {
            acc.newPurchasedAmount += tx.amount ?? 0
            acc.newPurchasedCoins += coins
        }
        if !fundingFields.isEmpty {
            if acc.funding.isEmpty { acc.funding = Array(repeating: "", count: fundingFields.count) }
            for (k, f) in fundingFields.enumerated() {
                let v = tx.text(f)
                if !v.isEmpty { acc.funding[k] = v }
            }
        }
        accounts.states[a] = acc
    }

    func gift(_ tx: Transaction, account a: Int, into result: inout TxClassification) {
        let coins = tx.coins ?? 0
        accounts.states[a].giftedTotal += coins
        if accounts.states[a].gifts.count >= Self.giftsKept { accounts.states[a].gifts.removeFirst() }
        accounts.states[a].gifts.append(Gift(id: tx.id, time: tx.time, coins: coins, recipient: tx.recipient))
        if newAccountAge > 0 && tx.time - accounts.states[a].firstSeen < newAccountAge && !tx.recipient.isEmpty {
            if let i = accounts.states[a].newGiftsTo.firstIndex(where: { $0.recipient == tx.recipient }) {
                accounts.states[a].newGiftsTo[i].coins += coins
            } else if accounts.states[a].newGiftsTo.count < 4 {
                accounts.states[a].newGiftsTo.append((tx.recipient, coins))
            }
        }
        let risky = accounts.states[a].risky
        if needsCreators && !tx.recipient.isEmpty {
            let c = creators.slot(tx.recipient, time: now) { Creator() }.slot
            if creatorWindow > 0 { creators.states[c].received.add(Double(coins), time: tx.time, window: creatorWindow) }
            if risky && quickWithin > 0 {
                creators.states[c].riskyGifts.add(.init(time: tx.time, value: Double(coins), label: tx.account), capacity: 64)
            }
        }
        for (k, (rule, spec)) in detectors.enumerated() {
            switch spec.detector {
            case .newAccountGift: newAccountGift(tx, account: a, rule: rule, spec.params, into: &result)
            case .sharedFunding: sharedFunding(tx, account: a, rule: rule, table: k, spec.params, into: &result)
            default: break
            }
        }
    }

    private func newAccountGift(_ tx: Transaction, account a: Int, rule: Int, _ p: TxParams, into result: inout TxClassification) {
        let acc = accounts.states[a]
        let age = tx.time - acc.firstSeen
        guard age < p.accountAge, !tx.recipient.isEmpty else { return }
        guard let toRecipient = acc.newGiftsTo.first(where: { $0.recipient == tx.recipient })?.coins else { return }
        guard acc.newPurchasedAmount >= p.minAmount, acc.newPurchasedCoins > 0,
              Double(toRecipient) >= p.minShare * Double(acc.newPurchasedCoins) else { return }
        let purchases = acc.purchases.filter { $0.time >= acc.firstSeen }
        let gifts = acc.gifts.filter { $0.recipient == tx.recipient && $0.time >= acc.firstSeen }
        let share = Int((Double(toRecipient) / Double(acc.newPurchasedCoins) * 100).rounded())
        hit(rule, "account \(tx.account) first seen \(TxDuration.describe(age)) ago bought \(acc.newPurchasedCoins) coins for \(formatAmount(acc.newPurchasedAmount)) (\(purchases.map(\.id).joined(separator: ", "))) and gifted \(toRecipient) of them (\(share)%) to \(tx.recipient)",
            purchases.map(\.id) + gifts.map(\.id), into: &result)
    }

    private func sharedFunding(_ tx: Transaction, account a: Int, rule: Int, table: Int, _ p: TxParams, into result: inout TxClassification) {
        let acc = accounts.states[a]
        guard tx.time - acc.firstSeen < p.accountAge, !tx.recipient.isEmpty, !acc.funding.isEmpty else { return }
        for field in p.by {
            guard let k = fundingFields.firstIndex(of: field) else { continue }
            let value = acc.funding[k]
            guard !value.isEmpty else { continue }
            let key = "\(field.rawValue)\u{1}\(value)\u{1}\(tx.recipient)"
            let s = funding[table].slot(key, time: now) { DistinctSet() }.slot
            funding[table].states[s].add(tx.account, time: tx.time, capacity: 64)
            let since = tx.time - p.window
            let n = funding[table].states[s].count(since: since)
            if n >= p.minAccounts {
                let names = funding[table].states[s].labels(since: since)
                hit(rule, "\(n) new accounts funded by \(field.name) \(value) gifted to \(tx.recipient) within \(TxDuration.describe(p.window)): \(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? ", ..." : "")",
                    [tx.id], into: &result)
                return
            }
        }
    }

    func reversal(_ tx: Transaction, account a: Int, into result: inout TxClassification) {
        var acc = accounts.states[a]
        acc.reversals += 1
        acc.risky = true
        accounts.states[a] = acc
        for (rule, spec) in detectors {
            switch spec.detector {
            case .giftChargeback: giftChargeback(tx, acc, rule: rule, spec.params, into: &result)
            case .creatorChargebacks: creatorChargebacks(tx, acc, rule: rule, spec.params, into: &result)
            default: break
            }
        }
        // Gifts this account made recently now count as risky for the creators' quick redeems.
        if quickWithin > 0 {
            for g in acc.gifts where g.time >= tx.time - quickWithin && !g.recipient.isEmpty {
                guard let c = creators.find(g.recipient) else { continue }
                creators.states[c].riskyGifts.add(.init(time: g.time, value: Double(g.coins), label: tx.account), capacity: 64)
            }
        }
    }

    private func giftChargeback(_ tx: Transaction, _ acc: Account, rule: Int, _ p: TxParams, into result: inout TxClassification) {
        let purchase: Purchase?
        if !tx.relatedID.isEmpty {
            purchase = acc.purchases.last { $0.id == tx.relatedID }
        } else {
            purchase = acc.purchases.last { $0.time <= tx.time }
        }
        guard let purchase, purchase.coins > 0, tx.time - purchase.time <= p.window else { return }
        let gifted = acc.giftedTotal - purchase.giftedBefore
        guard Double(gifted) >= p.minGifted * Double(purchase.coins) else { return }
        let gifts = acc.gifts.filter { $0.time >= purchase.time }
        let recipients = Array(Set(gifts.map(\.recipient))).sorted()
        let share = Int((Double(gifted) / Double(purchase.coins) * 100).rounded())
        hit(rule, "purchase \(purchase.id) of \(purchase.coins) coins (\(formatAmount(purchase.amount))), then \(gifted) coins (\(share)%) gifted\(recipients.isEmpty ? "" : " to " + recipients.prefix(5).joined(separator: ", ")), then \(tx.type.name) \(TxDuration.describe(tx.time - purchase.time)) after the purchase",
            [purchase.id] + gifts.map(\.id), into: &result)
    }

    private func creatorChargebacks(_ tx: Transaction, _ acc: Account, rule: Int, _ p: TxParams, into result: inout TxClassification) {
        var byCreator: [(String, Int64, [String])] = []
        for g in acc.gifts where g.time >= tx.time - p.window && !g.recipient.isEmpty {
            if let i = byCreator.firstIndex(where: { $0.0 == g.recipient }) {
                byCreator[i].1 += g.coins
                byCreator[i].2.append(g.id)
            } else {
                byCreator.append((g.recipient, g.coins, [g.id]))
            }
        }
        for (creator, coins, ids) in byCreator {
            guard let c = creators.find(creator) else { continue }
            creators.states[c].chargedBack.add(Double(coins), time: tx.time, window: p.window)
            creators.states[c].chargedBackAccounts.add(tx.account, time: tx.time, capacity: 32)
            let back = creators.states[c].chargedBack.sum(now: now, window: p.window)
            let received = creators.states[c].received.sum(now: now, window: p.window)
            guard received > 0, back >= Double(p.minCoins), back >= p.minShare * received else { continue }
            let accounts = creators.states[c].chargedBackAccounts.labels(since: tx.time - p.window)
            let share = Int((min(back / received, 1) * 100).rounded())
            hit(rule, "creator \(creator): \(Int64(back)) of \(Int64(received)) coins received in \(TxDuration.describe(p.window)) (\(share)%) came from accounts later charged back or refunded: \(accounts.prefix(8).joined(separator: ", "))",
                [tx.id] + ids, into: &result)
        }
    }

    func redeem(_ tx: Transaction, into result: inout TxClassification) {
        for (rule, spec) in detectors where spec.detector == .quickRedeem {
            guard let c = creators.find(tx.account) else { return }
            let since = tx.time - spec.params.within
            let (_, coins) = creators.states[c].riskyGifts.total(since: since)
            guard coins >= Double(spec.params.minCoins) else { continue }
            let from = Array(Set(creators.states[c].riskyGifts.recent(since: since).map(\.label))).sorted()
            hit(rule, "creator \(tx.account) redeemed within \(TxDuration.describe(spec.params.within)) of receiving \(Int64(coins)) coins from risky accounts: \(from.prefix(8).joined(separator: ", "))",
                [tx.id], into: &result)
        }
    }

    func cardTesting(_ tx: Transaction, into result: inout TxClassification) {
        for (k, (rule, spec)) in detectors.enumerated() where spec.detector == .cardTesting {
            let p = spec.params
            let small = tx.type == .decline || (tx.amount.map { $0 <= p.maxAmount } ?? false)
            guard small else { continue }
            var fired = false
            for field in p.by {
                let value = tx.text(field)
                guard !value.isEmpty else { continue }
                let key = "\(field.rawValue)\u{1}\(value)"
                let s = testing[k].slot(key, time: now) { EventRing() }.slot
                testing[k].states[s].add(.init(time: tx.time, value: 1, label: tx.id), capacity: max(p.count * 2, 16))
                let since = tx.time - p.window
                let (n, _) = testing[k].states[s].total(since: since)
                if n >= p.count && !fired {
                    fired = true
                    let ids = testing[k].states[s].recent(since: since).map(\.label)
                    hit(rule, "\(n) small purchases or declines (at most \(formatAmount(p.maxAmount))) on \(field.name) \(value) within \(TxDuration.describe(p.window))",
                        Array(ids.suffix(10)), into: &result)
                }
            }
        }
    }
}
