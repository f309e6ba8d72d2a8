import Foundation
import Testing

/// `scamscan tx` as users run it: exports in, flagged transactions out, every row accounted for.
@Suite(.serialized) struct TxCLITests {
    let rules = repoRoot + "/Rules"

    func file(_ text: String, _ name: String = "export.csv") throws -> String {
        let path = temporaryDirectory() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A gift-and-chargeback, an honest refund and a quiet fan.
    let export = """
        id,timestamp,account,type,coins,amount,currency,instrument,recipient,related_id
        p1,2026-03-01T10:00:00Z,u1,purchase,1400,18.06,USD,card_1,,
        p2,2026-03-01T10:30:00Z,fan,purchase,700,9.03,USD,card_2,,
        g1,2026-03-01T11:00:00Z,u1,gift,1300,,,,creator_a,
        g2,2026-03-01T11:10:00Z,fan,gift,100,,,,creator_a,
        r2,2026-03-02T09:00:00Z,fan,refund,700,9.03,USD,,,p2
        cb1,2026-03-09T09:00:00Z,u1,chargeback,1400,18.06,USD,,,p1

        """

    @Test func flagsTheChargebackWithItsReasonsAndExitsZero() throws {
        let r = try scamscan(["tx", "--rules", rules, try file(export)])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "7: block 13 cb1 u1 chargeback 1400 coins 18.06 USD (reverses p1)", "\(r.out)")
        #expect(r.out.contains("chargeback.gift-then-chargeback +8: purchase p1 of 1400 coins (18.06), then 1300 coins (93%) gifted to creator_a"))
        #expect(r.out.contains("(related: p1, g1)"))
        #expect(!r.out.contains("r2"), "an honest refund of coins not gifted is not flagged")
        let clean = try scamscan(["tx", "--rules", rules, try file(String(export.split(separator: "\n").prefix(3).joined(separator: "\n")) + "\n")])
        #expect(clean.status == 1 && clean.out.isEmpty)
    }

