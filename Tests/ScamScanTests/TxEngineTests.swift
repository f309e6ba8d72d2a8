import Foundation
import Testing
@testable import ScamScan
@testable import ScanSupport
@testable import Normalise
@testable import Stream
@testable import Model
@testable import Checks
@testable import Score
@testable import Transactions
@testable import Output
@testable import Pipeline
@testable import Regression

/// The detectors on the shipped pack: each fires on its pattern and stays quiet on the honest
/// look-alike.
@Suite struct TxEngineTests {
    static let pack: RulePack = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return try! RuleLoader.load(directories: [root.appendingPathComponent("Rules").path])
    }()

    /// Rule ids hit per row of a CSV export (canonical header).
    func hits(_ csv: String, maxKeys: Int = 500_000) throws -> [[String]] {
        let engine = TxEngine(rules: Self.pack.rules, thresholds: Self.pack.settings.thresholds, maxKeys: maxKeys)
        var out: [[String]] = []
        var result = TxClassification()
        var map: [Int?]?
        try CSVReader(text: csv).forEachRecord({ row in
            guard let m = map else {
                map = try TxColumnMap().resolve(header: (0..<row.count).map { String(decoding: row[$0], as: UTF8.self) }).get()
                return
            }
            let tx = try TxDecoder.decode(line: row.line) { f in m[f.rawValue].map { row[$0] } }.get()
            engine.process(tx, into: &result)
            out.append(result.hits.map { Self.pack.rules[$0.rule].id })
        }, problem: { Issue.record("\($0)") })
        return out
    }

    let header = "id,timestamp,account,type,coins,amount,instrument,device,ip,recipient,related_id\n"

    @Test func giftThenChargebackNamesThePurchaseAndGifts() throws {
        let engine = TxEngine(rules: Self.pack.rules, thresholds: Self.pack.settings.thresholds)
        var r = TxClassification()
        let t0: Int64 = 1_772_366_400_000
        engine.process(Transaction(time: t0, type: .purchase, id: "p1", account: "u", coins: 1000, amount: 12.9), into: &r)
        engine.process(Transaction(time: t0 + 60_000, type: .gift, id: "g1", account: "u", coins: 900, recipient: "c"), into: &r)
        engine.process(Transaction(time: t0 + 5 * 86_400_000, type: .chargeback, id: "cb", account: "u", relatedID: "p1"), into: &r)
        let hit = try #require(r.hits.first { Self.pack.rules[$0.rule].id == "chargeback.gift-then-chargeback" })
        #expect(hit.related == ["p1", "g1"])
        #expect(hit.evidence.contains("900 coins (90%) gifted to c"))
        #expect(r.verdict == .block)
    }

    @Test func aBigFirstPurchaseGiftedOverWeeksIsNotFlagged() throws {
        let csv = header + """
            p1,2026-03-01T10:00:00Z,u1,purchase,17500,225.74,card1,d1,10.0.0.1,,
            g1,2026-03-01T10:30:00Z,u1,gift,2000,,,d1,10.0.0.1,c1,
            g2,2026-03-09T10:30:00Z,u1,gift,5000,,,d1,10.0.0.1,c1,
            g3,2026-03-20T10:30:00Z,u1,gift,9000,,,d1,10.0.0.1,c1,
            """
        let rows = try hits(csv)
        #expect(rows[0] == ["chargeback.big-first-purchase"], "a signal, scored 2, below review")
        #expect(rows.dropFirst().allSatisfy { $0.isEmpty }, "\(rows)")
        // The same purchase gifted within the hour is flagged.
        let fast = try hits(header + """
            p1,2026-03-01T10:00:00Z,u1,purchase,17500,225.74,card1,d1,10.0.0.1,,
            g1,2026-03-01T10:30:00Z,u1,gift,9000,,,d1,10.0.0.1,c1,
            g2,2026-03-01T10:50:00Z,u1,gift,7000,,,d1,10.0.0.1,c1,
            """)
        #expect(fast[1].isEmpty && fast[2] == ["laundering.new-account-big-gift"])
    }

    @Test func aFamilySharingACardIsNotAReseller() throws {
        var csv = header
        for (k, who) in ["mum", "dad", "kid"].enumerated() {
            csv += "p\(k),2026-03-0\(k + 1)T10:00:00Z,\(who),purchase,700,9.03,card_fam,dev_home,10.0.0.9,,\n"
            csv += "g\(k),2026-03-0\(k + 1)T11:00:00Z,\(who),gift,600,,,dev_home,10.0.0.9,c1,\n"
        }
        #expect(try hits(csv).allSatisfy { $0.isEmpty })
        // A fourth and fifth new account on the same card, gifting the same creator, is.
        csv += "p8,2026-03-04T10:00:00Z,n4,purchase,700,9.03,card_fam,dev_x,10.0.0.7,,\n"
        csv += "g8,2026-03-04T11:00:00Z,n4,gift,700,,,dev_x,10.0.0.7,c1,\n"
        let rows = try hits(csv)
        #expect(rows.last == ["reseller.shared-funding"], "\(rows)")
        #expect(rows[rows.count - 2] == ["account_sharing.shared-instrument"] || rows[rows.count - 2].isEmpty)
    }

    @Test func cardTestingFiresFromTheFifthSmallAttempt() throws {
        var csv = header
        for k in 0..<7 {
            csv += "d\(k),2026-03-01T10:0\(k):00Z,u1,\(k % 2 == 0 ? "decline" : "purchase"),,0.99,card_\(k),,,,\n"
        }
        let rows = try hits(csv)
        #expect(rows.prefix(4).allSatisfy { !$0.contains("card_testing.burst") })
        #expect(rows.dropFirst(4).allSatisfy { $0.contains("card_testing.burst") }, "\(rows)")
        #expect(rows[3].contains("account_sharing.many-instruments"), "4 cards on one account in a day")
    }

    @Test func creatorSideRules() throws {
        let csv = header + """
            p1,2026-03-01T10:00:00Z,x1,purchase,1400,18.06,cx1,,,,
            g1,2026-03-01T10:10:00Z,x1,gift,1400,,,,,c5,
            p2,2026-03-01T10:20:00Z,x2,purchase,1400,18.06,cx2,,,,
            g2,2026-03-01T10:30:00Z,x2,gift,1400,,,,,c5,
            f1,2026-03-01T10:40:00Z,fan,gift,200,,,,,c5,
            cb1,2026-03-01T18:00:00Z,x1,chargeback,1400,18.06,,,,,p1
            r1,2026-03-01T20:00:00Z,c5,redeem,3000,,,,,,
            """
        let rows = try hits(csv)
        #expect(rows[5].contains("laundering.creator-chargebacks") == false, "1400 of 3000 coins is under half")
        #expect(rows[5].contains("chargeback.gift-then-chargeback"))
        #expect(rows[6] == ["laundering.quick-redeem"])
    }

    @Test func stateStaysWithinItsCapOnAnEndlessStream() throws {
        let engine = TxEngine(rules: Self.pack.rules, thresholds: Self.pack.settings.thresholds, maxKeys: 1000)
        var r = TxClassification()
        var t: Int64 = 1_772_366_400_000
        for i in 0..<100_000 {
            t += 1000
            engine.process(Transaction(time: t, type: i % 3 == 0 ? .purchase : .gift, id: "t\(i)", account: "a\(i)",
                                       coins: 100, amount: 1.29, instrument: "card\(i)", ip: "ip\(i % 5000)",
                                       device: "d\(i)", recipient: "c\(i % 50)"), into: &r)
            if i % 10_000 == 0 { #expect(engine.largestTable <= 1000 + 65_536) }
        }
        engine.sweep()
        #expect(engine.largestTable <= 1000, "\(engine.largestTable)")
        #expect(engine.evictedKeys > 0)
        // With the default cap, windows alone bound the state: a month of new accounts, not 100k.
        let windowed = TxEngine(rules: Self.pack.rules, thresholds: Self.pack.settings.thresholds)
        t = 1_772_366_400_000
        for i in 0..<100_000 {
            t += 60_000  // a row a minute: 100k rows span 69 days
            windowed.process(Transaction(time: t, type: .purchase, id: "t\(i)", account: "a\(i)", coins: 100, amount: 1.29,
                                         instrument: "card\(i)"), into: &r)
        }
        windowed.sweep()
        #expect(windowed.largestTable <= 31 * 1440 + 100, "accounts kept about the longest window (30d): \(windowed.largestTable)")
        #expect(windowed.evictedKeys == 0)
    }

    @Test func conditionHitsNameTheTransactionsTheirAggregatesCounted() throws {
        let engine = TxEngine(rules: Self.pack.rules, thresholds: Self.pack.settings.thresholds)
        var r = TxClassification()
        let t0: Int64 = 1_772_366_400_000
        for (k, card) in ["c1", "c2", "c1", "c3", "c4"].enumerated() {
            engine.process(Transaction(time: t0 + Int64(k) * 60_000, type: .purchase, id: "p\(k)", account: "u", amount: 9.03,
                                       instrument: card), into: &r)
        }
        let hit = try #require(r.hits.first { Self.pack.rules[$0.rule].id == "account_sharing.many-instruments" })
        // The latest row of each of the four cards: p2 (c1 again), p1, p3, then this row, p4.
        #expect(hit.related == ["p1", "p2", "p3", "p4"], "\(hit.related)")
        #expect(hit.evidence.contains("distinct(instrument, account, 1d) = 4 for account u"), "\(hit.evidence)")
    }

    @Test func timesBefore1970AreJustTimes() throws {
        // Found by fuzz-tx: a gift dated in the year 1013 put a creator's bucket at a negative slot.
        let rows = try hits(header + """
            p1,1013-03-01T10:00:00Z,u1,purchase,700,9.03,card1,,,,
            g1,1013-03-01T10:05:00Z,u1,gift,700,,,,,c9,
            r1,1013-03-03T09:00:00Z,u1,refund,700,9.03,,,,,p1
            """)
        #expect(rows[2].contains("chargeback.gift-then-chargeback"), "\(rows)")
    }

    @Test func hostileValuesAreRowsOrErrorsNeverTraps() throws {
        // Durations, numbers and keys at the edges: each is an error at load or a plain value.
        #expect(TxDuration.parse("9999999999999999d") == nil)
        var parser = TxExpressionParser()
        guard case .failure = parser.parse("account_age < 99999999999999999999d") else {
            Issue.record("a duration that does not fit is an error")
            return
        }
        // Keys of 100 kB are interned by their first 256 bytes: two such accounts are one key.
        let long = String(repeating: "x", count: 100_000)
        let rows = try hits(header + "p1,2026-03-01T10:00:00Z,\(long)a,purchase,1,1,c,,,,\np2,2026-03-01T10:01:00Z,\(long)b,purchase,1,1,c,,,,\n")
        #expect(rows.count == 2)
        var i = Interner()
        let a = i.intern(long + "a", time: 0), b = i.intern(long + "b", time: 0)
        #expect(a == b && i.string(a).utf8.count == Interner.maxKeyBytes)
    }

    @Test func lintReportsExamplesThatAreNotExportsOrDoNotBehave() throws {
        let yaml = """
            - id: velocity.big
              kind: tx_condition
              category: velocity
              description: a big purchase
              score: 3
              when: type == "purchase" and amount > 100
              match:
                - |
                  id,timestamp,account,type,amount
                  p1,2026-03-01T10:00:00Z,u1,purchase,500
                - |
                  id,timestamp,account,type,amount
                  p1,yesterday,u1,purchase,500
              no_match:
                - |
                  id,when,account,type,amount
                  p1,2026-03-01T10:00:00Z,u1,purchase,5
                - |
                  id,timestamp,account,type,amount
                  p1,2026-03-01T10:00:00Z,u1,purchase,500
            """
        let failures = RuleLinter.check(try compile(yaml)).failures.map(\.message)
        #expect(failures.count == 3, "\(failures)")
        #expect(failures.contains { $0.hasPrefix("'match' example is not a valid export: example:2:2: bad row: field 2 ('timestamp')") }, "\(failures)")
        #expect(failures.contains { $0.contains("'no_match' example is not a valid export: example:1: missing required column 'timestamp'") }, "\(failures)")
        #expect(failures.contains { $0.hasPrefix("'no_match' example: the rule hit row 1") }, "\(failures)")
    }

    @Test func theIDLogKeepsRecentIdsAndForgetsOldOnes() {
        var log = IDLog(capacity: 8192)
        let first = log.append("t-first")
        var refs: [Int64] = []
        for i in 0..<2000 { refs.append(log.append("t\(i)")) }
        #expect(log.id(first) == nil, "the log wrapped past the first id")
        #expect(log.id(refs.last!) == "t1999" && log.id(refs[1500]) == "t1500")
        #expect(log.id(0) == nil)
    }

    @Test func lateRowsAreCounted() {
        let engine = TxEngine(rules: Self.pack.rules, thresholds: Self.pack.settings.thresholds, outOfOrderTolerance: 3_600_000)
        var r = TxClassification()
        let t0: Int64 = 1_772_366_400_000
        #expect(!engine.process(Transaction(time: t0, type: .purchase, id: "a", account: "u"), into: &r))
        #expect(!engine.process(Transaction(time: t0 - 1_800_000, type: .purchase, id: "b", account: "u"), into: &r))
        #expect(engine.process(Transaction(time: t0 - 7_200_000, type: .purchase, id: "c", account: "u"), into: &r))
        #expect(engine.lateRows == 1)
    }
}

