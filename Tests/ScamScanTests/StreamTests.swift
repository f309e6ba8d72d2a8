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

@Suite struct JSONLineParserTests {
    func parse(_ line: String, fields: FieldNames = FieldNames()) -> Result<[FieldNames.Part: String], RecordError> {
        var parser = JSONLineParser(fields: fields)
        do {
            try Array(line.utf8).withUnsafeBytes { try parser.parse($0) }
        } catch {
            return .failure(error as! RecordError)
        }
        var out: [FieldNames.Part: String] = [:]
        for (part, value) in parser.found { out[part] = String(decoding: parser.storage[value.range], as: UTF8.self) }
        return .success(out)
    }

    @Test func extractsTheRecordPartsAndSkipsTheRest() throws {
        let r = try parse(#"{"id":7,"user":"kai","channel":"luna","timestamp":"2026-11-02T20:14:03Z","text":"hi \"there\"\n","meta":{"a":[1,2,{"b":null}],"c":true}}"#).get()
        #expect(r == [.user: "kai", .channel: "luna", .timestamp: "2026-11-02T20:14:03Z", .text: "hi \"there\"\n"])
    }

    @Test func messageIsTheFallbackForTextAndTextWins() throws {
        #expect(try parse(#"{"message":"m"}"#).get() == [.text: "m"])
        #expect(try parse(#"{"message":"m","text":"t"}"#).get() == [.text: "t"])
    }

    @Test func fieldMappingRenamesParts() throws {
        var names = FieldNames()
        try names.set("text=body")
        try names.set("user=author,nick")
        #expect(try parse(#"{"body":"b","nick":"n","text":"ignored"}"#, fields: names).get() == [.text: "b", .user: "n"])
        #expect(throws: UsageError.self) { try names.set("color=red") }
        #expect(throws: UsageError.self) { try names.set("text=") }
    }

    @Test func numbersAndNullsInParts() throws {
        #expect(try parse(#"{"text":"x","timestamp":1730577243.5,"user":null}"#).get() == [.text: "x", .timestamp: "1730577243.5"])
    }

    @Test func unicodeEscapesAndSurrogates() throws {
        #expect(try parse(#"{"text":"\u00e9\ud83d\ude00\u0041"}"#).get()[.text] == "é😀A")
        #expect(try parse(#"{"text":"a\ud83db"}"#).get()[.text] == "a\u{FFFD}b")  // lone high surrogate
        #expect(try parse(#"{"text":"\udc00"}"#).get()[.text] == "\u{FFFD}")      // lone low surrogate
    }

    /// Malformed lines paired with their exact column and message.
    @Test(arguments: [
        (#"not json"#, 1, "expected a JSON object starting with '{', found 'n'"),
        (#"{"text": bad}"#, 10, "expected a JSON value, found 'b'"),
        (#"{"text":"x""#, 12, "expected ',' or '}' after a value, found end of line"),
        (#"{"text":"x"} trailing"#, 14, "unexpected 't' after the JSON object; one object per line"),
        (#"{"text":"unterminated}"#, 9, "unterminated string (no closing '\"' on this line)"),
        (#"{"text":"a\qb"}"#, 11, "invalid escape '\\q' in a string"),
        ("{\"text\":\"tab\there\"}", 13, "control character (0x9) inside a string must be escaped"),
        (#"{"user":"x"}"#, 1, "no 'text' or 'message' field with the message; name it with --field text=NAME"),
        (#"{"text":{"a":1}}"#, 9, "field 'text' holds an object, not a string or number; name another field (--field for chat, --map for tx)"),
        (#"{"text":"x","n":01}"#, 18, "expected ',' or '}' after a value, found '1'"),
        (#"{"text":"x" "user":"y"}"#, 13, "expected ',' or '}' after a value, found '\"'"),
        (#"{text:"x"}"#, 2, "expected a field name in double quotes, found 't'"),
    ])
    func malformedLinesGiveColumnAndReason(line: String, column: Int, message: String) {
        guard case let .failure(error) = parse(line) else {
            Issue.record("expected an error for \(line)")
            return
        }
        #expect(error == RecordError(column: column, message))
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let line = "{\"text\":\"x\",\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        guard case let .failure(error) = parse(line) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message == "nested deeper than 128 levels")
    }
}

@Suite struct TSVAndDetectionTests {
    /// The parse error and the text of a TSV line.
    func tsv(_ line: String) -> (error: RecordError?, text: String) {
        Array(line.utf8).withUnsafeBytes { bytes in
            var record = ChatRecord(line: 1, text: bytes)
            TSVRecord.parse(bytes, into: &record)
            return (record.error, String(decoding: record.text, as: UTF8.self))
        }
    }

    @Test func tsvSplitsFourFields() {
        Array("2026-11-02T20:14:03Z\tluna\tkai\tfree coins".utf8).withUnsafeBytes { bytes in
            var record = ChatRecord(line: 1, text: bytes)
            TSVRecord.parse(bytes, into: &record)
            #expect(record.error == nil)
            #expect(String(decoding: record.timestamp!, as: UTF8.self) == "2026-11-02T20:14:03Z")
            #expect(String(decoding: record.channel!, as: UTF8.self) == "luna")
            #expect(String(decoding: record.user!, as: UTF8.self) == "kai")
            #expect(String(decoding: record.text, as: UTF8.self) == "free coins")
        }
    }

    @Test func tsvWithWrongFieldCountIsAnErrorAndKeepsTheWholeLine() {
        let r = tsv("a\tb\tc\td\te")
        #expect(r.error?.message == "expected 4 tab-separated fields (timestamp, channel, user, message), found 5; a message must not contain tabs (or use --input jsonl)")
        #expect(r.text == "a\tb\tc\td\te")  // the whole line is kept as the text
        #expect(tsv("just a line").error != nil)
    }

    @Test func headerIsRecognised() {
        #expect(Array("timestamp\tchannel\tuser\tmessage".utf8).withUnsafeBytes { TSVRecord.isHeader($0) })
        #expect(!Array("timestamp\tchannel\tuser\thi".utf8).withUnsafeBytes { TSVRecord.isHeader($0) })
        #expect(Array("Timestamp\tCHANNEL\tUser\tmessage".utf8).withUnsafeBytes { TSVRecord.isHeader($0) })
        #expect(!Array("timestamp)channel)user)message".utf8).withUnsafeBytes { TSVRecord.isHeader($0) })
    }

    @Test(arguments: [
        ("{\"text\":\"x\"}", ChatFormat.jsonl), ("  {", .jsonl), ("a\tb\tc\td", .tsv), ("a\tb", .plain), ("hello {", .plain),
    ])
    func autoDetection(line: String, expected: ChatFormat) {
        #expect(Array(line.utf8).withUnsafeBytes { ChatFormat.detect($0) } == expected)
    }
}

@Suite struct EscapingTests {
    @Test func terminalEscapesNeutraliseControlAndBidi() {
        #expect(escapeForTerminal("clear\u{1B}[2J\u{1B}[H") == "clear\\e[2J\\e[H")
        #expect(escapeForTerminal("\u{1B}]8;;http://evil\u{07}click\u{1B}]8;;\u{07}") == "\\e]8;;http://evil\\x07click\\e]8;;\\x07")
        #expect(escapeForTerminal("abc\u{202E}fed") == "abc\\u{202E}fed")
        #expect(escapeForTerminal("fake\nline\r\tx\u{7F}\u{85}") == "fake\\nline\\r\\tx\\x7F\\u{85}")
        #expect(escapeForTerminal("emoji 😀 и 日本") == "emoji 😀 и 日本")
        var out: [UInt8] = []
        ([0x66, 0xFF, 0xC3] as [UInt8]).withUnsafeBytes { appendTerminalEscaped($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "f\\xFF\\xC3")
    }

    @Test func jsonStringsFollowRFC8259() {
        var out: [UInt8] = []
        appendJSONString("q\"b\\n\n\u{1}\u{1B}é\u{202E}", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""q\"b\\n\n\u0001\u001bé\u202e""#)
        out = []
        ([0x61, 0xFF] as [UInt8]).withUnsafeBytes { appendJSONString($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "\"a\u{FFFD}\"")
    }

    @Test func base64() {
        for (input, expected) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg==")] {
            var out: [UInt8] = []
            Array(input.utf8).withUnsafeBytes { appendBase64($0, to: &out) }
            #expect(String(decoding: out, as: UTF8.self) == expected)
        }
    }

    @Test func scoresPrintLikePeopleWriteThem() {
        #expect(formatScore(8) == "8")
        #expect(formatScore(4.5) == "4.5")
        #expect(formatScore(-2) == "-2")
        #expect(formatScore(1.0 / 3.0) == "0.33")
    }
}