    @Test func jsonLinesOutputCarriesTheRowsFieldsAndEvidence() throws {
        let r = try scamscan(["tx", "--rules", rules, "--output", "jsonl", "--all", try file(export)])
        let objects = r.out.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == 6, "--all writes every row")
        let cb = try #require(objects.last ?? nil)
        #expect(cb["id"] as? String == "cb1" && cb["account"] as? String == "u1" && cb["type"] as? String == "chargeback")
        #expect(cb["coins"] as? Int == 1400 && cb["related_id"] as? String == "p1" && cb["verdict"] as? String == "block")
        let hits = try #require(cb["hits"] as? [[String: Any]])
        #expect(hits.first?["rule"] as? String == "chargeback.gift-then-chargeback")
        #expect(hits.first?["related"] as? [String] == ["p1", "g1"])
        #expect((objects[0]?["hits"] as? [Any])?.isEmpty == true && objects[0]?["verdict"] as? String == "allow")
    }

    @Test func aMissingRequiredColumnNamesItAndTheColumnsFound() throws {
        let r = try scamscan(["tx", "--rules", rules, try file("txn,when,kind\n1,2026-03-01,gift\n")])
        #expect(r.status == 2)
        #expect(r.err.contains("missing required column 'id'"))
        #expect(r.err.contains("missing required column 'timestamp'"))
        #expect(r.err.contains("name it with --map account=COLUMN"))
        #expect(r.err.contains("The columns found: 'txn', 'when', 'kind'"))
        let mapped = try scamscan(["tx", "--rules", rules, "--map", "id=txn", "--map", "timestamp=when", "--map", "account=kind",
                                   "--map", "type=kind", "--stats", try file("txn,when,kind\n1,2026-03-01,gift\n")])
        #expect(mapped.status == 1 && mapped.err.contains("1 scored, 0 bad"), "\(mapped.err)")
        let wrong = try scamscan(["tx", "--rules", rules, "--map", "acount=user", try file(export)])
        #expect(wrong.status == 2 && wrong.err.contains("unknown field 'acount' (did you mean 'account'?)"))
    }

    @Test func badRowsAreReportedCountedAndTheScanGoesOn() throws {
        let text = """
            id,timestamp,account,type,coins,amount
            a,2026-03-01T10:00:00Z,u1,purchase,100,1.29
            b,yesterday,u1,purchase,100,1.29
            c,2026-03-01T10:01:00Z,u1,teleport,100,1.29
            d,2026-03-01T10:02:00Z,u1,purchase,many,1.29
            e,2026-03-01T10:03:00Z,u1,purchase,100
            f,2026-03-01T10:04:00Z,u1,purchase,"1"00,1.29
            g,2026-03-01T10:05:00Z,,purchase,100,1.29
            h,2026-03-01T10:06:00Z,u1,purchase,100,1.29

            """
        let path = try file(text)
        let r = try scamscan(["tx", "--rules", rules, "--all", "--output", "jsonl", "--stats", path])
        #expect(r.status == 1)
        #expect(r.out.split(separator: "\n").count == 2, "rows a and h scored")
        for expected in ["\(path):3:2: bad row: field 2 ('timestamp')", "\(path):4:4: bad row: field 4 ('type'): unknown type 'teleport'",
                         "\(path):5:5: bad row: field 5 ('coins'): coins must be a whole number", "\(path):6:1: bad row: row has 5 fields, the header has 6",
                         "\(path):7:", "\(path):8:3: bad row: field 3 ('account'): empty 'account'", "6 bad rows skipped"] {
            #expect(r.err.contains(expected), "\(expected)\n\(r.err)")
        }
        #expect(r.err.contains("rows:            2 scored, 6 bad, 0 blank"))
    }

    @Test func jsonLinesInputWithExportNamesAndEpochTimes() throws {
        // The pack's transaction_columns map these names; times are epoch seconds.
        var lines: [String] = []
        for line in export.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let time = try #require(ISO8601DateFormatter().date(from: f[1])).timeIntervalSince1970
            var o: [String: Any] = ["txn_id": f[0], "created_at": Int(time), "user_id": f[2], "event_type": f[3]]
            if !f[4].isEmpty { o["coin_amount"] = Int(f[4]) }
            if !f[5].isEmpty { o["usd_amount"] = Double(f[5]) }
            if !f[8].isEmpty { o["creator_id"] = f[8] }
            if !f[9].isEmpty { o["original_txn_id"] = f[9] }
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        }
        let path = try file(lines.joined(separator: "\n") + "\n{\"txn_id\": \"broken\"\n", "events.jsonl")
        let r = try scamscan(["tx", "--rules", rules, "--stats", path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("6: block 13 cb1 u1 chargeback 1400 coins 18.06 (reverses p1)"), "\(r.out)")
        #expect(r.err.contains("\(path):7:20: bad row: expected ',' or '}'"), "\(r.err)")
        #expect(r.err.contains("6 scored, 1 bad"))
    }

    @Test func csvOutputIsSafeToOpenInASpreadsheet() throws {
        let hostile = export.replacingOccurrences(of: "creator_a", with: "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        let r = try scamscan(["tx", "--rules", rules, "--output", "csv", "--all", try file(hostile)])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "file,line,id,timestamp,account,type,coins,amount,currency,payment_method,instrument,country,ip,device,recipient,related_id,score,verdict,rules,reasons")
        #expect(lines.count == 7, "a header and the six rows")
        // The gift's recipient cell: quoted (it holds commas and quotes) and defused with a leading '.
        let gift = try #require(lines.first { $0.contains(",g1,") })
        #expect(gift.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), "\(gift)")
        #expect(!r.out.contains(",=") && !r.out.contains(",\"="), "no cell starts a formula")
        // Numbers stay numbers: a negative amount is not defused.
        let refund = export.replacingOccurrences(of: "r2,2026-03-02T09:00:00Z,fan,refund,700,9.03", with: "r2,2026-03-02T09:00:00Z,fan,refund,700,-9.03")
        let n = try scamscan(["tx", "--rules", rules, "--output", "csv", "--all", try file(refund)])
        #expect(n.out.contains(",refund,700,-9.03,"), "\(n.out)")
    }

    @Test func summaryRanksAccountsAndCreators() throws {
        let r = try scamscan(["tx", "--rules", rules, "--summary", "--output", "jsonl", try file(export)])
        let objects = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == 2, "one account and one creator: \(r.out)")
        #expect(objects[0]["summary"] as? String == "account" && objects[0]["key"] as? String == "u1" && objects[0]["risk"] as? Int == 13)
        #expect(objects[1]["summary"] as? String == "creator" && objects[1]["key"] as? String == "creator_a")
        let text = try scamscan(["tx", "--rules", rules, "--summary", try file(export)])
        #expect(text.out.contains("accounts by risk (1 with flagged transactions)"))
    }

    @Test func lateRowsWarnAndProgressShowsOnRequest() throws {
        // A row two hours older than the latest, beyond the 1h tolerance: scored, and warned about.
        let late = export + "old,2026-03-09T07:00:00Z,u9,purchase,70,0.99,USD,card_9,,\n"
        let r = try scamscan(["tx", "--rules", rules, "--stats", try file(late)])
        #expect(r.err.contains("row old at 2026-03-09T07:00:00Z is 2h older than the latest row (tolerance 1h)"), "\(r.err)")
        #expect(r.err.contains("late rows:       1"))
        #expect(r.err.contains("7 scored, 0 bad"))
        let tolerant = try scamscan(["tx", "--rules", rules, "--stats", "--max-lateness", "3h", try file(late)])
        #expect(tolerant.err.contains("late rows:       0"))
        // --progress always prints the line once the scan has run a second (a big export here).
        var big = "id,timestamp,account,type,coins,amount\n"
        for i in 0..<150_000 { big += "t\(i),\(1_772_366_400 + i),u\(i % 5000),purchase,70,0.99\n" }
        let p = try scamscan(["tx", "--rules", rules, "--progress", "always", try file(big)])
        #expect(p.err.contains("scamscan tx: ") && p.err.contains(" rows, ") && p.err.contains(" MB/s, "), "\(p.err.prefix(300))")
        let quiet = try scamscan(["tx", "--rules", rules, try file(big)])
        #expect(!quiet.err.contains("MB/s"), "no progress line when stderr is not a terminal")
    }

    @Test func hostileFieldsAreEscapedOnTheTerminal() throws {
        let hostile = export.replacingOccurrences(of: ",u1,", with: ",\"u1\u{1B}[2J\u{7}\",")
        let r = try scamscan(["tx", "--rules", rules, try file(hostile)])
        #expect(r.status == 0)
        #expect(!r.out.contains("\u{1B}") && !r.out.contains("\u{7}"))
        #expect(r.out.contains("u1\\x1B[2J\\x07") || r.out.contains("u1\\e[2J"), "\(r.out)")
    }

    /// The export from the issue: a stray quote on row 2 used to take rows 3 to 6 with it, and the
    /// error pointed at the row where the quote finally closed.
    @Test func aStrayQuoteCostsOneRowAndIsReportedWhereItOpened() throws {
        let text = """
            id,timestamp,account,type,coins,amount,recipient,related_id,note
            p1,2026-03-01T10:00:00Z,u1,purchase,1400,18.06,,,ok
            p2,2026-03-01T10:01:00Z,u2,purchase,700,9.03,,,"typo here
            g1,2026-03-01T11:00:00Z,u1,gift,1300,,creator_a,,
            g2,2026-03-01T11:01:00Z,u2,gift,100,,creator_a,,
            cb1,2026-03-09T09:00:00Z,u1,chargeback,1400,18.06,,p1,
            n6,2026-03-09T09:01:00Z,u3,purchase,70,0.99,,,"a ""quoted"" word"
            n7,2026-03-09T09:02:00Z,u3,purchase,70,0.99,,,last

            """
        let path = try file(text)
        let r = try scamscan(["tx", "--rules", rules, "--all", "--output", "jsonl", "--stats", path])
        let ids = r.out.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
        #expect(ids == ["p1", "g1", "g2", "cb1", "n6", "n7"], "\(r.err)")
        #expect(r.err.contains("\(path):3:48: bad row: quoted field opened here runs over line ends and then breaks at line 7,"), "\(r.err)")
        #expect(r.err.contains("reading resumed at line 4"))
        #expect(r.err.contains("rows:            6 scored, 1 bad, 0 blank"), "\(r.err)")
        // The chargeback among the rows that used to vanish is caught.
        #expect(r.out.contains("\"id\":\"cb1\"") && r.out.contains("chargeback.gift-then-chargeback"))
    }

    @Test func joinedExportsRepeatTheirHeaderAndItIsSkippedAndCounted() throws {
        let header = "id,timestamp,account,type,coins,amount\n"
        let text = "\u{FEFF}" + header + "a,2026-03-01T10:00:00Z,u1,purchase,100,1.29\r\n"
            + "\u{FEFF}" + header + "b,2026-03-01T10:01:00Z,u1,purchase,100,1.29\r" + "c,2026-03-01T10:02:00Z,u1,purchase,100,1.29\n"
        let r = try scamscan(["tx", "--rules", rules, "--all", "--stats", try file(text)])
        #expect(r.status == 1, "\(r.err)")
        #expect(r.out.split(separator: "\n").count == 3, "\(r.out)")
        #expect(r.err.contains(":3: the header row again (exports joined into one file?); skipped"), "\(r.err)")
        #expect(r.err.contains("rows:            3 scored, 0 bad, 0 blank, 1 repeated header"), "\(r.err)")
        #expect(!r.err.contains("bad row"))
    }

    @Test func anOverlongFieldIsOneBadRowInBoundedMemory() throws {
        // A 4 MB note against a 64 KB limit stands in for the 1 GB field: the reader skips to the
        // next line without buffering it.
        let text = "id,timestamp,account,type,coins,amount,note\n"
            + "a,2026-03-01T10:00:00Z,u1,purchase,100,1.29," + String(repeating: "x", count: 4 << 20) + "\n"
            + "b,2026-03-01T10:01:00Z,u1,purchase,100,1.29,ok\n"
        let r = try scamscan(["tx", "--rules", rules, "--all", "--stats", "--max-row-bytes", "65536", try file(text)])
        #expect(r.err.contains(":2:1: bad row: record longer than 65536 bytes"), "\(r.err.prefix(400))")
        #expect(r.err.contains("rows:            1 scored, 1 bad, 0 blank"))
        #expect(r.out.contains(" b u1 purchase"))
        let lines = try scamscan(["tx", "--rules", rules, "--max-row-lines", "0", try file(text)])
        #expect(lines.status == 2 && lines.err.contains("--max-row-lines must be from 1 to 1000000 (got 0)"), "\(lines.status) \(lines.err)")
    }

    @Test func bytesThatAreNotUTF8AreShownAsHexAndKeptApart() throws {
        var bytes = Array("id,timestamp,account,type,coins,amount\n".utf8)
        bytes += Array("a,2026-03-01T10:00:00Z,u".utf8) + [0x80] + Array(",purchase,100,1.29\n".utf8)
        bytes += Array("b,2026-03-01T10:01:00Z,u".utf8) + [0x81, 0x00] + Array(",purchase,100,1.29\n".utf8)
        let path = temporaryDirectory() + "/bytes.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try scamscan(["tx", "--rules", rules, "--all", "--summary", "--output", "text", path])
        #expect(r.out.contains("u\\x80 purchase") || r.out.contains("u\\x80"), "\(r.out)")
        #expect(r.out.contains("u\\x81\\x00"), "\(r.out)")
        let plain = try scamscan(["tx", "--rules", rules, "--all", path])
        #expect(plain.out.contains("a u\\x80 purchase") && plain.out.contains("b u\\x81\\x00 purchase"), "\(plain.out)")
        // CSV output gives the bytes back as they came.
        let csv = try scamscan(["tx", "--rules", rules, "--all", "--output", "csv", path])
        #expect(csv.outBytes.contains(0x80) && csv.outBytes.contains(0x81))
    }

    @Test func quickRedeemEvidenceNamesTheGiftsAndTheChargeback() throws {
        let text = """
            id,timestamp,account,type,coins,amount,recipient,related_id
            p1,2026-03-01T10:00:00Z,x1,purchase,1400,18.06,,
            g1,2026-03-01T10:10:00Z,x1,gift,700,,c5,
            g2,2026-03-01T10:11:00Z,x1,gift,700,,c5,
            cb1,2026-03-01T18:00:00Z,x1,chargeback,1400,18.06,,p1
            r1,2026-03-01T20:00:00Z,c5,redeem,1400,,,

            """
        let r = try scamscan(["tx", "--rules", rules, try file(text)])
        #expect(r.out.contains("laundering.quick-redeem +5: creator c5 redeemed within 1d of receiving 1400 coins from risky accounts: x1 (gifts g1, g2; risky since cb1) (related: r1, g1, g2, cb1)"), "\(r.out)")
    }
}
