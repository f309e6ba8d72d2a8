import Foundation
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output

/// Settings of one `scamscan chat` run.
public struct ChatScanOptions: Sendable {
    public var format: ChatFormat = .auto
    public var fields = FieldNames()
    /// Write every record, not only flagged ones (then records out = records in).
    public var all = false
    /// Flush after every record written (as grep's --line-buffered).
    public var lineBuffered = false
    /// Longer lines are scanned and written truncated to this many bytes (reported, counted).
    public var maxLineBytes = LineReader.defaultMaxLineBytes
    /// Show a progress line on stderr (the caller decides: when stderr is a terminal). It appears
    /// after the first second, refreshes at most twice a second, and is cleared before any other
    /// message or output that shares the terminal.
    public var progress = false
    /// The command named in the progress line.
    public var progressLabel = "chat"
    public init() {}
}

/// Counts of one run, for `--stats` and for the exit status.
public struct ChatScanStats: Sendable {
    public var inputs = 0
    public var lines = 0
    public var bytes = 0
    public var records = 0
    public var malformed = 0
    public var blank = 0
    public var headers = 0
    /// Lines longer than `maxLineBytes`, scanned as their first `maxLineBytes` bytes.
    public var truncated = 0
    public var written = 0
    /// Records per verdict: allow, review, block (plain counters: this is bumped per record).
    public var verdictCounts = (allow: 0, review: 0, block: 0)
    public var inputErrors = 0
    /// Records whose timestamp did not parse or lay more than a day ahead (they took the last
    /// readable timestamp's time, or the clock before any).
    public var badTimestamps = 0
    /// Per rule index: how many records its match limit ran out on, and the first one.
    public var limited: [Int: (count: Int, first: String)] = [:]
    public var flagged: Int { verdictCounts.review + verdictCounts.block }
}

/// Reads chat inputs into records: lines split, each parsed in its format (plain, tsv, jsonl,
/// auto), every line accounted for in `stats`. `scamscan chat` classifies what it hands out,
/// `scamscan publish` sends it to a Redis stream.
///
/// Every line is accounted for: a record, a malformed record (reported, counted, and handed out
/// as plain text so that a broken line cannot hide a scam), a blank line or a TSV header
/// (counted).
public final class ChatReader {
    public let options: ChatScanOptions
    /// The reading counts (inputs, lines, bytes, records, malformed, blank, headers, truncated,
    /// inputErrors); the verdict counts stay zero here.
    public internal(set) var stats = ChatScanStats()
    private var json: JSONLineParser
    /// Where problems go (one line each, without the `scamscan: ` prefix).
    public var report: (String) -> Void

    public init(options: ChatScanOptions, report: @escaping (String) -> Void) {
        self.options = options
        self.report = report
        self.json = JSONLineParser(fields: options.fields)
    }

    /// Reads one input: a path, or `-` for standard input, handing each record to `body` with
    /// its source name. An unreadable input is reported and counted (`stats.inputErrors`).
    /// `beforeRead` runs before each read of input, when everything read so far is handled.
    public func read(path: String, beforeRead: () throws -> Void = {},
                     _ body: (ChatRecord, String) throws -> Void) throws {
        stats.inputs += 1
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else {
            report("\(path): \(String(cString: strerror(errno)))")
            stats.inputErrors += 1
            return
        }
        defer { if fd != 0 { close(fd) } }
        let reader = LineReader(fd: fd, path: path, maxLineBytes: options.maxLineBytes)
        var format = options.format
        let source = path
        do {
            try reader.forEachLine(beforeRead: beforeRead) { line, number in
                stats.lines += 1
                stats.bytes += line.count + 1
                if reader.lastLineTruncated {
                    stats.truncated += 1
                    report("\(source):\(number): line longer than \(options.maxLineBytes) bytes: scanned and written as its first \(options.maxLineBytes) bytes, the rest dropped (raise --max-line-bytes to keep more)")
                }
                if line.isEmpty {
                    stats.blank += 1
                    return
                }
                if format == .auto { format = ChatFormat.detect(line) }
                try handle(line, number: number, format: format, source: source, body)
            }
        } catch let error as InputError {
            report(error.description)
            stats.inputErrors += 1
        }
    }

