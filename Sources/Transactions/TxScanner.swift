import Foundation
import ScanSupport
import Stream
import Model

/// The input formats of `scamscan tx`.
public enum TxFormat: String, CaseIterable, Sendable {
    case csv, jsonl
    /// By file extension (.jsonl, .ndjson, .json → jsonl; else csv), or for a regular file
    /// without one of those extensions, by its first byte (`{` → jsonl).
    case auto
}

/// Settings of one `scamscan tx` run.
public struct TxScanOptions: Sendable {
    public var format: TxFormat = .auto
    public var columns = TxColumnMap()
    /// Write every transaction, not only flagged ones.
    public var all = false
    /// Collect the per-account and per-creator summary.
    public var summary = false
    public var maxRowBytes = CSVReader.defaultMaxRecordBytes
    /// The most line ends a CSV row may span inside quoted fields.
    public var maxRowLines = CSVReader.defaultMaxRecordLines
    /// Print a progress line on stderr (when it is a terminal and the scan takes over a second).
    public var progress = false
    /// Problems shown per input before they are only counted.
    public var problemsShown = 100
    public init() {}
}

/// Counts of one run.
public struct TxScanStats: Sendable {
    public var inputs = 0
    public var inputErrors = 0
    public var bytes = 0
    public var rows = 0
    public var badRows = 0
    public var blank = 0
    /// Rows that repeat the header (exports joined into one file): skipped, not scored.
    public var repeatedHeaders = 0
    public var lateRows = 0
    public var written = 0
    public var verdictCounts = (allow: 0, review: 0, block: 0)
    public var flagged: Int { verdictCounts.review + verdictCounts.block }
}

/// Where scored transactions go.
public protocol TxSink: AnyObject {
    func write(_ tx: Transaction, source: String, classification: TxClassification) throws
    /// Called once at the end, with the summary when `--summary` asked for one.
    func finish(summary: TxSummary?) throws
}

/// Drives one `scamscan tx` run: inputs read as CSV or JSON Lines, rows decoded through the
/// column map, scored by the engine, pushed to a sink.
///
/// Every row is accounted for: scored (and written when flagged, or always with `all`), or
/// reported as a bad row with its line and counted. An input whose header lacks a required
/// column is an input error (exit status 2), reported with the columns it has.
public final class TxScanner {
    public let options: TxScanOptions
    @exclusivity(unchecked) public private(set) var stats = TxScanStats()
    public let engine: TxEngine
    private let sink: TxSink
    private let out: ByteWriter
    private let err: ByteWriter
    @exclusivity(unchecked) private var result = TxClassification()
    public private(set) var summary: TxSummary?
    private var shown = 0
    private var lateShown = 0
    private let started = Date()
    private var lastProgress = Date()
    private var progressShown = false

    public init(engine: TxEngine, options: TxScanOptions, sink: TxSink, out: ByteWriter, err: ByteWriter) {
        self.engine = engine
        self.options = options
        self.sink = sink
        self.out = out
        self.err = err
        if options.summary { summary = TxSummary() }
    }

    public func scan(path: String) throws {
        stats.inputs += 1
        shown = 0
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else {
            report("\(path): \(String(cString: strerror(errno)))")
            stats.inputErrors += 1
            return
        }
        defer { if fd != 0 { close(fd) } }
        do {
            switch format(of: path, fd: fd) {
            case .jsonl: try scanJSONLines(fd: fd, path: path)
            default: try scanCSV(CSVReader(fd: fd, path: path, maxRecordBytes: options.maxRowBytes, maxRecordLines: options.maxRowLines), path: path)
            }
        } catch let error as InputError {
            report(error.description)
            stats.inputErrors += 1
        }
    }

    /// Scans CSV held in memory (a rule's example export) as if it were the file `source`.
    public func scan(text: String, source: String) throws {
        stats.inputs += 1
        shown = 0
        try scanCSV(CSVReader(text: text, path: source, maxRecordBytes: options.maxRowBytes, maxRecordLines: options.maxRowLines), path: source)
    }

