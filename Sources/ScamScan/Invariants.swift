import Foundation
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output
import Pipeline
import Regression

/// Invariants of the readers and the folded view on any input, as checks that return a
/// description of the first violation: the fuzz targets (`make fuzz`) trap on one, and the unit
/// tests replay the inputs fuzzing found. A test oracle, not API: `@_spi(Testing) import ScamScan`.
@_spi(Testing) public enum Invariants {
    /// The folded view of any bytes: every folded byte maps to a non-empty raw span inside the
    /// raw text, spans go forward, links found in it lie inside it, and folding again from the
    /// same value gives the same result.
    public static func fold(_ raw: [UInt8]) -> String? {
        var f = FoldedText()
        raw.withUnsafeBytes { f.fold($0) }
        var last = 0
        for i in 0..<f.bytes.count {
            let (s, e) = f.rawSpan(start: i, end: i + 1)
            if !(s >= 0 && s < e && e <= raw.count) { return "folded byte \(i) maps to \(s)..<\(e) of \(raw.count) raw bytes" }
            if s < last { return "folded byte \(i) maps back to \(s), before the byte before it (\(last))" }
            last = s
        }
        let whole = f.rawSpan(start: 0, end: f.bytes.count)
        if whole.start < 0 || whole.end > raw.count { return "whole span \(whole) outside \(raw.count) bytes" }
        var links: [Link] = []
        LinkExtractor.extract(f.bytes, into: &links)
        for l in links where !(0 <= l.start && l.start <= l.nameStart && l.nameStart < l.nameEnd && l.nameEnd <= l.end && l.end <= f.bytes.count) {
            return "link \(l) outside the folded text of \(f.bytes.count) bytes"
        }
        let first = f.bytes
        raw.withUnsafeBytes { f.fold($0) }
        if f.bytes != first { return "folding twice with one value differs" }
        _ = HandleForm(String(decoding: raw, as: UTF8.self))
        return nil
    }

    /// One chat line in each format: parsing never fails hard, and every field it reports is a
    /// slice of the line.
    public static func chatLine(_ line: [UInt8]) -> String? {
        var problem: String?
        line.withUnsafeBytes { bytes in
            var record = ChatRecord(line: 1, text: bytes)
            TSVRecord.parse(bytes, into: &record)
            problem = problem ?? inside(record, bytes, "tsv")
            var json = JSONLineParser(fields: FieldNames())
            do throws(RecordError) {
                try json.parse(bytes)
            } catch {
                if error.column < 1 || error.column > bytes.count + 1 { problem = problem ?? "json error column \(error.column) of \(bytes.count)" }
            }
        }
        return problem
    }

    /// CSV: the records and problems do not depend on where the read buffer ends (read whole, and
    /// in 64-byte buffers), every record written back with quotes reads back the same, and the
    /// rows decode as transactions or fail with a field (never a crash).
    public static func csv(_ bytes: [UInt8]) -> String? {
        func read(_ buffer: Int) -> (rows: [[[UInt8]]], lines: [Int], problems: [CSVProblem]) {
            var rows: [[[UInt8]]] = []
            var lines: [Int] = []
            var problems: [CSVProblem] = []
            let reader = CSVReader(bytes: bytes, bufferSize: buffer, maxRecordBytes: 4096)
            try? reader.forEachRecord({ row in
                rows.append((0..<row.count).map { Array(row[$0]) })
                lines.append(row.line)
                _ = TxDecoder.decode(line: row.line) { f in f.rawValue < row.count ? row[f.rawValue] : nil }
            }, problem: { problems.append($0) })
            return (rows, lines, problems)
        }
        let whole = read(1 << 20)
        let small = read(64)
        if whole.rows != small.rows { return "records differ between a 1 MiB and a 64-byte buffer" }
        if whole.lines != small.lines { return "record line numbers differ between buffer sizes" }
        if whole.problems != small.problems { return "problems differ between buffer sizes: \(whole.problems) vs \(small.problems)" }
        var written: [UInt8] = []
        for row in whole.rows where !(row.count == 1 && row[0].isEmpty) {
            for (k, field) in row.enumerated() {
                if k > 0 { written.append(UInt8(ascii: ",")) }
                written.append(UInt8(ascii: "\""))
                for b in field {
                    if b == UInt8(ascii: "\"") { written.append(b) }
                    written.append(b)
                }
                written.append(UInt8(ascii: "\""))
            }
            written.append(0x0A)
        }
        let again = CSVReader(bytes: written, maxRecordBytes: 1 << 20)
        var reread: [[[UInt8]]] = []
        try? again.forEachRecord({ row in reread.append((0..<row.count).map { Array(row[$0]) }) }, problem: { _ in reread.append([]) })
        let expected = whole.rows.filter { !($0.count == 1 && $0[0].isEmpty) }
        if reread != expected { return "records written back with quotes read back differently" }
        return nil
    }