    private func handle(_ line: UnsafeRawBufferPointer, number: Int, format: ChatFormat, source: String,
                        _ body: (ChatRecord, String) throws -> Void) throws {
        var record = ChatRecord(line: number, text: line)
        switch format {
        case .plain, .auto:
            break
        case .tsv:
            if number == 1 && TSVRecord.isHeader(line) {
                stats.headers += 1
                return
            }
            TSVRecord.parse(line, into: &record)
        case .jsonl:
            do {
                try json.parse(line)
            } catch {
                record.error = error
            }
        }
        stats.records += 1
        if let error = record.error {
            stats.malformed += 1
            report("\(source):\(number):\(error.column): malformed \(format.rawValue) record: \(error.message) (scanned as plain text)")
        }
        if format == .jsonl && record.error == nil {
            try json.storage.withUnsafeBytes { storage in
                func part(_ p: FieldNames.Part) -> UnsafeRawBufferPointer? {
                    json.value(p).map { UnsafeRawBufferPointer(rebasing: storage[$0]) }
                }
                record.text = part(.text)!
                record.user = part(.user)
                record.channel = part(.channel)
                record.timestamp = part(.timestamp)
                try body(record, source)
            }
        } else {
            try body(record, source)
        }
    }
}

/// Drives one chat scan: records from a `ChatReader` (or handed in by a stream worker),
/// classified, pushed to a sink, errors counted.
public final class ChatScanner {
    public let options: ChatScanOptions
    /// The run's counts: the reader's, with the verdicts of every record classified.
    public var stats: ChatScanStats {
        var s = reader.stats
        s.written = tally.written
        s.verdictCounts = tally.verdictCounts
        s.badTimestamps = tally.badTimestamps
        s.limited = tally.limited
        s.records += tally.records
        s.malformed += tally.malformed
        return s
    }
    private var tally = ChatScanStats()
    private let reader: ChatReader
    private let classifier: Classifier
    private let sink: RecordSink
    private let out: ByteWriter
    private let err: ByteWriter
    private var classification = Classification()
    /// Called before each read of input (when everything read so far is handled): the moment
    /// for periodic work such as saving the behaviour state (`--state`).
    public var beforeRead: (() throws -> Void)?
    /// The last readable record timestamp (ms), for records whose own is not.
    private var lastTime: Int64?
    private let progressLine: ProgressLine
    /// Output and progress share a screen: clear the progress line before output is flushed.
    private lazy var outShared = out.isTerminal && err.isTerminal

    /// The stream's behaviour state (nil: no signals), carried from record to record by `scan`;
    /// set it to start from a restored state, read it to save one.
    public var signals: SignalState?
    /// Now, for records without a timestamp and for refusing times more than a day ahead.
    public let clock: Clock

    public init(classifier: Classifier, options: ChatScanOptions, sink: RecordSink, out: ByteWriter, err: ByteWriter,
                signals: SignalState? = nil, clock: Clock = .wall) {
        self.classifier = classifier
        self.signals = signals
        self.clock = clock
        self.options = options
        self.sink = sink
        self.out = out
        self.err = err
        progressLine = ProgressLine(err: err, enabled: options.progress)
        reader = ChatReader(options: options, report: { _ in })
        reader.report = { [unowned self] in report($0) }
    }

    /// Scans one input: a path, or `-` for standard input. An unreadable input is reported and
    /// counted (`stats.inputErrors`); the run goes on with the next.
    public func scan(path: String) throws {
        let source = path
        try reader.read(path: path, beforeRead: { [self] in
            try flushOut()
            try beforeRead?()
            showProgress(source: source)
            try err.flush()
        }) { record, source in
            try classifyAndWrite(record, source: source, state: &signals)
        }
    }

