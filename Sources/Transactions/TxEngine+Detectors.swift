import ScanSupport
import Stream
import Model

/// The built-in detectors (docs/TRANSACTIONS.md, "Detectors"). Each one reads the row and the
/// state the rows before it left, and adds a hit with evidence naming the related transactions.
///
/// State is mutated in place (`parties[a].x = ...`): a local copy would share the arrays and
/// copy them on the next append.
extension TxEngine {
    func purchase(_ tx: Transaction, account a: Int) {
        let coins = tx.coins ?? 0
        let p = Purchase(id: tx.id, time: tx.time, coins: coins, amount: tx.amount ?? 0, giftedBefore: parties[a].giftedTotal)
        if parties[a].purchases.count >= Self.purchasesKept {
            parties[a].purchases.removeFirst()
        } else if parties[a].purchases.isEmpty {
            parties[a].purchases.reserveCapacity(Self.purchasesKept)
        }
        parties[a].purchases.append(p)
        if newAccountAge > 0 && tx.time - parties[a].firstSeen < newAccountAge {
            parties[a].newPurchasedAmount += tx.amount ?? 0
            parties[a].newPurchasedCoins &+= coins
        }
        if !fundingFields.isEmpty && tx.time - parties[a].firstSeen < fundingAge {
            if parties[a].funding.isEmpty { parties[a].funding = Array(repeating: 0, count: fundingFields.count) }
            for (k, f) in fundingFields.enumerated() {
                let v = rowIDs[f.rawValue]
                guard v != 0 else { continue }
                parties[a].funding[k] = v
                funded[k][Int(v)].add(Int32(a), time: tx.time, capacity: 64)
            }
        }
    }

    func gift(_ tx: Transaction, account a: Int, into result: inout TxClassification) {
        let coins = tx.coins ?? 0
        let r = rowIDs[TxField.recipient.rawValue]
        parties[a].giftedTotal &+= coins
        if parties[a].gifts.count >= Self.giftsKept {
            parties[a].gifts.removeFirst()
        } else if parties[a].gifts.isEmpty {
            parties[a].gifts.reserveCapacity(Self.giftsKept)
        }
        parties[a].gifts.append(Gift(id: tx.id, time: tx.time, coins: coins, recipient: r))
        guard r != 0 else { return }
        if newAccountAge > 0 && tx.time - parties[a].firstSeen < newAccountAge {
            if let i = parties[a].newGiftsTo.firstIndex(where: { $0.recipient == r }) {
                parties[a].newGiftsTo[i].coins &+= coins
            } else if parties[a].newGiftsTo.count < 4 {
                parties[a].newGiftsTo.append((r, coins))
            }
        }
        let c = Int(r)
        if creatorWindow > 0 { creators[c].received.add(Double(coins), time: tx.time, window: creatorWindow) }
        if quickWithin > 0 && parties[a].risky {
            creators[c].riskyGifts.add(.init(time: tx.time, value: Double(coins), ref: Int32(a), tx: idLog.append(tx.id)), capacity: 64)
        }
        for k in giftRules.indices {
            if giftRules[k].funding {
                sharedFunding(tx, account: a, recipient: r, giftRules[k], into: &result)
            } else {
                newAccountGift(tx, account: a, recipient: r, giftRules[k], into: &result)
            }
        }
    }

    private func newAccountGift(_ tx: Transaction, account a: Int, recipient r: Int32, _ p: GiftRule,
                                into result: inout TxClassification) {
        let age = tx.time - parties[a].firstSeen
        guard age < p.accountAge, parties[a].newPurchasedAmount >= p.minAmount, parties[a].newPurchasedCoins > 0,
              let toRecipient = parties[a].newGiftsTo.first(where: { $0.recipient == r })?.coins,
              Double(toRecipient) >= p.minShare * Double(parties[a].newPurchasedCoins) else { return }
        let acc = parties[a]
        let purchases = acc.purchases.filter { $0.time >= acc.firstSeen }
        let gifts = acc.gifts.filter { $0.recipient == r && $0.time >= acc.firstSeen }
        let share = Int(min(Double(toRecipient) / Double(acc.newPurchasedCoins) * 100, 1e9).rounded())
        hit(p.rule, "account \(tx.account) first seen \(TxDuration.describe(age)) before bought \(acc.newPurchasedCoins) coins for \(formatAmount(acc.newPurchasedAmount)) and gifted \(toRecipient) of them (\(share)%) to \(tx.recipient)",
            purchases.map(\.id) + gifts.map(\.id), into: &result)
    }

