import Foundation
import Testing

/// `scamscan chat` with behaviour signals as users run it: limits on the command line, the
/// state file across restarts (and damaged ones), a live pipe stopped by SIGTERM, timestamps.
@Suite struct SignalCLITests {
    let rules = repoRoot + "/Rules"
    static let header = "timestamp\tchannel\tuser\tmessage\n"

    /// A wave of `users` accounts posting the same link, one every 3 seconds from `first`.
    func wave(_ range: Range<Int>) -> String {
        Self.header + range.map { "2026-01-01T00:00:\(String(format: "%02d", $0 * 3))Z\tlive\tbot\($0)\tclaim free coins for everyone at coinz-gen.xyz\n" }.joined()
    }

    @Test func theStateFileCarriesAWaveAcrossRunsAndStatsShowTheState() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/live.state"
        let first = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--output", "jsonl", "--state", state], stdin: wave(0..<5))
        #expect(first.status == 0, "\(first.err)")
        #expect(!first.out.contains("behaviour.spam-wave"))
        #expect(FileManager.default.fileExists(atPath: state))
        let second = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--output", "jsonl", "--state", state, "--stats"], stdin: wave(5..<8))
        #expect(second.status == 0, "\(second.err)")
        let last = try #require(second.out.split(separator: "\n").last)
        #expect(last.contains("\"rule\":\"behaviour.spam-wave\"") && last.contains("wave of 8 accounts sending near-identical text in #live"))
        #expect(second.err.contains("  behaviour state:   8 users (cap 100000), 1 channels (cap 10000), 8 channel-user pairs (cap 100000); 0 evicted by a cap"))
        // Without the state file the second run sees no wave.
        let alone = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--output", "jsonl"], stdin: wave(5..<8))
        #expect(!alone.out.contains("behaviour.spam-wave"))
        // --no-signals: no behaviour rule at all.
        let off = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--all", "--no-signals", "--stats"], stdin: wave(0..<10))
        #expect(!off.out.contains("behaviour.") && !off.err.contains("behaviour state"))
    }

    @Test func aDamagedStateFileIsReportedIgnoredAndReplaced() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/live.state"
        try Data("SCAMSIGS\u{1}\0\0\0 and then garbage".utf8).write(to: URL(fileURLWithPath: state))
        let r = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--state", state], stdin: wave(0..<3))
        #expect(r.status == 0)
        #expect(r.err.contains("scamscan: warning: state file \(state): damaged: "))
        #expect(r.err.contains("starting with no history (it is overwritten at the end)"))
        // The run wrote a good state in its place: the next run reads it without a warning.
        let next = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--state", state], stdin: wave(3..<4))
        #expect(next.err.isEmpty, "\(next.err)")
        // An unwritable state path is an error (exit 2) before the scan: nothing is written.
        let bad = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--state", dir + "/no/such/dir/s"], stdin: wave(0..<2))
        #expect(bad.status == 2 && bad.err.contains("scamscan: --state \(dir)/no/such/dir/s: cannot create \(dir)/no/such/dir/s.tmp: No such file or directory"), "\(bad.err)")
        #expect(bad.out.isEmpty)
    }

    @Test func limitsAreCheckedOnTheCommandLine() throws {
        let users = try scamscan(["chat", "--rules", rules, "--max-users", "0"], stdin: "hi\n")
        #expect(users.status == 64 || users.status == 2)
        #expect(users.err.contains("--max-users must be at least 1 (got 0)"))
        let window = try scamscan(["chat", "--rules", rules, "--window", "soon"], stdin: "hi\n")
        #expect(window.err.contains("--window must be a duration such as 30s, 10m or 2h (got 'soon')"))
        let both = try scamscan(["chat", "--rules", rules, "--state", "/tmp/x", "--no-signals"], stdin: "hi\n")
        #expect(both.err.contains("--state keeps the behaviour signals' history; it cannot go with --no-signals"))
        // A small cap keeps the run going and says what it dropped.
        let capped = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--max-users", "3", "--stats"], stdin: wave(0..<10))
        #expect(capped.err.contains("behaviour state:   3 users (cap 3)"))
        #expect(capped.err.contains("evicted by a cap"))
    }

    @Test func badTimestampsAreReportedCountedAndTheRecordStillJudged() throws {
        let input = Self.header + "yesterday\tlive\tamy\tadd me on telegram @coins_plug77\n2026-01-01T00:00:01Z\tlive\tbob\thello\n"
        let r = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--all", "--stats"], stdin: input)
        #expect(r.err.contains("-:2: timestamp 'yesterday' not a date-time"))
        #expect(r.err.contains("the behaviour signals use the last readable timestamp's time (the clock before any)"))
        #expect(r.err.contains("  bad timestamps:    1 (the last readable time used)"))
        #expect(r.out.split(separator: "\n").count == 2)
        #expect(r.out.contains("behaviour.first-contact"))
    }

    @Test func aTimestampFarInTheFutureCannotWipeTheHistory() throws {
        // Without the guard, the stranger's year-2999 message would expire every user's history
        // (the spammer's two earlier copies) and the third copy would pass as a first. Nor may
        // it take the clock's time: months after this log's times, that expires them too.
        let spam = "cheap coins here, dm me for the price list"
        let input = Self.header
            + "2026-01-01T00:00:00Z\tlive\tplug\t\(spam)\n"
            + "2026-01-01T00:00:30Z\tlive\tplug\t\(spam)\n"
            + "2999-01-01T00:00:00Z\tlive\tstranger\thello\n"
            + "2026-01-01T00:01:00Z\tlive\tplug\t\(spam)\n"
        let r = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--output", "jsonl", "--all", "--stats"], stdin: input)
        #expect(r.err.contains("-:4: timestamp '2999-01-01T00:00:00Z' is more than a day in the future: the behaviour signals use the last readable timestamp's time"))
        #expect(r.err.contains("  bad timestamps:    1 (the last readable time used)"))
        let last = try #require(r.out.split(separator: "\n").last)
        #expect(last.contains("\"rule\":\"behaviour.repeated-text\""), "\(last)")
    }

    @Test func aLivePipeAnswersEachLineAndSavesItsStateOnSIGTERM() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/live.state"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: scamscanPath)
        process.arguments = ["chat", "--rules", rules, "--input", "tsv", "--line-buffered", "--state", state]
        let inPipe = Pipe(), outPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = Pipe()
        try process.run()
        inPipe.fileHandleForWriting.write(Data((Self.header + "2026-01-01T00:00:00Z\tlive\tnewbie\tadd me on telegram @coins_plug77 cheap coins\n").utf8))
        var received = Data()
        let deadline = Date().addingTimeInterval(20)
        while !received.contains(UInt8(ascii: "\n")) && Date() < deadline {
            received.append(outPipe.fileHandleForReading.availableData)
        }
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("2: "))
        #expect(String(decoding: received, as: UTF8.self).contains("behaviour.first-contact"))
        // Stopped while waiting for input: it saves the state and exits 128 + SIGTERM.
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(FileManager.default.fileExists(atPath: state))
        // The restarted filter remembers the user: the same message is no longer a first contact.
        let again = try scamscan(["chat", "--rules", rules, "--input", "tsv", "--all", "--state", state],
                                 stdin: Self.header + "2026-01-01T00:00:05Z\tlive\tnewbie\tadd me on telegram @coins_plug77 cheap coins\n")
        #expect(!again.out.contains("behaviour.first-contact"), "\(again.out)")
        try? inPipe.fileHandleForWriting.close()
    }
}