    /// Classifies one record handed in from elsewhere (a stream worker) and writes it when
    /// flagged, with `all`, or with `alwaysWrite` (a record carrying an error); returns the
    /// verdict (`countRecord`: false when a reader already counted it). `defaultTime` is the event time of a record without a readable timestamp (a
    /// stream entry's id time); the clock otherwise. `state`: the behaviour state of the record's
    /// stream (a worker keeps one per partition).
    @discardableResult
    public func process(_ record: ChatRecord, source: String, state: inout SignalState?, alwaysWrite: Bool = false,
                        defaultTime: Int64? = nil, countRecord: Bool = true) throws -> Verdict {
        if countRecord {
            tally.records += 1
            if record.error != nil { tally.malformed += 1 }
        }
        try classifyAndWrite(record, source: source, state: &state, alwaysWrite: alwaysWrite, defaultTime: defaultTime)
        return classification.verdict
    }

    /// `process` with this scanner's own state (`signals`).
    @discardableResult
    public func process(_ record: ChatRecord, source: String, alwaysWrite: Bool = false, defaultTime: Int64? = nil,
                        countRecord: Bool = true) throws -> Verdict {
        var state = signals.take()
        defer { signals = state }
        return try process(record, source: source, state: &state, alwaysWrite: alwaysWrite, defaultTime: defaultTime,
                           countRecord: countRecord)
    }

    private func classifyAndWrite(_ record: ChatRecord, source: String, state: inout SignalState?, alwaysWrite: Bool = false,
                                  defaultTime: Int64? = nil) throws {
        var time: Int64? = defaultTime
        if state != nil, let stamp = record.timestamp, !stamp.isEmpty {
            // A time more than a day ahead of the clock is refused: one such record would
            // otherwise expire every user's and channel's history at once.
            let parsed = Timestamp.parse(stamp).flatMap { ms in
                ms > clock.now() &+ 86_400_000 ? .failure(TimestampError("is more than a day in the future")) : .success(ms)
            }
            switch parsed {
            case let .success(ms):
                time = ms
                lastTime = ms
            case let .failure(error):
                // The stream's last readable time, not the clock: in a replayed log the clock
                // is months away and would expire the history just as a future time would.
                time = lastTime ?? defaultTime
                tally.badTimestamps += 1
                if tally.badTimestamps <= 10 {
                    report("\(source):\(record.line): timestamp '\(escapeForTerminal(String(decoding: stamp.prefix(64), as: UTF8.self)))' \(error.description): the behaviour signals use the last readable timestamp's time (the clock before any)\(tally.badTimestamps == 10 ? " (further ones are only counted in --stats)" : "")")
                }
            }
        }
        classifier.classify(record.text, user: record.user, channel: record.channel, time: time, state: &state, clock: clock,
                            into: &classification)
        switch classification.verdict {
        case .allow: tally.verdictCounts.allow += 1
        case .review: tally.verdictCounts.review += 1
        case .block: tally.verdictCounts.block += 1
        }
        for rule in classification.limited {
            if let seen = tally.limited[rule] {
                tally.limited[rule] = (seen.count + 1, seen.first)
            } else {
                tally.limited[rule] = (1, "\(source):\(record.line)")
            }
        }
        guard options.all || alwaysWrite || classification.verdict != .allow else { return }
        try sink.write(record, source: source, classification: classification)
        tally.written += 1
        if options.lineBuffered || out.isFull { try flushOut() }
    }

    private func report(_ message: String) {
        clearProgress()
        err.write("scamscan: \(message)\n")
    }

    /// Writes pending output, after clearing the progress line if they share the screen.
    private func flushOut() throws {
        if outShared && !out.buffer.isEmpty { clearProgress(); try err.flush() }
        try out.flush()
    }

    private func clearProgress() { progressLine.clear() }

    /// The progress line, when asked for and due.
    private func showProgress(source: String) {
        guard let seconds = progressLine.due() else { return }
        let name = source == "-" ? "stdin" : (source as NSString).lastPathComponent
        progressLine.show("scamscan \(options.progressLabel): \(escapeForTerminal(String(name.prefix(40)))): \(stats.records) records, "
                          + String(format: "%.1f MB/s", Double(stats.bytes) / 1e6 / seconds) + ", \(stats.flagged) flagged")
    }

