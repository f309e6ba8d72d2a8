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

/// RFC 4180 and the ways real exports break it.
@Suite struct CSVReaderTests {
    /// Reads `text` in buffers of `buffer` bytes: rows as strings, and problems.
    func read(_ text: String, buffer: Int = 1 << 20, maxRecord: Int = 1 << 20) throws -> (rows: [[String]], lines: [Int], problems: [CSVProblem]) {
        let reader = CSVReader(text: text, bufferSize: buffer, maxRecordBytes: maxRecord)
        var rows: [[String]] = []
        var lines: [Int] = []
        var problems: [CSVProblem] = []
        try reader.forEachRecord({ row in
            rows.append((0..<row.count).map { String(decoding: row[$0], as: UTF8.self) })
            lines.append(row.line)
        }, problem: { problems.append($0) })
        return (rows, lines, problems)
    }

    @Test(arguments: [1 << 20, 64, 65, 67, 71])
    func edgeCasesAtEveryBufferSize(buffer: Int) throws {
        // Small buffers cut records (and quoted fields, doubled quotes, CRLF) at every position.
        let text = "\u{FEFF}id,note,amount\r\n"
            + "1,plain,1.00\r\n"
            + "2,\"with, comma\",2.00\r\n"
            + "3,\"say \"\"hi\"\"\",3.00\n"
            + "4,\"two\nlines\",4.00\n"
            + "\n"
            + "5,,\n"
            + "6,\"\",\"\"\n"
            + "7,\"crlf\r\ninside\",7\n"
            + "8,last,8"
        let r = try read(text, buffer: buffer)
        #expect(r.problems.isEmpty)
        #expect(r.rows == [
            ["id", "note", "amount"], ["1", "plain", "1.00"], ["2", "with, comma", "2.00"], ["3", "say \"hi\"", "3.00"],
            ["4", "two\nlines", "4.00"], ["5", "", ""], ["6", "", ""], ["7", "crlf\r\ninside", "7"], ["8", "last", "8"],
        ])
        #expect(r.lines == [1, 2, 3, 4, 5, 8, 9, 10, 12], "a quoted line break counts, a blank line is not a record")
    }

    @Test func malformedRowsAreReportedWithLineAndColumnAndReadingGoesOn() throws {
        let text = "a,b\n"
            + "1,x\"y\n"            // a quote inside an unquoted field
            + "2,\"ok\"junk\n"      // text after the closing quote
            + "3,fine\n"
            + "4,\"never closed\n"
            + "5,after\n"
        let r = try read(text)
        #expect(r.rows == [["a", "b"], ["3", "fine"], ["5", "after"]])
        #expect(r.problems.map { [$0.line, $0.column] } == [[2, 4], [3, 7], [5, 3]])
        #expect(r.problems[0].message.contains("inside an unquoted field"))
        #expect(r.problems[1].message.contains("after the closing quote"))
        #expect(r.problems[2].message.contains("never closed"))
    }

    @Test func anOverlongRecordIsReportedNotBuffered() throws {
        let text = "a,b\n1,\"" + String(repeating: "x", count: 5000) + "\n2,ok\n3,ok\n"
        let r = try read(text, buffer: 64, maxRecord: 1024)
        #expect(r.problems.count == 1, "\(r.problems)")
        #expect(r.problems.first?.message.contains("longer than 1024 bytes") == true)
        #expect(r.rows == [["a", "b"], ["2", "ok"], ["3", "ok"]])
        #expect(r.lines == [1, 3, 4])
    }

    @Test func emptyAndHeaderOnlyInputs() throws {
        #expect(try read("").rows.isEmpty)
        #expect(try read("a,b").rows == [["a", "b"]])
        #expect(try read("a,b\n\n\n").rows == [["a", "b"]])
        #expect(try read("a,\n").rows == [["a", ""]])
    }
}

@Suite struct TimestampTests {
    @Test func isoAndEpochForms() {
        let t: Int64 = 1_772_366_405_000  // 2026-03-01T12:00:05Z
        let cases: [(String, Int64)] = [
            ("2026-03-01T12:00:05Z", t), ("2026-03-01 12:00:05", t), ("2026-03-01T12:00:05.250Z", t + 250),
            ("2026-03-01T14:00:05+02:00", t), ("2026-03-01T07:00:05-0500", t), ("2026-03-01T12:00Z", t - 5000),
            ("2026-03-01", t - 43_205_000), ("1772366405", t), ("1772366405000", t), ("1772366405000000", t),
            ("1772366405.5", t + 500), ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ]
        for (text, expected) in cases {
            #expect((try? Timestamp.parse(text).get()) == expected, "\(text)")
        }
        #expect(Timestamp.format(t + 250) == "2026-03-01T12:00:05.250Z")
        #expect(Timestamp.format(t) == "2026-03-01T12:00:05Z")
    }

    @Test func badTimesSayWhatIsWrong() {
        for (text, message) in [("2026-02-30T00:00:00Z", "no such date"), ("yesterday", "not a date-time"),
                                ("2026-03-01T25:00:00Z", "bad time"), ("2026-03-01T12:00:00+5", "zone offset"),
                                ("2026-03-01T12:00:00Zx", "after 'Z'"), ("", "empty"),
                                ("99999999999999999999", "too large")] {
            guard case let .failure(e) = Timestamp.parse(text) else {
                Issue.record("\(text) parsed")
                continue
            }
            #expect(e.description.contains(message), "\(text): \(e)")
        }
    }
}
