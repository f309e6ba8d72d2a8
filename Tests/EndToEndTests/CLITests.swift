import Testing
import Foundation

@Suite(.serialized) struct CLITests {
    let rules = repoRoot + "/Rules"

    @Test func versionAndHelp() throws {
        let v = try scamscan(["--version"])
        #expect(v.status == 0 && v.out == "scamscan 0.1.0\n")
        let h = try scamscan(["--help"])
        #expect(h.status == 0 && h.out.contains("SUBCOMMANDS") && h.out.contains("chat") && h.out.contains("lint"))
        for sub in ["chat", "lint"] {
            let s = try scamscan([sub, "--help"])
            #expect(s.status == 0)
            #expect(s.out.contains("Examples:"), "\(sub) --help has examples")
            #expect(s.out.contains("scamscan \(sub)"))
        }
    }

    /// An option that takes one of a few words says which in `--help`.
    @Test func helpListsTheChoicesOfEachChoiceOption() throws {
        // The help text is wrapped to the terminal's width: compare with the lines joined.
        func joined(_ help: String) -> String { help.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let chat = joined(try scamscan(["chat", "--help"]).out)
        #expect(chat.contains("values: plain, tsv, jsonl, auto"), "\(chat)")
        #expect(chat.contains("values: text, jsonl"))
        #expect(chat.contains("values: auto, always, never"))
        #expect(chat.contains("values: prefilter, naive"))
        let tx = joined(try scamscan(["tx", "--help"]).out)
        #expect(tx.contains("values: text, jsonl, csv"), "\(tx)")
    }

    @Test func usageErrorsExitTwo() throws {
        let r = try scamscan(["chat", "--input", "xml"])
        #expect(r.status == 2)
        #expect(r.err.contains("The value 'xml' is invalid for '--input <input>'") && r.err.contains("'plain', 'tsv', 'jsonl'"), "\(r.err)")
        #expect(try scamscan(["chat", "--field", "colour=x"]).status == 2)
        #expect(try scamscan(["nosuchcommand"]).status == 2)
    }

    @Test func exitStatusFollowsGrep() throws {
        let flagged = try scamscan(["chat", "--rules", rules], stdin: "FREE COINS GENERATOR no human verification, click bit.ly/coinz\n")
        #expect(flagged.status == 0)
        #expect(flagged.out.hasPrefix("1: block "))
        let clean = try scamscan(["chat", "--rules", rules], stdin: "thanks for the gift!\njust bought coins in the app\nare free coins a thing?\n")
        #expect(clean.status == 1 && clean.out.isEmpty)
        let missing = try scamscan(["chat", "--rules", rules, "/nonexistent/chat.log"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("/nonexistent/chat.log: No such file or directory"))
    }

    @Test func badRulePackReportsEveryErrorAndExitsTwo() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        - id: other.one
          category: nope
          description: x
          pattern: '(open'
          view: raw
          score: 1
          match: [x]
          no_match: [y]
        - id: other.two
          category: other
          description: x
          pattern: 'fine'
          view: raw
          scor: 1
          match: [fine]
          no_match: [y]
        """.write(toFile: dir + "/bad.yml", atomically: true, encoding: .utf8)
        for command in ["chat", "lint"] {
            let r = try scamscan([command, "--rules", dir], stdin: "x\n")
            #expect(r.status == 2)
            #expect(r.out.isEmpty)
            let lines = r.err.split(separator: "\n").map(String.init)
            #expect(lines == [
                "\(dir)/bad.yml:2:13: other.one: unknown category 'nope'; the categories are: coin_generator, reseller, impersonation, phishing, giveaway, engagement_fraud, chargeback, card_testing, laundering, account_sharing, velocity, spam, other",
                "\(dir)/bad.yml:9:3: other.two: missing required field 'score'",
                "\(dir)/bad.yml:14:3: other.two: unknown field 'scor' (did you mean 'score'?); the fields are: id, kind, category, description, pattern, view, score, match, no_match, tags, references, list, list_match, max_distance, owned, public_suffixes, min_techniques, techniques, with_folded_hit, platform_names, protect_channel_owner, check, params, when, model",
                "scamscan: 3 errors in the rule pack; nothing was scanned",
            ])
        }
    }

    @Test func lintReportsFailingExamplesWithExitOne() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        - id: other.coins
          category: other
          description: x
          pattern: '\\bcoins\\b'
          view: folded
          score: 1
          match: [COINS, "no money"]
          no_match: [free coins]
        """.write(toFile: dir + "/r.yml", atomically: true, encoding: .utf8)
        let r = try scamscan(["lint", "--rules", dir])
        #expect(r.status == 1)
        #expect(r.err.contains("\(dir)/r.yml:7:18: other.coins: 'match' example did not match (view folded): \"no money\""))
        #expect(r.err.contains("\(dir)/r.yml:8:14: other.coins: 'no_match' example matched \"coins\" at bytes 5-10"))
        #expect(r.err.hasSuffix("scamscan lint: 2 of 3 examples failed in 1 rules\n"))
    }

    @Test func shippedRulesPassLint() throws {
        let r = try scamscan(["lint", "--rules", rules])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.last?.hasPrefix("scamscan lint: ") == true, "\(r.out)")
        #expect(r.out.hasSuffix("examples: all pass\n"))
        // The shipped model is described, and its file checks out.
        #expect(lines.contains { $0.contains("model.text: model model.ssm: format 1, checksum ") && $0.contains(" ok; features version ") }, "\(r.out)")
    }

