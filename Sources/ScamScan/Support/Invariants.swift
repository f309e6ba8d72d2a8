/// Invariants of the readers and the folded view on any input, as checks that return a
/// description of the first violation: the fuzz targets (`make fuzz`) trap on one, and the unit
/// tests replay the inputs fuzzing found.
public enum Invariants {
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
