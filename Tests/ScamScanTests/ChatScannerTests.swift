import Testing
import Foundation
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
@testable import Matcher

/// Runs a chat scan in-process on `input` (written to a temporary file) and returns stdout,
/// stderr and the stats.
func runScan(_ input: String, options: ChatScanOptions = ChatScanOptions(), output: OutputFormat = .jsonl,
             yaml: String = testPackYAML, limits: MatchLimits = .default,
             engine: CompiledPack.Engine = .prefilter) throws -> (out: String, err: String, stats: ChatScanStats) {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(input, to: dir + "/in.txt")
    let outFD = open(dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let errFD = open(dir + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let out = ByteWriter(fd: outFD)
    let err = ByteWriter(fd: errFD)
    let pack = try compile(yaml, engine: engine)
    let sink: RecordSink = output == .jsonl
        ? JSONLinesPrinter(out: out, pack: pack)
        : TextPrinter(out: out, pack: pack, color: false, showSource: false)
    let scanner = ChatScanner(classifier: Classifier(pack: pack, limits: limits), options: options, sink: sink, out: out, err: err)
    try scanner.scan(path: dir + "/in.txt")
    try scanner.finish()
    close(outFD)
    close(errFD)
    let o = try String(contentsOfFile: dir + "/out", encoding: .utf8)
    let e = try String(contentsOfFile: dir + "/err", encoding: .utf8).replacingOccurrences(of: dir + "/in.txt", with: "IN")
    return (o, e, scanner.stats)
}

func jsonObjects(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
}

@Suite struct ChatScannerTests {
    var all: ChatScanOptions { var o = ChatScanOptions(); o.all = true; return o }

    @Test(arguments: engines)
    func plainInputFlagsOnlyScamsByDefault(engine: CompiledPack.Engine) throws {
        let r = try runScan("thanks for the gift!\ncheap coins on telegram\n\nfree coins generator\n", output: .text, engine: engine)
        #expect(r.out == "2: block 8 reseller.cheap-coins,other.telegram cheap coins on telegram\n4: block 8 coin_generator.free-gen free coins generator\n")
        #expect(r.stats.records == 3 && r.stats.blank == 1 && r.stats.flagged == 2 && r.stats.written == 2)
        #expect(r.err.isEmpty)
    }

    @Test func tsvInputWithHeaderAndJSONOutput() throws {
        let input = "timestamp\tchannel\tuser\tmessage\n2026-11-02T20:14:03Z\tluna\tkai\tcheap coins telegram\n2026-11-02T20:14:05Z\tluna\tmo\thi\n"
        let r = try runScan(input, options: all)
        let objects = try jsonObjects(r.out)
        #expect(objects.count == 2)
        #expect(objects[0]["line"] as? Int == 2)
        #expect(objects[0]["timestamp"] as? String == "2026-11-02T20:14:03Z")
        #expect(objects[0]["channel"] as? String == "luna")
        #expect(objects[0]["user"] as? String == "kai")
        #expect(objects[0]["verdict"] as? String == "block")
        #expect(objects[0]["score"] as? Int == 8)
        let hits = try #require(objects[0]["hits"] as? [[String: Any]])
        #expect(hits.map { $0["rule"] as? String } == ["reseller.cheap-coins", "other.telegram"])
        #expect(hits[0]["category"] as? String == "reseller")
        #expect(hits[0]["start"] as? Int == 0 && hits[0]["end"] as? Int == 11)
        #expect(hits[1]["start"] as? Int == 12 && hits[1]["end"] as? Int == 20)
        #expect(objects[1]["verdict"] as? String == "allow")
        #expect(r.stats.headers == 1 && r.stats.records == 2)
    }

    @Test(arguments: engines)
    func jsonlInputAndMalformedLinesAreCountedReportedAndStillScanned(engine: CompiledPack.Engine) throws {
        let input = """
        {"text":"hello","user":"a"}
        {"text": "cheap coins on telegram", "user": 5
        {"message":"free coins generator","channel":"luna"}
        not json but cheap coins
        """
        let r = try runScan(input + "\n", options: all, engine: engine)
        let objects = try jsonObjects(r.out)
        #expect(objects.count == 4)  // records out = records in
        #expect(objects.map { $0["verdict"] as? String } == ["allow", "block", "block", "review"])
        #expect(objects[1]["error"] as? String == "column 46: expected ',' or '}' after a value, found end of line")
        #expect(objects[2]["channel"] as? String == "luna")
        #expect(r.stats.malformed == 2 && r.stats.records == 4)
        #expect(r.err == """
        scamscan: IN:2:46: malformed jsonl record: expected ',' or '}' after a value, found end of line (scanned as plain text)
        scamscan: IN:4:1: malformed jsonl record: expected a JSON object starting with '{', found 'n' (scanned as plain text)

        """)
    }

    @Test func formatCanBeForced() throws {
        var options = all
        options.format = .tsv
        let r = try runScan("only one field\n", options: options)
        #expect(r.stats.malformed == 1 && r.stats.records == 1)
        options.format = .plain
        let p = try runScan("{\"text\":\"x\"}\n", options: options)
        #expect(try jsonObjects(p.out).first?["text"] as? String == "{\"text\":\"x\"}")
    }

    @Test func crlfAndMissingFinalNewline() throws {
        let r = try runScan("hi\r\ncheap coins\r\nfree coins generator", options: all)
        let objects = try jsonObjects(r.out)
        #expect(objects.map { $0["text"] as? String } == ["hi", "cheap coins", "free coins generator"])
    }

    @Test func invalidUTF8IsScannedAndKeptExactly() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Written as raw bytes: the record is still classified and base64 keeps the exact bytes.
        let bytes: [UInt8] = Array("cheap coins ".utf8) + [0xFF, 0xFE] + Array(" telegram\n".utf8)
        _ = FileManager.default.createFile(atPath: dir + "/in.bin", contents: Data(bytes))
        let outFD = open(dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let out = ByteWriter(fd: outFD)
        let pack = try compile(testPackYAML)
        let scanner = ChatScanner(classifier: Classifier(pack: pack), options: all,
                                  sink: JSONLinesPrinter(out: out, pack: pack), out: out, err: ByteWriter(fd: 2))
        try scanner.scan(path: dir + "/in.bin")
        try scanner.finish()
        close(outFD)
        let object = try #require(try jsonObjects(String(contentsOfFile: dir + "/out", encoding: .utf8)).first)
        #expect(object["verdict"] as? String == "block")
        #expect(object["text"] as? String == "cheap coins \u{FFFD}\u{FFFD} telegram")
        #expect(object["text_base64"] as? String == Data(bytes.dropLast()).base64EncodedString())
    }

    @Test(arguments: engines)
    func matchLimitIsReportedOncePerRuleWithACount(engine: CompiledPack.Engine) throws {
        let yaml = testPackYAML + """

        - id: other.redos
          category: other
          description: Catastrophic on purpose.
          pattern: '(a+)+$'
          view: raw
          score: 1
          match: ["aaa"]
          no_match: ["b"]
        """
        let line = String(repeating: "a", count: 40) + "b cheap coins telegram\n"
        let r = try runScan(line + "ok\n" + line, options: all, yaml: yaml, limits: MatchLimits(matchSteps: 5_000), engine: engine)
        let objects = try jsonObjects(r.out)
        #expect(objects.count == 3)
        #expect(objects[0]["verdict"] as? String == "block")
        #expect(objects[0]["limited"] as? [String] == ["other.redos"])
        #expect(r.err == "scamscan: warning: rule other.redos gave up (PCRE2 match limit) on 2 records, first at IN:1; those records were still scanned by every other rule. Bound the pattern's repeats (scamscan lint)\n")
    }

    @Test func unreadableInputIsCountedAndReported() throws {
        let out = ByteWriter(fd: 1)
        let errPath = temporaryDirectory() + "/err"
        let errFD = open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let err = ByteWriter(fd: errFD)
        let pack = try compile(testPackYAML)
        let scanner = ChatScanner(classifier: Classifier(pack: pack), options: ChatScanOptions(),
                                  sink: JSONLinesPrinter(out: out, pack: pack), out: out, err: err)
        try scanner.scan(path: "/nonexistent/chat.log")
        try scanner.finish()
        close(errFD)
        #expect(scanner.stats.inputErrors == 1)
        #expect(try String(contentsOfFile: errPath, encoding: .utf8) == "scamscan: /nonexistent/chat.log: No such file or directory\n")
    }

    @Test func textOutputEscapesHostileChat() throws {
        let r = try runScan("cheap coins \u{1B}[2J\u{1B}]0;owned\u{07} telegram\u{202E}\n", output: .text)
        #expect(r.out == "1: block 8 reseller.cheap-coins,other.telegram cheap coins \\e[2J\\e]0;owned\\x07 telegram\\u{202E}\n")
        #expect(!r.out.contains("\u{1B}"))
    }

    @Test func longLinesGrowTheBuffer() throws {
        let long = String(repeating: "x", count: 3_000_000) + " cheap coins"
        let r = try runScan("a\n" + long + "\nb\n", options: all)
        let objects = try jsonObjects(r.out)
        #expect(objects.count == 3)
        #expect(objects[1]["verdict"] as? String == "review")
    }
}

@Suite struct TextPrinterColourTests {
    @Test func colourHighlightsTheMatchedSpansOnly() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        write("well CHEAP COINS via telegram ok\n", to: dir + "/in.txt")
        let fd = open(dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let out = ByteWriter(fd: fd)
        let pack = try compile(testPackYAML)
        let scanner = ChatScanner(classifier: Classifier(pack: pack), options: ChatScanOptions(),
                                  sink: TextPrinter(out: out, pack: pack, color: true, showSource: true), out: out, err: ByteWriter(fd: 2))
        try scanner.scan(path: dir + "/in.txt")
        try scanner.finish()
        close(fd)
        let text = try String(contentsOfFile: dir + "/out", encoding: .utf8)
        let esc = "\u{1B}["
        #expect(text == "\(esc)35m\(dir)/in.txt\(esc)0m:\(esc)32m1\(esc)0m: \(esc)1;31mblock\(esc)0m 8 \(esc)36mreseller.cheap-coins,other.telegram\(esc)0m well \(esc)1;31mCHEAP COINS\(esc)0m via \(esc)1;31mtelegram\(esc)0m ok\n")
    }
}
