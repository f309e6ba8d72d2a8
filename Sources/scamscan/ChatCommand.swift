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

        Behaviour signals (rules of kind repetition, spam_wave, flood, first_contact, mention_spam, shape) keep recent messages per user and per channel, bounded by --max-users, --max-channels and --window; event time is the record's timestamp, or its arrival time without one. --state FILE restores that history at start and saves it at the end, every minute while waiting for input, and on SIGINT or SIGTERM (then the exit status is 130 or 143); a damaged state file or one from other settings is reported and ignored.

        Exit status: 0 if a message was flagged, 1 if none was, 2 on an error.

        Examples:
          tail -f live.log | scamscan chat --line-buffered
          tail -f live.tsv | scamscan chat --line-buffered --state /var/lib/scamscan/live.state
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

    @Option(help: "Progress line on stderr: auto (when stderr is a terminal), always or never.")
    var progress: String = "auto"

    @Flag(help: "Print counts (records, malformed lines, verdicts, match-limit hits, seconds) on stderr.")
    var stats = false

    @Option(help: ArgumentHelp("Longest line kept whole; a longer one is scanned and written as its first N bytes, reported and counted (memory stays bounded).", valueName: "N"))
    var maxLineBytes: Int = LineReader.defaultMaxLineBytes

    @Option(help: ArgumentHelp("Most users whose recent messages the behaviour signals keep (least recently seen dropped first); also the most channel-user pairs remembered for first contact.", valueName: "N"))
    var maxUsers: Int = SignalLimits().maxUsers

    @Option(help: ArgumentHelp("Most channels whose recent texts the spam-wave signal keeps.", valueName: "N"))
    var maxChannels: Int = SignalLimits().maxChannels

    @Option(help: ArgumentHelp("Longest time any behaviour signal looks back (e.g. 10m, 1h); rules with longer windows are cut to it. Default: each rule's own window.", valueName: "DURATION"))
    var window: String?

    @Option(help: ArgumentHelp("Keep the behaviour signals' history in FILE across runs: restored at start, saved at the end, every minute while waiting for input, and on SIGINT/SIGTERM.", valueName: "FILE"))
    var state: String?

    @Flag(help: "Run without the behaviour signals (every message judged alone).")
    var noSignals = false

    @Flag(help: "Explain each record written: its folded view, the folding techniques it needed, and each hit with its score, matched text and evidence (in JSON: a 'folded' field).")
    var explain = false

    func validate() throws {
        guard ChatFormat(rawValue: input) != nil else {
            throw ValidationError("--input must be one of plain, tsv, jsonl, auto (got '\(input)')")
        }
        guard OutputFormat(rawValue: output) != nil else {
            throw ValidationError("--output must be text or jsonl (got '\(output)')")
        }
        guard ["auto", "always", "never"].contains(progress) else {
            throw ValidationError("--progress must be auto, always or never (got '\(progress)')")
        }
        guard maxLineBytes >= 1 else { throw ValidationError("--max-line-bytes must be at least 1 (got \(maxLineBytes))") }
        guard maxUsers >= 1 else { throw ValidationError("--max-users must be at least 1 (got \(maxUsers))") }
        guard maxChannels >= 1 else { throw ValidationError("--max-channels must be at least 1 (got \(maxChannels))") }
        if let window, TxDuration.parse(window).map({ $0 > 0 }) != true {
            throw ValidationError("--window must be a duration such as 30s, 10m or 2h (got '\(window)')")
        }
        if state != nil && noSignals { throw ValidationError("--state keeps the behaviour signals' history; it cannot go with --no-signals") }
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
        options.progress = progress == "always" || (progress == "auto" && err.isTerminal)
        let inputs = files.isEmpty ? ["-"] : files
        let sink: RecordSink = output == "jsonl"
            ? JSONLinesPrinter(out: out, pack: pack)
            : TextPrinter(out: out, pack: pack, color: useColor, showSource: inputs.count > 1, explain: explain)
        let classifier = Classifier(pack: pack, thresholds: thresholds, limits: MatchLimits(matchSteps: rules.matchLimit))
        classifier.keepsFoldedText = explain
        classifier.timing = stats  // two clock reads per record: only when asked
        var stateFailed = false
        if noSignals {
            classifier.signals = nil
        } else if !pack.signalRules.isEmpty {
            var limits = SignalLimits()
            limits.maxUsers = maxUsers
            limits.maxChannels = maxChannels
            limits.window = window.flatMap(TxDuration.parse)
            classifier.signals = SignalState(rules: pack.signalRules, limits: limits)
            if let state {
                StopSignal.install()
                if FileManager.default.fileExists(atPath: state) {
                    do {
                        try classifier.signals!.restore(from: state)
                    } catch {
                        err.write("scamscan: warning: state file \(state): \(error.description); starting with no history (it is overwritten at the end)\n")
                        classifier.signals = SignalState(rules: pack.signalRules, limits: limits)
                    }
                }
            }
        }
        // Check the state path now, by saving what was restored (or nothing): a path that cannot be
        // written is an error before the scan, not a surprise at its end.
        if let state, let signals = classifier.signals {
            do {
                try signals.save(to: state)
            } catch {
                throw CLIError("--state \(state): \(error.description)")
            }
        }
        let scanner = ChatScanner(classifier: classifier, options: options, sink: sink, out: out, err: err)
        /// Saves the state file; a failure is reported at once (the first time) and makes the
        /// exit status 2.
        func saveState() {
            guard let state, let signals = classifier.signals else { return }
            do {
                try signals.save(to: state)
            } catch {
                if !stateFailed {
                    err.write("scamscan: warning: cannot save the state file \(state): \(error.description); the scan goes on, the exit status will be 2\n")
                    try? err.flush()
                }
                stateFailed = true
            }
        }
        if state != nil {
            var lastSave = Date()
            scanner.beforeRead = {
                if Date().timeIntervalSince(lastSave) >= 60 {
                    saveState()
                    lastSave = Date()
                }
            }
        }
        do {
            for path in inputs where StopSignal.requested == nil { try scanner.scan(path: path) }
            try scanner.finish()
        } catch is BrokenPipe {
            saveState()
            throw ExitCode(0)  // the reader went away (| head): a quiet success, as ripgrep
        }
        saveState()
        if stats {
            err.write(scanner.summary(seconds: Date().timeIntervalSince(started)))
            try? err.flush()
        }
        try? err.flush()
        if let signal = StopSignal.requested { throw ExitCode(128 + signal) }
        if scanner.stats.inputErrors > 0 || stateFailed { throw ExitCode(2) }
        throw ExitCode(scanner.stats.flagged > 0 ? 0 : 1)
    }
}