    @Test func defaultRulesAreFoundFromTheWorkingDirectory() throws {
        let r = try scamscan(["lint"], directory: repoRoot)
        #expect(r.status == 0, "\(r.err)")
        let env = try scamscan(["lint"], directory: "/", environment: ["SCAMSCAN_RULES": rules])
        #expect(env.status == 0, "\(env.err)")
    }

    @Test func jsonlOutputHasEveryDocumentedField() throws {
        let input = "{\"text\":\"cheap coins 50% off, dm me on telegram\",\"user\":\"kai\",\"channel\":\"luna\",\"timestamp\":\"2026-11-02T20:14:03Z\"}\n"
        let r = try scamscan(["chat", "--rules", rules, "--output", "jsonl", "--all"], stdin: input)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        for key in ["file", "line", "timestamp", "channel", "user", "text", "score", "verdict", "hits"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(!hits.isEmpty)
        for hit in hits {
            for key in ["rule", "category", "score", "start", "end"] { #expect(hit[key] != nil, "hit missing \(key)") }
        }
    }

    @Test func allWritesEveryRecordAndStatsCountsThem() throws {
        let input = (0..<50).map { "message number \($0)" }.joined(separator: "\n") + "\n{\"broken\n"
        let r = try scamscan(["chat", "--rules", rules, "--all", "--stats", "--input", "plain"], stdin: input)
        #expect(r.out.split(separator: "\n").count == 51)
        #expect(r.err.contains("records:           51"))
        #expect(r.status == 1)
    }

    @Test func thresholdOverride() throws {
        let input = "dm me on telegram\n"
        let normal = try scamscan(["chat", "--rules", rules, "--all", "--output", "jsonl"], stdin: input)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(normal.out.utf8)) as? [String: Any])
        let score = try #require(object["score"] as? Double)
        try #require(score > 0, "the shipped pack should give 'dm me on telegram' some weight")
        let lowered = try scamscan(["chat", "--rules", rules, "--threshold", String(score)], stdin: input)
        #expect(lowered.status == 0)
        #expect(lowered.out.contains(score >= 8 ? "block" : "review"))
        let raised = try scamscan(["chat", "--rules", rules, "--threshold", "1000", "--block-threshold", "1000"],
                                  stdin: "FREE COINS GENERATOR at coinz.xyz\n")
        #expect(raised.status == 1)
    }

    @Test func closedPipeEndsQuietly() throws {
        // Many flagged lines; the reader takes one line and closes the pipe, as `| head -1` does.
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let line = "FREE COINS GENERATOR no human verification, click bit.ly/coinz\n"
        try String(repeating: line, count: 200_000).write(toFile: dir + "/big.txt", atomically: true, encoding: .utf8)
        let process = Process()
        // bash, so that the exit status is scamscan's own (PIPESTATUS), not head's.
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "'\(scamscanPath)' chat --rules '\(rules)' '\(dir)/big.txt' | head -1 >/dev/null; exit ${PIPESTATUS[0]}"]
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = Pipe()
        try process.run()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(err.isEmpty, "stderr: \(String(decoding: err, as: UTF8.self))")
    }

    @Test func liveStreamIsAnsweredLineByLine() throws {
        // Write one line, read its verdict before closing stdin: output is not held back.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: scamscanPath)
        process.arguments = ["chat", "--rules", rules, "--line-buffered"]
        let inPipe = Pipe(), outPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = Pipe()
        try process.run()
        inPipe.fileHandleForWriting.write(Data("hello\nFREE COINS GENERATOR at coinz.xyz\n".utf8))
        var received = Data()
        let deadline = Date().addingTimeInterval(20)
        while !received.contains(UInt8(ascii: "\n")) && Date() < deadline {
            received.append(outPipe.fileHandleForReading.availableData)
        }
        try inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("2: block"))
        #expect(process.terminationStatus == 0)
    }
}