    /// The behaviour signals on any bytes: read as a state file they are refused with a reason or
    /// restored; read as TSV chat lines (timestamps as text, or a line's first 8 bytes as a raw
    /// time to reach Int64's extremes; names cut to 64 bytes) they drive `classifier`'s signals
    /// with a fresh state of small caps: hits stay inside the text, the state within its caps, and
    /// the state round-trips through its own file.
    public static func signals(_ bytes: [UInt8], classifier: Classifier) -> String? {
        let rules = classifier.pack.signalRules
        var limits = SignalLimits()
        limits.maxUsers = 16
        limits.maxChannels = 4
        let key = classifier.pack.hashKey
        var probe = SignalState(rules: rules, limits: limits, key: key)
        _ = try? probe.restore(contents: bytes)
        var state: SignalState? = SignalState(rules: rules, limits: limits, key: key)
        let clock = Clock.fixed(1_767_225_600_000)
        var result = Classification()
        for line in bytes.split(separator: 0x0A) {
            var f = line.split(separator: 0x09, maxSplits: 3, omittingEmptySubsequences: false).map(Array.init)
            guard f.count == 4 else { continue }
            f[1] = Array(f[1].prefix(64))
            f[2] = Array(f[2].prefix(64))
            var time: Int64?
            if case let .success(ms) = f[0].withUnsafeBytes({ Timestamp.parse($0) }) {
                time = ms
            } else if f[0].count >= 8 {
                time = f[0].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
            }
            f[3].withUnsafeBytes { t in
                f[2].withUnsafeBytes { u in
                    f[1].withUnsafeBytes { c in classifier.classify(t, user: u, channel: c, time: time, state: &state, clock: clock, into: &result) }
                }
            }
            for hit in result.hits where !(0 <= hit.start && hit.start <= hit.end && hit.end <= f[3].count) {
                return "hit \(hit) outside the \(f[3].count)-byte text"
            }
            let z = state!.sizes
            if z.users > 16 || z.channels > 4 || z.pairs > 16 { return "state over its caps: \(z)" }
        }
        let file = state!.encoded(savedAt: clock.now())
        var again = SignalState(rules: rules, limits: limits, key: key)
        do {
            try again.restore(contents: file)
        } catch {
            return "a state file this state wrote was refused: \(error)"
        }
        if again.encoded(savedAt: clock.now()).count != file.count { return "a restored state encodes to another size" }
        return nil
    }

    private static func inside(_ record: ChatRecord, _ line: UnsafeRawBufferPointer, _ format: String) -> String? {
        guard let base = line.baseAddress else { return nil }
        for (name, field) in [("text", Optional(record.text)), ("user", record.user), ("channel", record.channel), ("timestamp", record.timestamp)] {
            guard let field, field.count > 0, let start = field.baseAddress else { continue }
            let offset = start - base
            if offset < 0 || offset + field.count > line.count { return "\(format) \(name) is not inside the line" }
        }
        return nil
    }
}
