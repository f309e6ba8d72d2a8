import ArgumentParser
import Foundation
import Matcher
import ScamScan

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Flag scam messages in chat logs or a live chat stream.",
        discussion: """
        Reads each FILE (or standard input when none is given, or for '-') and writes the flagged messages: verdict (review or block), score, the rules that hit, and the message.

        Input formats (--input): plain (one message per line); tsv (timestamp<TAB>channel<TAB>user<TAB>message, a header line is skipped); jsonl (one JSON object per line; the message from "text" or "message", plus "user", "channel", "timestamp"; other names with --field). auto decides from the first line of each input. A line that does not parse is reported on stderr, counted (--stats) and still scanned as plain text.

        Exit status: 0 if a message was flagged, 1 if none was, 2 on an error.

        Examples:
          tail -f live.log | scamscan chat --line-buffered
          scamscan chat Corpus/chat/sample.tsv
          scamscan chat --output jsonl --all chat.jsonl > verdicts.jsonl
          scamscan chat --input jsonl --field text=body --field user=author dump.jsonl
        """)

    @OptionGroup var rules: RuleOptions

    @Argument(help: ArgumentHelp("Chat files to scan; '-' or none reads standard input.", valueName: "FILE"))
    var files: [String] = []

    @Option(name: .customLong("input"), help: "Input format: plain, tsv, jsonl or auto.")
    var input: String = "auto"

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Map a record part to a JSON field, e.g. text=body (parts: text, user, channel, timestamp); repeatable.",
        valueName: "PART=NAME"))
    var fields: [String] = []

    @Option(name: .customLong("output"), help: "Output format: text or jsonl.")
    var output: String = "text"

    @Flag(help: "Write every record, flagged or not (records out = records in).")
    var all = false

    @OptionGroup var verdict: VerdictOptions

    @Flag(help: "Flush the output after every record, for live pipes.")
    var lineBuffered = false

    @Flag(help: "Print counts (records, malformed lines, verdicts, match-limit hits, seconds) on stderr.")
    var stats = false

    @Option(help: ArgumentHelp("Longest line kept whole; a longer one is scanned and written as its first N bytes, reported and counted (memory stays bounded).", valueName: "N"))
    var maxLineBytes: Int = LineReader.defaultMaxLineBytes

    @Flag(help: "Explain each record written: its folded view, the folding techniques it needed, and each hit with its score, matched text and evidence (in JSON: a 'folded' field).")
    var explain = false

    func validate() throws {
        guard ChatFormat(rawValue: input) != nil else {
            throw ValidationError("--input must be one of plain, tsv, jsonl, auto (got '\(input)')")
        }
        guard OutputFormat(rawValue: output) != nil else {
            throw ValidationError("--output must be text or jsonl (got '\(output)')")
        }
        guard maxLineBytes >= 1 else { throw ValidationError("--max-line-bytes must be at least 1 (got \(maxLineBytes))") }
        var names = FieldNames()
        for spec in fields {
            do { try names.set(spec) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let started = Date()
        let pack = try rules.load()
        let thresholds = verdict.thresholds(pack)

        var options = ChatScanOptions()
        options.format = ChatFormat(rawValue: input)!
        for spec in fields { try options.fields.set(spec) }
        options.all = all
        options.lineBuffered = lineBuffered
        options.maxLineBytes = maxLineBytes

        let out = ByteWriter(fd: 1)
        let err = ByteWriter(fd: 2, bufferSize: 4096)
        let useColor = verdict.useColor(out)
        if out.isTerminal { options.lineBuffered = true }
        let inputs = files.isEmpty ? ["-"] : files
        let sink: RecordSink = output == "jsonl"
            ? JSONLinesPrinter(out: out, pack: pack)
            : TextPrinter(out: out, pack: pack, color: useColor, showSource: inputs.count > 1, explain: explain)
        let classifier = Classifier(pack: pack, thresholds: thresholds, limits: MatchLimits(matchSteps: rules.matchLimit))
        classifier.keepsFoldedText = explain
        let scanner = ChatScanner(classifier: classifier, options: options, sink: sink, out: out, err: err)
        do {
            for path in inputs { try scanner.scan(path: path) }
            try scanner.finish()
        } catch is BrokenPipe {
            throw ExitCode(0)  // the reader went away (| head): a quiet success, as ripgrep
        }
        if stats {
            err.write(scanner.summary(seconds: Date().timeIntervalSince(started)))
            try? err.flush()
        }
        if scanner.stats.inputErrors > 0 { throw ExitCode(2) }
        throw ExitCode(scanner.stats.flagged > 0 ? 0 : 1)
    }
}