    /// Reports each rule whose match limit ran out (once, with a count), then flushes.
    public func finish() throws {
        for warning in Self.matchLimitWarnings(tally.limited, pack: classifier.pack) { report(warning) }
        clearProgress()
        try out.flush()
        try err.flush()
    }

    /// One warning per rule whose match limit ran out, with its count and first record.
    static func matchLimitWarnings(_ limited: [Int: (count: Int, first: String)], pack: CompiledPack) -> [String] {
        limited.sorted(by: { $0.key < $1.key }).map { rule, seen in
            "warning: rule \(pack.rules[rule].id) gave up (PCRE2 match limit) on \(seen.count) record\(seen.count == 1 ? "" : "s"), first at \(seen.first); those records were still scanned by every other rule. Bound the pattern's repeats (scamscan lint)"
        }
    }

    /// The behaviour states' sizes (summed over threads) against their caps, for `--stats`.
    private func signalSummary(_ states: [SignalState]) -> String {
        guard let l = states.first?.limits else { return "" }
        var users = 0, channels = 0, pairs = 0, evicted = 0, expired = 0
        for z in states.map(\.sizes) {
            users += z.users
            channels += z.channels
            pairs += z.pairs
            evicted += z.evicted
            expired += z.expired
        }
        let each = states.count > 1 ? " per thread" : ""
        return "\n  behaviour state:   \(users) users (cap \(l.maxUsers)\(each)), \(channels) channels (cap \(l.maxChannels)\(each)), \(pairs) channel-user pairs (cap \(l.maxUsers)\(each)); \(evicted) evicted by a cap, \(expired) expired"
    }

    /// The `--stats` summary.
    /// Per record, when the classifier timed them (`--stats` turns it on).
    private var timingSummary: String {
        guard classifier.timing, classifier.classifyTime.count > 0 else { return "" }
        func us(_ ns: Double) -> String { String(format: "%.2f", ns / 1000) }
        let c = classifier.classifyTime, m = classifier.modelTime
        var s = "\n  per record:        median \(us(c.quantile(0.5))) us, p99 \(us(c.quantile(0.99))) us (classification)"
        if m.count > 0 {
            s += "\n  of which model:    median \(us(m.quantile(0.5))) us, p99 \(us(m.quantile(0.99))) us, mean \(us(m.mean)) us (\(classifier.pack.modelRules.count) model rule\(classifier.pack.modelRules.count == 1 ? "" : "s"))"
        }
        return s
    }

    /// The pack the records are classified with.
    public var pack: CompiledPack { classifier.pack }

    public func summary(seconds: Double) -> String { summary(seconds: seconds, stats: stats) }

    /// The summary of `stats` (a parallel run's counts summed over its workers).
    public func summary(seconds: Double, stats s: ChatScanStats, states: [SignalState]? = nil) -> String {
        let stateLine = signalSummary(states ?? signals.map { [$0] } ?? [])
        return """
        scamscan: stats:
          inputs:            \(s.inputs)\(s.inputErrors > 0 ? " (\(s.inputErrors) unreadable)" : "")
          lines:             \(s.lines) (\(s.bytes) bytes)
          records:           \(s.records)
          malformed records: \(s.malformed) (scanned as plain text)
          blank lines:       \(s.blank)
          header lines:      \(s.headers)
          truncated lines:   \(s.truncated) (longer than --max-line-bytes)
          verdicts:          \(s.verdictCounts.allow) allow, \(s.verdictCounts.review) review, \(s.verdictCounts.block) block
          records written:   \(s.written)
          match-limit hits:  \(s.limited.values.reduce(0) { $0 + $1.count })
          bad timestamps:    \(s.badTimestamps) (the last readable time used)\(stateLine)
          seconds:           \(String(format: "%.3f", seconds))\(timingSummary)

        """
    }
}
