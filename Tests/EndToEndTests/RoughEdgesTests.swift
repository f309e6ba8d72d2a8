import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The rough edges a moderator, an analyst and a CI engineer hit, each pinned as they would meet
/// it: `test` with nothing to test, a pack that fails under `--junit`, a damaged baseline, the
/// per-category table, impossible `--protect` values, an unwritable `--state`, progress lines.
@Suite struct RoughEdgesTests {
    let rules = repoRoot + "/Rules"
    let corpus = labelledCorpus

    @Test func testWithNoCorpusIsAnErrorNamingWhereItLooked() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try scamscan(["test", "--rules", rules], directory: dir)
        #expect(r.status == 2)
        #expect(r.err.contains("no labelled corpus: no --corpus was given and there is no ./Corpus in \(dir)"), "\(r.err)")
        #expect(!r.out.contains("scamscan test: ok"))
        // A corpus directory whose labels label nothing is an error too.
        try FileManager.default.createDirectory(atPath: dir + "/c/chat", withIntermediateDirectories: true)
        try "hello\n".write(toFile: dir + "/c/chat/a.txt", atomically: true, encoding: .utf8)
        try "line\tlabel\tverdict\tnote\n".write(toFile: dir + "/c/chat/a.labels.tsv", atomically: true, encoding: .utf8)
        let empty = try scamscan(["test", "--rules", rules, "--corpus", dir + "/c"], directory: dir)
        #expect(empty.status == 2 && empty.err.contains("holds no labelled records"), "\(empty.err)")
        // Asking for the examples alone is allowed, and says what it ran.
        let examples = try scamscan(["test", "--rules", rules, "--examples-only"], directory: dir)
        #expect(examples.status == 0, "\(examples.err)")
        #expect(examples.out.hasPrefix("examples: ") && examples.out.contains("all pass"))
        #expect(!examples.out.contains("model model.text"))
    }

    @Test func junitIsWrittenWhenThePackFailsToLoad() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/pack", withIntermediateDirectories: true)
        try "- id: broken.rule\n  category: reseller\n".write(toFile: dir + "/pack/a.yml", atomically: true, encoding: .utf8)
        let junit = dir + "/results.xml"
        // An earlier green report must not survive a run that could not start.
        try "<testsuites tests=\"3\" failures=\"0\"/>\n".write(toFile: junit, atomically: true, encoding: .utf8)
        let r = try scamscan(["test", "--rules", dir + "/pack", "--corpus", corpus, "--junit", junit])
        #expect(r.status == 2)
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(!xml.contains("failures=\"0\""))
        #expect(xml.contains("<failure message=\"\(dir)/pack/a.yml:1:3: broken.rule: missing required field &apos;description&apos;\" type=\"load\">"), "\(xml)")
        // The report is valid JUnit, as CI reporters read it.
        let tool = try #require(["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                "xmllint is needed to validate JUnit XML: install libxml2-utils (make test does)")
        let lint = Process()
        lint.executableURL = URL(fileURLWithPath: tool)
        lint.arguments = ["--noout", "--schema", repoRoot + "/Tests/EndToEndTests/Data/junit.xsd", junit]
        lint.standardError = Pipe()
        try lint.run()
        lint.waitUntilExit()
        #expect(lint.terminationStatus == 0)
        // The same for a baseline that cannot be read.
        let bad = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--baseline", dir + "/none.json", "--junit", junit])
        #expect(bad.status == 2)
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("cannot read the baseline"))
    }

    @Test func aDamagedBaselineIsNamedWithItsPlaceInWords() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let baseline = dir + "/baseline.json"
        let write = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--baseline", baseline, "--update-baseline"])
        #expect(write.status == 0, "\(write.err)")
        let text = try String(contentsOfFile: baseline, encoding: .utf8)
        // Truncated after its fourth line: the error is at the end of what is left.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let cut = lines.prefix(6).joined(separator: "\n")
        try cut.write(toFile: baseline, atomically: true, encoding: .utf8)
        let truncated = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--baseline", baseline])
        #expect(truncated.status == 2)
        #expect(truncated.err.contains("\(baseline):6:\(lines[5].utf8.count + 1): -: not a scamscan baseline: it is not valid JSON: "), "\(truncated.err)")
        #expect(truncated.err.contains("found the end of the file (the file looks truncated)"))
        #expect(!truncated.err.contains("DecodingError"))
        // Valid JSON of the wrong shape: which field, where.
        try text.replacingOccurrences(of: "\"score\":", with: "\"scor\":").write(toFile: baseline, atomically: true, encoding: .utf8)
        let renamed = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--baseline", baseline])
        #expect(renamed.status == 2 && renamed.err.contains("'records[0]' has no 'score' field"), "\(renamed.err)")
        try text.replacingOccurrences(of: "\"line\":", with: "\"line\":\"x\",\"was\":").write(toFile: baseline, atomically: true, encoding: .utf8)
        let typed = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--baseline", baseline])
        #expect(typed.status == 2 && typed.err.contains("'records[0].line' is not a number"), "\(typed.err)")
    }

    @Test func theCategoryTableSaysWhatItCountsAndLeavesUndefinedFiguresBlank() throws {
        let r = try scamscan(["test", "--rules", rules, "--corpus", corpus])
        #expect(r.out.contains("by category: a row counts labelled records."))
        #expect(r.out.contains("  category          labelled    TP    FP    FN  precision  recall     F1\n"))
        // No record is labelled spam: its recall is undefined, not 1.000.
        let spam = try #require(r.out.split(separator: "\n").first { $0.hasPrefix("  spam ") })
        #expect(spam.hasPrefix("  spam                    0     0 ") && spam.hasSuffix("0.000       -  0.000"), "\(spam)")
        let json = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--output", "jsonl"])
        let line = try #require(json.out.split(separator: "\n").first { $0.contains("\"category\":\"spam\"") })
        #expect(line.contains("\"recall\":null"))
    }

    @Test func protectRejectsWhatCanNeverBeAHandle() throws {
        for (value, reason) in [("", "it is empty"), ("two words", "it contains ' '"), ("luna:", "it is empty"),
                                (":luna", "the channel before ':' is empty"), ("@", "it is empty"), ("luna!", "it contains '!'")] {
            let r = try scamscan(["chat", "--rules", rules, "--protect", value], stdin: "hello\n")
            #expect(r.status == 2, "--protect '\(value)': \(r.status)")
            #expect(r.err.contains("--protect '\(value)'") && r.err.contains(reason), "\(r.err)")
        }
        let fine = try scamscan(["chat", "--rules", rules, "--protect", "lunachannel:@luna.paints", "--protect", "Ｌｕｎａ"], stdin: "hello\n")
        #expect(fine.status == 1, "\(fine.err)")
    }

    /// Runs `chat` on a live pipe that stays open; returns the process, its stdin, stdout and stderr.
    func liveChat(_ arguments: [String], stderr: FileHandle? = nil) throws -> (Process, FileHandle, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: scamscanPath)
        process.arguments = ["chat", "--rules", rules] + arguments
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = stderr ?? errPipe
        try process.run()
        return (process, inPipe.fileHandleForWriting, outPipe, errPipe)
    }

    /// Reads `out` until it has held `lines` line ends (or 30 s pass).
    func awaitLines(_ out: Pipe, _ lines: Int, seen: inout Data) {
        let deadline = Date().addingTimeInterval(30)
        while seen.filter({ $0 == 0x0A }).count < lines && Date() < deadline { seen.append(out.fileHandleForReading.availableData) }
    }

    func waitForExit(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }

    @Test func anUnwritableStatePathIsAnErrorAtStartNotAtTheEnd() throws {
        // The input stays open: only a check at start can report the problem.
        let (process, input, _, err) = try liveChat(["--state", "/nonexistent/dir/x.state"])
        defer { try? input.close() }
        #expect(waitForExit(process, seconds: 10), "chat waited for input instead of reporting the state path")
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        #expect(process.terminationStatus == 2)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("scamscan: --state /nonexistent/dir/x.state: cannot create /nonexistent/dir/x.state.tmp: No such file or directory"), "\(message)")
        #expect(message.contains("check that /nonexistent/dir exists"))
        #expect(!message.contains("NSCocoaErrorDomain") && !message.contains("Error Domain"))
    }

    @Test func aSaveThatFailsLaterIsAWarningAndExitStatusTwo() throws {
        let dir = temporaryDirectory()
        let (process, input, out, err) = try liveChat(["--state", dir + "/x.state", "--all", "--line-buffered"])
        input.write(Data("hello\n".utf8))
        var seen = Data()
        awaitLines(out, 1, seen: &seen)  // running, past its start-up check
        // The state's directory goes away while the filter runs; its final save fails.
        try FileManager.default.removeItem(atPath: dir)
        try input.close()
        #expect(waitForExit(process, seconds: 20))
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(message.contains("scamscan: warning: cannot save the state file \(dir)/x.state: cannot create \(dir)/x.state.tmp: No such file or directory"), "\(message)")
    }

    @Test func chatShowsProgressOnATerminalAndNeverOnAPipe() throws {
        var master: Int32 = -1, slave: Int32 = -1
        try #require(openpty(&master, &slave, nil, nil, nil) == 0)
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let (process, input, out, _) = try liveChat(["--input", "plain", "--all", "--line-buffered"], stderr: terminal)
        input.write(Data("hello\n".utf8))
        var seen = Data()
        awaitLines(out, 1, seen: &seen)
        usleep(1_200_000)
        input.write(Data("gg\nFREE COINS GENERATOR at coinz.xyz\n".utf8))
        awaitLines(out, 3, seen: &seen)
        usleep(200_000)
        try input.close()
        #expect(waitForExit(process, seconds: 20))
        try terminal.close()
        var screen = [UInt8](repeating: 0, count: 65536)
        let n = read(master, &screen, screen.count)
        close(master)
        let shown = String(decoding: screen.prefix(max(n, 0)), as: UTF8.self)
        #expect(shown.contains("scamscan chat: stdin: ") && shown.contains(" records, ") && shown.contains(" flagged"), "\(shown.debugDescription)")
        // Cleared at the end: the last thing on the line is the erase sequence.
        #expect(shown.hasSuffix("\r\u{1B}[K"), "\(shown.debugDescription)")
        // The same run on a pipe shows nothing but what it has to say.
        let (piped, pipedInput, pipedOut, pipedErr) = try liveChat(["--input", "plain", "--all", "--line-buffered"])
        pipedInput.write(Data("hello\n".utf8))
        var pipedSeen = Data()
        awaitLines(pipedOut, 1, seen: &pipedSeen)
        usleep(1_200_000)
        pipedInput.write(Data("gg\n".utf8))
        awaitLines(pipedOut, 2, seen: &pipedSeen)
        try pipedInput.close()
        #expect(waitForExit(piped, seconds: 20))
        #expect(pipedErr.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    @Test func progressCanBeForcedOnAndOff() throws {
        let forced = try scamscan(["chat", "--rules", rules, "--progress", "never"], stdin: "hello\n")
        #expect(forced.err.isEmpty)
        let bad = try scamscan(["chat", "--rules", rules, "--progress", "sometimes"], stdin: "hello\n")
        #expect(bad.status == 2 && bad.err.contains("The value 'sometimes' is invalid for '--progress <progress>'") && bad.err.contains("'auto', 'always'"), "\(bad.err)")
        let match = try scamscan(["match", "-e", "x", "--progress", "sometimes"], stdin: "x\n")
        #expect(match.status == 2)
    }
}