    private func format(of path: String, fd: Int32) -> TxFormat {
        if options.format != .auto { return options.format }
        let ext = (path as NSString).pathExtension.lowercased()
        if ["jsonl", "ndjson", "json"].contains(ext) { return .jsonl }
        if ext == "csv" || path == "-" { return .csv }
        var first: UInt8 = 0
        var offset: off_t = 0
        while pread(fd, &first, 1, offset) == 1 {
            if first != 0x20 && first != 0x09 && first != 0x0A && first != 0x0D { break }
            offset += 1
            if offset > 4096 { break }
        }
        return first == UInt8(ascii: "{") ? .jsonl : .csv
    }

    private func scanCSV(_ reader: CSVReader, path: String) throws {
        var columns: [Int?]?
        var headerCount = 0
        var headerBytes: [[UInt8]] = []
        var failed = false
        var repeatsShown = 0
        try reader.forEachRecord({ row in
            if failed { return }
            guard let map = columns else {
                var header: [String] = []
                for i in 0..<row.count { header.append(String(decoding: row[i], as: UTF8.self)) }
                switch options.columns.resolve(header: header) {
                case let .success(m):
                    columns = m
                    headerCount = row.count
                    headerBytes = (0..<row.count).map { Array(row[$0]) }
                    reader.expectedFields = headerCount
                case let .failure(e):
                    report("\(path):\(row.line): \(e.description)")
                    stats.inputErrors += 1
                    failed = true
                }
                return
            }
            guard row.count == headerCount else {
                problem(path, row.line, 1, "row has \(row.count) field\(row.count == 1 ? "" : "s"), the header has \(headerCount); quote fields that contain ','")
                return
            }
            // The header again (exports joined with `cat`): not a transaction, and not an error.
            if row[0].elementsEqual(headerBytes[0]), (1..<headerCount).allSatisfy({ row[$0].elementsEqual(headerBytes[$0]) }) {
                stats.repeatedHeaders += 1
                repeatsShown += 1
                if repeatsShown <= 3 {
                    report("note: \(path):\(row.line): the header row again (exports joined into one file?); skipped")
                }
                return
            }
            let decoded = TxDecoder.decode(line: row.line) { field in map[field.rawValue].map { row[$0] } }
            switch decoded {
            case let .success(tx):
                try score(tx, source: path) { map[TxField.timestamp.rawValue].map { String(decoding: TxDecoder.trim(row[$0]), as: UTF8.self) } ?? "" }
            case let .failure(e):
                let column = map[e.field.rawValue].map { $0 + 1 } ?? 1
                problem(path, row.line, column, "field \(column) ('\(e.field.name)'): \(e.message)")
            }
            progress(reader.bytesRead)
        }, problem: { p in
            problem(path, p.line, p.column, p.message)
        })
        stats.bytes += reader.bytesRead
        stats.blank += reader.blankLines
        if columns == nil && !failed {
            report("\(path): no header row (the input is empty); a CSV export starts with a header naming its columns")
            stats.inputErrors += 1
        }
    }

    private func scanJSONLines(fd: Int32, path: String) throws {
        let reader = LineReader(fd: fd, path: path, maxLineBytes: options.maxRowBytes)
        var parser = JSONLineParser(slots: TxField.allCases.map { options.columns.names(for: $0) })
        var bytes = 0
        try reader.forEachLine { line, number in
            bytes += line.count + 1
            if reader.lastLineTruncated {
                problem(path, number, 1, "line longer than \(options.maxRowBytes) bytes; skipped (raise --max-row-bytes)")
                return
            }
            if TxDecoder.trim(line).isEmpty {
                stats.blank += 1
                return
            }
            do {
                try parser.parse(line)
            } catch let error as RecordError {
                problem(path, number, error.column, error.message)
                return
            }
            let decoded = parser.storage.withUnsafeBytes { storage in
                TxDecoder.decode(line: number) { field in
                    parser.value(field.rawValue).map { UnsafeRawBufferPointer(rebasing: storage[$0]) }
                }
            }
            switch decoded {
            case let .success(tx):
                try score(tx, source: path) {
                    parser.value(TxField.timestamp.rawValue).map { String(decoding: parser.storage[$0], as: UTF8.self) } ?? ""
                }
            case let .failure(e):
                let names = options.columns.names(for: e.field).map { "'\($0)'" }.joined(separator: " or ")
                problem(path, number, 1, "field \(names): \(e.message)")
            }
            progress(bytes)
        }
        stats.bytes += bytes
    }