    /// Many new accounts funded by one value, each gifting the same creator. Only values that
    /// funded `minAccounts` new accounts are looked at further, so ordinary rows cost one count.
    private func sharedFunding(_ tx: Transaction, account a: Int, recipient r: Int32, _ p: GiftRule,
                               into result: inout TxClassification) {
        guard tx.time - parties[a].firstSeen < p.accountAge, !parties[a].funding.isEmpty else { return }
        let since = tx.time - p.window
        for slot in fundingFields.indices where p.fundingMask & (1 << UInt16(slot)) != 0 {
            let field = fundingFields[slot]
            let value = Int(parties[a].funding[slot])
            guard value != 0, funded[slot][value].count(since: since) >= p.minAccounts else { continue }
            // The new accounts funded by this value that gifted this creator in the window.
            var gifters: [Int32] = []
            for other in funded[slot][value].ids(since: since) {
                let o = Int(other)
                guard tx.time - parties[o].firstSeen < p.accountAge else { continue }
                if o == a || parties[o].gifts.contains(where: { $0.recipient == r && $0.time >= since }) { gifters.append(other) }
            }
            guard gifters.count >= p.minAccounts else { continue }
            let names = gifters.map(name)
            let shown = interners[space[field.rawValue]].string(Int32(value))
            hit(p.rule, "\(gifters.count) new accounts funded by \(field.name) \(shown) gifted to \(tx.recipient) within \(TxDuration.describe(p.window)): \(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? ", ..." : "")",
                [tx.id], into: &result)
            return
        }
    }

    func reversal(_ tx: Transaction, account a: Int, into result: inout TxClassification) {
        parties[a].reversals += 1
        markRisky(a, tx)
        for (rule, spec) in detectors {
            switch spec.detector {
            case .giftChargeback: giftChargeback(tx, account: a, rule: rule, spec.params, into: &result)
            case .creatorChargebacks: creatorChargebacks(tx, account: a, rule: rule, spec.params, into: &result)
            default: break
            }
        }
        // Gifts this account made recently now count as risky for the creators' quick redeems.
        if quickWithin > 0 {
            for g in parties[a].gifts where g.time >= tx.time - quickWithin && g.recipient != 0 {
                creators[Int(g.recipient)].riskyGifts.add(.init(time: g.time, value: Double(g.coins), ref: Int32(a), tx: idLog.append(g.id)), capacity: 64)
            }
        }
    }

    private func giftChargeback(_ tx: Transaction, account a: Int, rule: Int, _ p: TxParams, into result: inout TxClassification) {
        let acc = parties[a]
        let purchase = tx.relatedID.isEmpty
            ? acc.purchases.last { $0.time <= tx.time }
            : acc.purchases.last { $0.id == tx.relatedID }
        guard let purchase, purchase.coins > 0, tx.time - purchase.time <= p.window else { return }
        let gifted = acc.giftedTotal &- purchase.giftedBefore
        guard Double(gifted) >= p.minGifted * Double(purchase.coins) else { return }
        let gifts = acc.gifts.filter { $0.time >= purchase.time }
        let recipients = Array(Set(gifts.map(\.recipient).filter { $0 != 0 }.map(name))).sorted()
        let share = Int(max(min(Double(gifted) / Double(purchase.coins) * 100, 1e9), -1e9).rounded())
        hit(rule, "purchase \(purchase.id) of \(purchase.coins) coins (\(formatAmount(purchase.amount))), then \(gifted) coins (\(share)%) gifted\(recipients.isEmpty ? "" : " to " + recipients.prefix(5).joined(separator: ", ")), then \(tx.type.name) \(TxDuration.describe(tx.time - purchase.time)) after the purchase",
            [purchase.id] + gifts.map(\.id), into: &result)
    }

