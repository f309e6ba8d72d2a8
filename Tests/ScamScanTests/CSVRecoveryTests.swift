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

/// Malformed exports as they arrive from real systems: each must give exactly the rows expected,
/// the bad ones reported at their own line and column, and no row lost behind a stray quote.
@Suite struct CSVRecoveryTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        /// The first field of each record handed out after the header.
        var rows: [String]
        /// The line each of those records starts on.
        var lines: [Int]
        /// Each problem's line, column and a word of its message.
        var problems: [(line: Int, column: Int, says: String)]
        var blank = 0
        var maxRecord = 1 << 20
        var maxLines = CSVReader.defaultMaxRecordLines
        var testDescription: String { name }
    }

    static let header = "id,account,note\n"

    static let cases: [Case] = [
        Case(name: "an unterminated quote early, closed by a quote rows later (the seven-row export)",
             text: header + "t1,a,hi\n" + "t2,a,\"broken note\n" + "t3,a,fine\n" + "t4,a,fine\n" + "t5,a,fine\n"
                 + "t6,a,\"a \"\"quoted\"\" note\"\n" + "t7,a,last\n",
             rows: ["t1", "t3", "t4", "t5", "t6", "t7"], lines: [2, 4, 5, 6, 7, 8],
             problems: [(3, 6, "resumed at line 4")]),
        Case(name: "an unterminated quote late: it runs to the end of the input",
             text: header + "t1,a,hi\n" + "t2,a,ok\n" + "t3,a,\"never closed\n" + "t4,a,after\n" + "t5,a,end\n",
             rows: ["t1", "t2", "t4", "t5"], lines: [2, 3, 5, 6],
             problems: [(4, 6, "end of the input")]),
        Case(name: "a stray quote whose record comes out with too many fields",
             text: header + "t1,a,\"x\n" + "t2,b,y\",z,w\n" + "t3,c,z\n",
             rows: ["t3"], lines: [4],
             problems: [(2, 6, "a record of 5 fields where the header has 3"), (3, 7, "inside an unquoted field")]),
        Case(name: "a quote in the middle of a field",
             text: header + "t1,a,6\" screen\n" + "t2,a\"b,x\n" + "t3,a,ok\n",
             rows: ["t3"], lines: [4],
             problems: [(2, 7, "inside an unquoted field"), (3, 5, "inside an unquoted field")]),
        Case(name: "text after a closing quote, on one line",
             text: header + "t1,\"a\"b,x\n" + "t2,a,ok\n",
             rows: ["t2"], lines: [3], problems: [(2, 7, "after the closing quote")]),
        Case(name: "CR-only line ends (old spreadsheet exports)",
             text: "id,account,note\r" + "t1,a,hi\r" + "t2,a,\"two\rlines\"\r" + "\r" + "t3,a,x",
             rows: ["t1", "t2", "t3"], lines: [2, 3, 6], problems: [], blank: 1),
        Case(name: "mixed line ends",
             text: "id,account,note\r\n" + "t1,a,hi\n" + "t2,a,x\r" + "t3,a,y\r\n",
             rows: ["t1", "t2", "t3"], lines: [2, 3, 4], problems: []),
        Case(name: "a byte order mark in the middle of the file (exports joined)",
             text: "\u{FEFF}" + header + "t1,a,hi\n" + "\u{FEFF}t2,a,x\n",
             rows: ["t1", "t2"], lines: [2, 3], problems: []),
        Case(name: "a NUL byte is data, not an end",
             text: header + "t1,a,x\u{0}y\n" + "t2,a,\"\u{0}\"\n",
             rows: ["t1", "t2"], lines: [2, 3], problems: []),
        Case(name: "a field far past the limit, unquoted (the 1 GB field, scaled to the limit)",
             text: header + "t1,a," + String(repeating: "x", count: 200_000) + "\n" + "t2,a,ok\n",
             rows: ["t2"], lines: [3], problems: [(2, 1, "longer than 4096 bytes")], maxRecord: 4096),
        Case(name: "a quote that never closes, over many lines, past the byte limit",
             text: header + "t1,a,\"" + String(repeating: "filler line\n", count: 400) + "t2,a,ok\n",
             // (the quote's own line holds the first filler line)
             rows: Array(repeating: "filler line", count: 399) + ["t2"], lines: Array(3...402),
             problems: [(2, 6, "past 4096 bytes")], maxRecord: 4096, maxLines: 10_000),
        Case(name: "a quoted field over more line ends than allowed",
             text: header + "t1,a,\"one\ntwo\"\n" + "t2,a,\"1\n2\n3\n4\n5\"\n" + "t3,a,ok\n",
             rows: ["t1", "2", "3", "4", "t3"], lines: [2, 5, 6, 7, 9],
             problems: [(4, 6, "past 3 line ends"), (8, 2, "inside an unquoted field")], maxLines: 3),
        Case(name: "the header repeated mid-file is a record (the scanner skips it)",
             text: header + "t1,a,hi\n" + header + "t2,a,x\n",
             rows: ["t1", "id", "t2"], lines: [2, 3, 4], problems: []),
        Case(name: "blank lines, and the stray quote is the second of a record's line-spanning fields",
             text: header + "\n\n" + "t1,\"a\nb\",\"c\n" + "t2,a,x\n",
             rows: ["t2"], lines: [6], problems: [(5, 4, "end of the input")], blank: 2),
    ]

    /// Reads like the transaction scanner does: the header first, then the field count is known.
    func read(_ c: Case, buffer: Int) throws -> (rows: [String], lines: [Int], problems: [CSVProblem], blank: Int) {
        let reader = CSVReader(text: c.text, bufferSize: buffer, maxRecordBytes: c.maxRecord, maxRecordLines: c.maxLines)
        var rows: [String] = []
        var lines: [Int] = []
        var problems: [CSVProblem] = []
        var header = true
        try reader.forEachRecord({ row in
            if header {
                header = false
                reader.expectedFields = row.count
                return
            }
            rows.append(String(decoding: row[0], as: UTF8.self))
            lines.append(row.line)
        }, problem: { problems.append($0) })
        return (rows, lines, problems, reader.blankLines)
    }

    @Test(arguments: cases)
    func givesExactlyTheRowsExpected(_ c: Case) throws {
        for buffer in [1 << 20, 64, 67] {
            let r = try read(c, buffer: buffer)
            // (Summaries, not the arrays: some cases have hundreds of rows.)
            #expect(r.rows == c.rows, "buffer \(buffer): \(r.rows.count) rows, first \(r.rows.prefix(3)), last \(r.rows.suffix(3))")
            #expect(r.lines == c.lines, "buffer \(buffer): lines \(r.lines.prefix(3)) ... \(r.lines.suffix(3))")
            #expect(r.problems.map { [$0.line, $0.column] } == c.problems.map { [$0.line, $0.column] }, "buffer \(buffer): \(r.problems)")
            for (p, want) in zip(r.problems, c.problems) {
                #expect(p.message.contains(want.says), "\(p.message)")
            }
            #expect(r.blank == c.blank, "buffer \(buffer)")
        }
    }

    @Test func aNulByteAndAMidFileMarkLeaveTheFieldsIntact() throws {
        let reader = CSVReader(text: "a,b\n1,x\u{0}y\n\u{FEFF}2,z\n")
        var fields: [[String]] = []
        try reader.forEachRecord({ row in fields.append((0..<row.count).map { String(decoding: row[$0], as: UTF8.self) }) },
                                 problem: { Issue.record("\($0)") })
        #expect(fields == [["a", "b"], ["1", "x\u{0}y"], ["2", "z"]])
    }

    @Test func theErrorSaysWhereTheQuoteOpenedAndWhereReadingResumed() throws {
        let c = Self.cases[0]
        let r = try read(c, buffer: 1 << 20)
        let message = try #require(r.problems.first?.message)
        #expect(message.contains("quoted field opened here"))
        #expect(message.contains("breaks at line 7, column 7"), "\(message)")
        #expect(message.contains("reading resumed at line 4"))
    }

    @Test func fieldsWithBytesThatAreNotUTF8KeepThem() throws {
        let bytes: [UInt8] = Array("ab".utf8) + [0x80, 0xFF] + Array("c\u{e9}".utf8)
        let text = bytes.withUnsafeBytes { decodePreservingBytes($0) }
        #expect(escapeForTerminal(text) == "ab\\x80\\xFFc\u{e9}")
        #expect(preservedBytes(text) == bytes)
        var json: [UInt8] = []
        appendJSONString(text, to: &json)
        #expect(String(decoding: json, as: UTF8.self) == "\"ab\u{FFFD}\u{FFFD}c\u{e9}\"")
        // Two keys that differ only in an invalid byte stay two keys.
        let other = [UInt8](Array("ab".utf8) + [0x81, 0xFF] + Array("c\u{e9}".utf8)).withUnsafeBytes { decodePreservingBytes($0) }
        #expect(other != text)
    }
}