@Suite struct TxExpressionTests {
    @Test func errorsPointAtTheProblem() {
        let cases: [(String, Int, String)] = [
            ("amount > 200 and acount_age < 1d", 17, "unknown name 'acount_age' (did you mean 'account_age'?)"),
            ("type = \"purchase\"", 5, "'=' is not a comparison; write '=='"),
            ("amount > \"big\"", 7, "cannot compare a number with a string"),
            ("count(account) >= 3", 13, "expected a window"),
            ("sum(instrument, account, 1h) > 1", 4, "sum() adds coins or amount"),
            ("amount", 0, "not true/false"),
            ("type == \"gift\" amount > 1", 15, "unexpected"),
            ("amount > 10q", 9, "invalid duration"),
        ]
        for (text, offset, message) in cases {
            var parser = TxExpressionParser()
            guard case let .failure(e) = parser.parse(text) else {
                Issue.record("\(text) parsed")
                continue
            }
            #expect(e.offset == offset && e.message.contains(message), "\(text): \(e)")
        }
    }

    @Test func evaluatesFieldsMissingValuesAndAggregates() throws {
        func rule(_ when: String) -> Rule {
            Rule(id: "t.x", category: .velocity, description: "", pattern: "", view: .folded, score: 5,
                 matchExamples: [], noMatchExamples: [], location: SourceLocation(file: "t", line: 1, column: 1),
                 patternLocation: SourceLocation(file: "t", line: 1, column: 1),
                 kind: .transaction(TxRuleSpec(detector: .condition, condition: when)))
        }
        func fires(_ when: String, _ txs: [Transaction]) -> [Bool] {
            let engine = TxEngine(rules: [rule(when)], thresholds: .default)
            var r = TxClassification()
            return txs.map { engine.process($0, into: &r); return !r.hits.isEmpty }
        }
        let t: Int64 = 1_772_366_400_000
        let p = { (i: Int64, amount: Double?) in Transaction(time: t + i * 60_000, type: .purchase, id: "p\(i)", account: "u", amount: amount, instrument: "c\(i % 2)") }
        #expect(fires("amount > 200", [p(0, 300), p(1, nil), p(2, 100)]) == [true, false, false], "missing compares false")
        #expect(fires("not (amount > 200)", [p(0, 300), p(1, 100)]) == [false, true])
        #expect(fires("count(account, 2m) >= 2", [p(0, 1), p(1, 1), p(5, 1)]) == [false, true, false])
        #expect(fires("sum(amount, account, 1h, \"purchase\") > 250", [p(0, 100), p(1, 100), p(2, 100)]) == [false, false, true])
        #expect(fires("distinct(instrument, account, 1h) >= 2", [p(0, 1), p(2, 1), p(1, 1)]) == [false, false, true])
        #expect(fires("type in [\"gift\", \"PURCHASE\"] and amount * 2 >= 10 + 10", [p(0, 10), p(1, 9)]) == [true, false])
        #expect(fires("account_age >= 2m", [p(0, 1), p(1, 1), p(2, 1)]) == [false, false, true])
    }
}