    private func creatorChargebacks(_ tx: Transaction, account a: Int, rule: Int, _ p: TxParams, into result: inout TxClassification) {
        var byCreator: [(Int32, Int64, [String])] = []
        for g in parties[a].gifts where g.time >= tx.time - p.window && g.recipient != 0 {
            if let i = byCreator.firstIndex(where: { $0.0 == g.recipient }) {
                byCreator[i].1 &+= g.coins
                byCreator[i].2.append(g.id)
            } else {
                byCreator.append((g.recipient, g.coins, [g.id]))
            }
        }
        for (creator, coins, ids) in byCreator {
            let c = Int(creator)
            creators[c].chargedBack.add(Double(coins), time: tx.time, window: p.window)
            creators[c].chargedBackAccounts.add(Int32(a), time: tx.time, capacity: 32)
            let back = creators[c].chargedBack.sum(now: now, window: p.window)
            let received = creators[c].received.sum(now: now, window: p.window)
            guard received > 0, back >= Double(p.minCoins), back >= p.minShare * received else { continue }
            let accounts = creators[c].chargedBackAccounts.ids(since: tx.time - p.window).map(name)
            let share = Int((min(back / received, 1) * 100).rounded())
            hit(rule, "creator \(name(creator)): \(formatNumber(back)) of \(formatNumber(received)) coins received in \(TxDuration.describe(p.window)) (\(share)%) came from accounts later charged back or refunded: \(accounts.prefix(8).joined(separator: ", "))",
                [tx.id] + ids, creator: name(creator), into: &result)
        }
    }

    func redeem(_ tx: Transaction, account c: Int, into result: inout TxClassification) {
        for (rule, spec) in detectors where spec.detector == .quickRedeem {
            let since = tx.time - spec.params.within
            let (_, coins) = creators[c].riskyGifts.total(since: since)
            guard coins >= Double(spec.params.minCoins) else { continue }
            // Name what the redeem relied on: each risky account's gifts to this creator, and the
            // row (chargeback, refund, flagged row) that made the account risky.
            var accounts: [(ref: Int32, gifts: [String])] = []
            for e in creators[c].riskyGifts.recent(since: since) {
                let gift = idLog.id(e.tx)
                if let i = accounts.firstIndex(where: { $0.ref == e.ref }) {
                    if let gift, !accounts[i].gifts.contains(gift) { accounts[i].gifts.append(gift) }
                } else {
                    accounts.append((e.ref, gift.map { [$0] } ?? []))
                }
            }
            accounts.sort { name($0.ref) < name($1.ref) }
            var related = [tx.id]
            let described = accounts.prefix(8).map { account -> String in
                var parts: [String] = []
                if !account.gifts.isEmpty {
                    parts.append("gift\(account.gifts.count == 1 ? "" : "s") \(account.gifts.prefix(5).joined(separator: ", "))\(account.gifts.count > 5 ? ", ..." : "")")
                    related += account.gifts
                }
                if let why = idLog.id(parties[Int(account.ref)].riskyBecause) {
                    parts.append("risky since \(why)")
                    if !related.contains(why) { related.append(why) }
                }
                return name(account.ref) + (parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")")
            }
            hit(rule, "creator \(tx.account) redeemed within \(TxDuration.describe(spec.params.within)) of receiving \(formatNumber(coins)) coins from risky accounts: \(described.joined(separator: ", "))\(accounts.count > 8 ? ", ..." : "")",
                related, into: &result)
        }
    }

    func cardTesting(_ tx: Transaction, into result: inout TxClassification) {
        for k in testingRules.indices {
            let p = testingRules[k]
            guard tx.type == .decline || (tx.amount.map { $0 <= p.maxAmount } ?? false) else { continue }
            var fired = false
            for j in 0..<p.byCount {
                let f = Int(field(p.by, j))
                let id = Int(rowIDs[f])
                guard id != 0 else { continue }
                testing[k][j][id].add(tx.time, tx.id, capacity: max(p.count * 2, 16))
                let ids = testing[k][j][id].since(tx.time - p.window)
                if ids.count >= p.count && !fired {
                    fired = true
                    let name = TxField(rawValue: f)!
                    hit(p.rule, "\(ids.count) small purchases or declines (at most \(formatAmount(p.maxAmount))) on \(name.name) \(tx.text(name)) within \(TxDuration.describe(p.window))",
                        Array(ids.suffix(10)), into: &result)
                }
            }
        }
    }
}
