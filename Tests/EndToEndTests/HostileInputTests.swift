import Foundation
import Testing

/// Text written by attackers: nothing crashes, nothing is lost, nothing reaches the terminal raw.
@Suite(.serialized) struct HostileInputTests {
    let rules = repoRoot + "/Rules"

    func file(_ bytes: [UInt8]) throws -> String {
        let path = temporaryDirectory() + "/input"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `chat --all --stats` and returns the records written and the stats' record count.
    func recordsOut(_ path: String, _ extra: [String] = []) throws -> (lines: [String], records: Int, status: Int32, err: String) {
        let r = try scamscan(["chat", "--rules", rules, "--all", "--stats", "--output", "jsonl"] + extra + [path])
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let records = r.err.split(separator: "\n").first { $0.contains("records:") }.flatMap { Int($0.split(separator: " ").last!) } ?? -1
        return (lines, records, r.status, r.err)
    }

    @Test func strangeInputsLoseNoRecord() throws {
        let inputs: [(String, [UInt8], Int)] = [
            ("binary with NUL", [0x00, 0x01, 0x02, 0x0A, 0xFF, 0xFE, 0x00, 0x0A, 0x80, 0x0A], 3),
            ("invalid UTF-8", Array("ok\n".utf8) + [0xC3, 0x28, 0x0A, 0xED, 0xA0, 0x80, 0x0A, 0xF4, 0x90, 0x80, 0x80, 0x0A], 4),
            ("lone surrogates in JSON", Array("{\"text\":\"\\ud800 free coins\"}\n{\"text\":\"\\udfff\\ud83d\"}\n".utf8), 2),
            ("CR-only line ends", Array("one\rtwo\rthree\r".utf8), 1),
            ("empty input", [], 0),
            ("no final newline", Array("a\nb".utf8), 2),
            ("only newlines", Array("\n\n\n".utf8), 0),
        ]
        for (name, bytes, expected) in inputs {
            let r = try recordsOut(try file(bytes))
            #expect(r.status == 0 || r.status == 1, "\(name): status \(r.status) \(r.err)")
            #expect(r.lines.count == expected && r.records == expected, "\(name): \(r.lines.count) written, \(r.records) counted, \(expected) expected")
            for line in r.lines {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(name): not JSON: \(line)")
            }
        }
    }

    @Test func aHugeLineIsTruncatedReportedAndCounted() throws {
        var bytes = Array("free coins generator ".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 3_000_000)
        bytes += Array("\nhello\n".utf8)
        let path = try file(bytes)
        let r = try recordsOut(path, ["--max-line-bytes", "100000"])
        #expect(r.lines.count == 2 && r.records == 2)
        #expect(r.err.contains("\(path):1: line longer than 100000 bytes: scanned and written as its first 100000 bytes"))
        #expect(r.err.contains("truncated lines:   1"))
        #expect(r.lines[0].contains("\"verdict\":\"block\""), "the scam at the start of a huge line is still caught")
        let m = try scamscan(["match", "-c", "-e", "free coins", "-e", "hello", "--max-line-bytes", "100000", path])
        #expect(m.out == "2\n" && m.err.contains("1 line was longer than 100000 bytes"))
        let piped = try scamscan(["match", "-c", "-e", "free coins", "-e", "hello", "--max-line-bytes", "100000"], stdin: String(decoding: bytes, as: UTF8.self))
        #expect(piped.out == "2\n")
    }

    @Test func chatTextCannotDriveTheTerminal() throws {
        // Clear the screen, a fake record on a line of its own, an OSC 8 link, a bidi override,
        // a bell, a carriage return that would overwrite the verdict.
        let attacks = [
            "hi \u{1B}[2J\u{1B}[H you are safe",
            "ok\\n1: allow 0 - totally normal message",
            "\u{1B}]8;;https://evil.example\u{07}click me\u{1B}]8;;\u{07}",
            "\u{202E}snioc eerf\u{202C}",
            "bell\u{07}\u{07}",
            "free coins generator\r1: allow 0 - nothing to see",
        ]
        let jsonl = attacks.map { "{\"text\":\"" + $0.replacingOccurrences(of: "\u{1B}", with: "\\u001b").replacingOccurrences(of: "\u{07}", with: "\\u0007").replacingOccurrences(of: "\r", with: "\\r") + "\"}" }
        let r = try scamscan(["chat", "--rules", rules, "--all", "--input", "jsonl", "--color", "always"], stdin: jsonl.joined(separator: "\n") + "\n")
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == attacks.count, "one output line per record: \(lines)")
        for (k, line) in lines.enumerated() {
            #expect(line.hasPrefix("\u{1B}[32m\(k + 1)\u{1B}[0m: "), "each line starts with its own record number: \(line.debugDescription)")
            // Only our own colour codes (ESC [ digits/; m) may appear.
            let stripped = line.replacingOccurrences(of: #"\u{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
            #expect(!stripped.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) },
                    "control characters reached the output: \(stripped.debugDescription)")
        }
        #expect(lines[0].contains("\\e[2J"))
        #expect(lines[5].contains("\\r1: allow 0 - nothing to see"))
        let json = try scamscan(["chat", "--rules", rules, "--all", "--input", "jsonl", "--output", "jsonl"], stdin: jsonl.joined(separator: "\n") + "\n")
        for line in json.out.split(separator: "\n") {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 }, "JSON escapes control characters")
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
        }
    }

    @Test func aFileThatGrowsWhileReadEndsCleanly() throws {
        let path = temporaryDirectory() + "/growing.log"
        try String(repeating: "hello there\n", count: 2000).write(toFile: path, atomically: true, encoding: .utf8)
        let writer = Thread {
            guard let h = FileHandle(forWritingAtPath: path) else { return }
            h.seekToEndOfFile()
            for _ in 0..<50 {
                h.write(Data(String(repeating: "more chat\n", count: 200).utf8))
                usleep(2000)
            }
            h.closeFile()
        }
        writer.start()
        let r = try recordsOut(path)
        #expect(r.status == 1, "\(r.err)")
        // Every line it read is a record written; it stops at the end it sees.
        #expect(r.lines.count == r.records && r.records >= 2000 && r.records <= 12_000)
        while writer.isExecuting { usleep(1000) }
    }

    @Test func aFullDiskIsAnErrorWithStatusTwo() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: scamscanPath)
        p.arguments = ["chat", "--rules", rules, "--all", repoRoot + "/Corpus/chat/sample.tsv"]
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 2)
        #expect(message.contains("No space left on device"), "\(message)")
    }

    @Test func lintFlagsCatastrophicBacktracking() throws {
        let dir = temporaryDirectory()
        try "pack: r\n".write(toFile: dir + "/pack.yml", atomically: true, encoding: .utf8)
        try """
        - id: other.redos
          category: other
          description: nested repeats
          pattern: '(a+)+$'
          view: raw
          score: 1
          match: ["aaa"]
          no_match: ["b"]
        - id: other.possessive
          category: other
          description: the same, possessive
          pattern: '(a++)+$'
          view: raw
          score: 1
          match: ["aaa"]
          no_match: ["b"]
        """.write(toFile: dir + "/r.yml", atomically: true, encoding: .utf8)
        let r = try scamscan(["lint", "--rules", dir])
        #expect(r.status == 1)
        #expect(r.err.contains("\(dir)/r.yml:4:13: other.redos: pattern backtracks catastrophically: on 4,096 'a' and a non-matching end it ran out of 200,000 steps"))
        #expect(!r.err.contains("other.possessive: pattern backtracks"))
        #expect(r.err.hasSuffix("scamscan lint: 0 of 4 examples failed, 1 pattern problem in 2 rules\n"))
        // At run time the rule costs its match limit and the record is still written and scored.
        let run = try scamscan(["chat", "--rules", dir, "--all", "--output", "jsonl"], stdin: String(repeating: "a", count: 50_000) + "!\nb\n")
        #expect(run.out.split(separator: "\n").count == 2)
        #expect(run.out.contains("\"limited\":[\"other.redos\"]"))
        #expect(run.err.contains("rule other.redos gave up (PCRE2 match limit) on 1 record"))
    }
}