    /// `timestamp` gives the row's timestamp as written, asked for only when the row is written.
    private func score(_ tx: Transaction, source: String, timestamp: () -> String) throws {
        stats.rows += 1
        if engine.process(tx, into: &result) {
            stats.lateRows += 1
            if lateShown < 10 {
                lateShown += 1
                report("warning: \(source):\(tx.line): row \(escapeForTerminal(tx.id)) at \(Timestamp.format(tx.time)) is \(TxDuration.describe(engine.now - tx.time)) older than the latest row (tolerance \(TxDuration.describe(engine.outOfOrderTolerance))); windows that already moved past it may miss it. Sort the export by time, or raise --max-lateness")
            }
        }
        switch result.verdict {
        case .allow: stats.verdictCounts.allow += 1
        case .review: stats.verdictCounts.review += 1
        case .block: stats.verdictCounts.block += 1
        }
        summary?.add(tx, result)
        guard options.all || result.verdict != .allow else { return }
        if summary == nil || options.all {
            var tx = tx
            tx.timestampText = timestamp()
            try sink.write(tx, source: source, classification: result)
            stats.written += 1
            try out.flushIfFull()
        }
    }

    private func problem(_ source: String, _ line: Int, _ column: Int, _ message: String) {
        stats.badRows += 1
        shown += 1
        if shown <= options.problemsShown {
            report("\(source):\(line):\(column): bad row: \(message)")
        } else if shown == options.problemsShown + 1 {
            report("\(source): more bad rows; only counted from here (see the total at the end)")
        }
    }

    private func progress(_ bytes: Int) {
        guard options.progress, stats.rows & 0x3FFF == 0 else { return }
        let now = Date()
        guard now.timeIntervalSince(started) > 1, now.timeIntervalSince(lastProgress) > 0.5 else { return }
        lastProgress = now
        let seconds = now.timeIntervalSince(started)
        let mb = Double(stats.bytes + bytes) / 1e6
        err.write("\r\u{1B}[Kscamscan tx: \(stats.rows) rows, \(String(format: "%.1f", mb / seconds)) MB/s, \(stats.flagged) flagged")
        try? err.flush()
        progressShown = true
    }

    private func report(_ message: String) {
        if progressShown { err.write("\r\u{1B}[K"); progressShown = false }
        err.write("scamscan: \(message)\n")
    }

    /// Writes the summary (if any), reports the counts of problems, flushes.
    public func finish() throws {
        if progressShown { err.write("\r\u{1B}[K"); progressShown = false }
        try sink.finish(summary: summary)
        if stats.badRows > 0 {
            report("\(stats.badRows) bad row\(stats.badRows == 1 ? "" : "s") skipped (reported above\(stats.badRows > options.problemsShown ? ", the first \(options.problemsShown) per input" : ""))")
        }
        if stats.lateRows > 0 {
            report("warning: \(stats.lateRows) row\(stats.lateRows == 1 ? "" : "s") arrived later than the out-of-order tolerance")
        }
        if engine.evictedKeys > 0 {
            report("warning: \(engine.evictedKeys) keys were dropped before their windows ended because state reached --max-keys (\(engine.largestTable) keys in the largest table); raise it for exact windows")
        }
        try out.flush()
        try err.flush()
    }

    /// The `--stats` summary.
    public func statsText(seconds: Double) -> String {
        let s = stats
        return """
        scamscan: stats:
          inputs:          \(s.inputs)\(s.inputErrors > 0 ? " (\(s.inputErrors) with errors)" : "")
          bytes:           \(s.bytes)
          rows:            \(s.rows) scored, \(s.badRows) bad, \(s.blank) blank\(s.repeatedHeaders > 0 ? ", \(s.repeatedHeaders) repeated header\(s.repeatedHeaders == 1 ? "" : "s")" : "")
          late rows:       \(s.lateRows) (beyond the out-of-order tolerance)
          verdicts:        \(s.verdictCounts.allow) allow, \(s.verdictCounts.review) review, \(s.verdictCounts.block) block
          rows written:    \(s.written)
          state keys:      \(engine.stateKeys) (largest table \(engine.largestTable), \(engine.evictedKeys) evicted early)
          seconds:         \(String(format: "%.3f", seconds)) (\(seconds > 0 ? String(Int(Double(s.rows) / seconds)) : "-") rows/s)

        """
    }
}
