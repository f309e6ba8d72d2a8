import ArgumentParser
import Foundation
import Matcher
import RedisStream
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

        As a worker on Redis Streams (--redis, docs/SCALE.md): reads the partitions NAME:P of --stream listed in --partitions as consumer --consumer of group --group (created if missing), its own pending entries first, then new ones; writes each verdict to --to-stream (fields source, id, record: the JSON Lines record) or to standard output, then acknowledges (at least once: a verdict may come twice after a crash, never not at all). --claim-idle takes over entries another consumer left pending that long; --idle-exit ends the run (status 0) when no entry came for that long; --state redis keeps each partition's behaviour state under NAME:P:state. SIGTERM finishes the batch, acknowledges, saves state and exits 143.

        Examples:
          tail -f live.log | scamscan chat --line-buffered
          tail -f live.tsv | scamscan chat --line-buffered --state /var/lib/scamscan/live.state
          scamscan chat Corpus/chat/sample.tsv
          scamscan chat --output jsonl --all chat.jsonl > verdicts.jsonl
          scamscan chat --input jsonl --field text=body --field user=author dump.jsonl
          scamscan chat --redis redis://127.0.0.1:6379 --stream chat --partitions 0-3 --group scamscan --consumer w1 --to-stream verdicts --state redis
        """)

    @OptionGroup var rules: RuleOptions

    @Argument(help: ArgumentHelp("Chat files to scan; '-' or none reads standard input.", valueName: "FILE"))
    var files: [String] = []

    @Option(name: .customLong("input"), help: "Input format.")
    var input: ChatFormat = .auto

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Map a record part to a JSON field, e.g. text=body (parts: text, user, channel, timestamp); repeatable.",
        valueName: "PART=NAME"))
    var fields: [String] = []

    @Option(name: .customLong("output"), help: "Output format.")
    var output: OutputFormat = .text

    @Flag(help: "Write every record, flagged or not (records out = records in).")
    var all = false

    @OptionGroup var verdict: VerdictOptions

    @Flag(help: "Flush the output after every record, for live pipes.")
    var lineBuffered = false

    @Option(help: "Progress line on stderr: auto (when stderr is a terminal), always or never.")
    var progress: TerminalMode = .auto

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

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("threads")], help: ArgumentHelp(
        "Classify files on N threads: channels split across them by hash (a channel's state on one thread), output in input order. Standard input is read by one.",
        valueName: "N"))
    var jobs: Int = 1

    @Option(help: ArgumentHelp("Run as a Redis Streams worker on this server: redis://[:password@]host[:port][/db].", valueName: "URL"))
    var redis: String?

    @Option(help: ArgumentHelp("With --redis: the stream's name; partition P is the key NAME:P.", valueName: "NAME"))
    var stream: String?

    @Option(help: ArgumentHelp("With --redis: the partitions to read, e.g. 0-3 or 0,2.", valueName: "LIST"))
    var partitions: String?

    @Option(help: ArgumentHelp("With --redis: the consumer group (created at the stream's start if missing).", valueName: "G"))
    var group: String?

    @Option(help: ArgumentHelp("With --redis: this worker's consumer name, unique and stable across its restarts.", valueName: "C"))
    var consumer: String?

    @Option(help: ArgumentHelp("With --redis: write verdicts to this stream (fields source, id, record) instead of standard output.", valueName: "OUT"))
    var toStream: String?

    @Option(help: ArgumentHelp("With --redis: entries per read.", valueName: "N"))
    var batch: Int = 500

    @Option(help: ArgumentHelp("With --redis: how long one read waits for new entries, in ms.", valueName: "MS"))
    var block: Int = 1000

    @Option(help: ArgumentHelp("With --redis: claim entries other consumers left pending this long (e.g. 30s, 500ms).", valueName: "DURATION"))
    var claimIdle: String?

    @Option(help: ArgumentHelp("With --redis: exit 0 when no new entry came for this long (backfills, tests).", valueName: "DURATION"))
    var idleExit: String?

    @Option(help: ArgumentHelp("With --redis: give up when the server stays unreachable this long.", valueName: "DURATION"))
    var retryFor: String = "5m"

    @Flag(help: "Explain each record written: its folded view, the folding techniques it needed, and each hit with its score, matched text and evidence (in JSON: a 'folded' field).")
    var explain = false

    func validate() throws {
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
        guard (1...256).contains(jobs) else { throw ValidationError("-j/--threads must be from 1 to 256 (got \(jobs))") }
        if jobs > 1 && state != nil { throw ValidationError("--state keeps one stream's history; it cannot go with -j \(jobs) (run -j 1, or one worker per partition with --redis and --state redis)") }
        if jobs > 1 && redis != nil { throw ValidationError("-j splits files across threads; a Redis worker scales with more workers (--partitions), not -j") }
        try validateWorker()
    }

    /// The worker options: all or nothing, and no files with --redis.
    private func validateWorker() throws {
        let workerOnly: [(String, Bool)] = [("--stream", stream != nil), ("--partitions", partitions != nil), ("--group", group != nil),
                                            ("--consumer", consumer != nil), ("--to-stream", toStream != nil), ("--claim-idle", claimIdle != nil),
                                            ("--idle-exit", idleExit != nil)]
        guard let redis else {
            if let (name, _) = workerOnly.first(where: \.1) { throw ValidationError("\(name) needs --redis URL (it sets up a Redis Streams worker)") }
            return
        }
        do { _ = try RedisURL(redis) } catch { throw ValidationError(error.description) }
        for (name, given) in workerOnly.prefix(4) where !given {
            throw ValidationError("--redis needs \(name) (a worker reads --partitions of --stream as --consumer of --group)")
        }
        guard files.isEmpty else { throw ValidationError("--redis reads its records from the stream; drop the files (\(files.joined(separator: " "))), or publish them first with scamscan publish") }
        do { _ = try Partitioning.parseList(partitions!) } catch { throw ValidationError(error.description) }
        if let state, state != "redis" { throw ValidationError("with --redis, --state takes only 'redis' (each partition's state under NAME:P:state), got '\(state)'") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1 (got \(batch))") }
        guard block >= 1 else { throw ValidationError("--block must be at least 1 ms (got \(block))") }
        for (name, value) in [("--claim-idle", claimIdle), ("--idle-exit", idleExit), ("--retry-for", retryFor)] {
            if let value, parseDurationMs(value).map({ $0 > 0 }) != true {
                throw ValidationError("\(name) must be a duration such as 500ms, 30s or 5m (got '\(value)')")
            }
        }
    }

    func run() throws {
        let started = Date()
        let pack = try rules.load()
        let thresholds = verdict.thresholds(pack)
        if redis != nil { return try runWorker(pack: pack, thresholds: thresholds, started: started) }

        var options = ChatScanOptions()
        options.format = input
        for spec in fields { try options.fields.set(spec) }
        options.all = all
        options.lineBuffered = lineBuffered
        options.maxLineBytes = maxLineBytes

        let out = ByteWriter(fd: 1)
        let err = ByteWriter(fd: 2, bufferSize: 4096)
        let useColor = verdict.useColor(out)
        if out.isTerminal { options.lineBuffered = true }
        options.progress = progress.isOn(terminal: err.isTerminal)
        let inputs = files.isEmpty ? ["-"] : files
        if jobs > 1 && !inputs.contains("-") {
            return try runParallel(pack: pack, thresholds: thresholds, options: options, inputs: inputs,
                                   out: out, err: err, color: useColor, started: started)
        }
        if jobs > 1 { err.write("scamscan: note: -j applies to files; standard input is classified on one thread (a live pipe is answered line by line)\n") }
        let sink = makeSink(out: out, pack: pack, color: useColor, showSource: inputs.count > 1)
        let classifier = makeClassifier(pack: pack, thresholds: thresholds)
        classifier.timing = stats  // two clock reads per record: only when asked
        var signals = noSignals ? nil : pack.makeSignalState(limits: signalLimits)
        var stateFile: StateFile?
        if let state, let fresh = signals {
            StopSignal.install()
            let file = StateFile(path: state, clock: .wall) { err.write("scamscan: warning: \($0)\n"); try? err.flush() }
            do {
                signals = try file.open(fresh)
            } catch {
                throw CLIError("--state \(state): \(error.description)")
            }
            stateFile = file
        }
        let scanner = ChatScanner(classifier: classifier, options: options, sink: sink, out: out, err: err, signals: signals)
        /// Saves the state file (a failure is reported once and makes the exit status 2).
        func saveState() {
            if let stateFile, let signals = scanner.signals { stateFile.save(signals) }
        }
        if let stateFile {
            scanner.beforeRead = { [unowned scanner] in
                if let signals = scanner.signals { stateFile.saveIfDue(signals) }
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
        if scanner.stats.inputErrors > 0 || stateFile?.failed == true { throw ExitCode(2) }
        throw ExitCode(scanner.stats.flagged > 0 ? 0 : 1)
    }
}

extension ChatCommand {
    /// The behaviour signals' caps from --max-users, --max-channels and --window.
    var signalLimits: SignalLimits {
        var limits = SignalLimits()
        limits.maxUsers = maxUsers
        limits.maxChannels = maxChannels
        limits.window = window.flatMap(TxDuration.parse)
        return limits
    }

    /// The printer of --output writing to `out`.
    func makeSink(out: ByteWriter, pack: CompiledPack, color: Bool, showSource: Bool) -> RecordSink {
        output == .jsonl
            ? JSONLinesPrinter(out: out, pack: pack)
            : TextPrinter(out: out, pack: pack, color: color, showSource: showSource, explain: explain)
    }

    /// A classifier with --match-limit and --explain applied (signals are the caller's).
    func makeClassifier(pack: CompiledPack, thresholds: Thresholds) -> Classifier {
        let classifier = Classifier(pack: pack, thresholds: thresholds, limits: MatchLimits(matchSteps: rules.matchLimit))
        classifier.keepsFoldedText = explain
        return classifier
    }

    /// `-j N` over files: channels split across N threads, output in input order.
    func runParallel(pack: CompiledPack, thresholds: Thresholds, options: ChatScanOptions, inputs: [String],
                     out: ByteWriter, err: ByteWriter, color: Bool, started: Date) throws {
        let limits = signalLimits
        let scanner = ParallelChatScanner(jobs: jobs, options: options, out: out, err: err) { capture in
            let classifier = makeClassifier(pack: pack, thresholds: thresholds)
            let signals = noSignals ? nil : pack.makeSignalState(limits: limits)
            return (classifier, makeSink(out: capture, pack: pack, color: color, showSource: inputs.count > 1), signals)
        }
        StopSignal.install()
        do {
            for path in inputs where StopSignal.requested == nil { try scanner.scan(path: path) }
            try scanner.finish()
        } catch is BrokenPipe {
            throw ExitCode(0)
        }
        if stats {
            err.write(scanner.summary(seconds: Date().timeIntervalSince(started)))
        }
        try? err.flush()
        if let signal = StopSignal.requested { throw ExitCode(128 + signal) }
        if scanner.stats.inputErrors > 0 { throw ExitCode(2) }
        throw ExitCode(scanner.stats.flagged > 0 ? 0 : 1)
    }

    /// `--redis`: a consumer-group worker over the stream's partitions.
    func runWorker(pack: CompiledPack, thresholds: Thresholds, started: Date) throws {
        let url = try RedisURL(redis!)
        var worker = WorkerOptions(stream: stream!, partitions: try Partitioning.parseList(partitions!), group: group!, consumer: consumer!)
        worker.toStream = toStream
        worker.all = all
        worker.batch = batch
        worker.blockMs = block
        worker.claimIdleMs = claimIdle.flatMap(parseDurationMs)
        worker.idleExitMs = idleExit.flatMap(parseDurationMs)
        worker.retryForMs = parseDurationMs(retryFor)!
        worker.stateInRedis = state == "redis"
        worker.maxTextBytes = maxLineBytes

        var options = ChatScanOptions()
        options.maxLineBytes = maxLineBytes
        let out = ByteWriter(fd: 1)
        let err = ByteWriter(fd: 2, bufferSize: 4096)
        let sink = makeSink(out: out, pack: pack, color: verdict.useColor(out), showSource: true)
        let classifier = makeClassifier(pack: pack, thresholds: thresholds)
        var makeState: (() -> SignalState)?
        if !noSignals, let fresh = pack.makeSignalState(limits: signalLimits) {
            makeState = { fresh }
        }
        StopSignal.install()
        let runner = StreamWorker(url: url, options: worker, classifier: classifier, scanOptions: options,
                                  sink: sink, out: out, err: err, makeState: makeState)
        let ending: StreamWorker.Ending
        do {
            ending = try runner.run()
        } catch {
            if stats { err.write(runner.summary(seconds: Date().timeIntervalSince(started))) }
            err.write("scamscan: error: \(error.description)\n")
            try? err.flush()
            throw ExitCode(2)
        }
        if stats { err.write(runner.summary(seconds: Date().timeIntervalSince(started))) }
        try? err.flush()
        switch ending {
        case let .signal(s): throw ExitCode(128 + s)
        case .outputClosed: throw ExitCode(0)
        case .idle: throw ExitCode(runner.hadErrors ? 2 : 0)
        }
    }
}
