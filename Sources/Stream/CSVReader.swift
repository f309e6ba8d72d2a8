#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ScanSupport

/// A row that could not be read, with where (1-based line and byte column of the physical line).
public struct CSVProblem: Error, Hashable, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
    public init(line: Int, column: Int, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}

/// One CSV record, as byte slices valid only during the call that hands it out.
public struct CSVRow {
    /// The physical line the record starts on (a quoted field may span lines).
    public let line: Int
    let base: UnsafeRawPointer
    let side: UnsafeRawPointer?
    let fields: UnsafeBufferPointer<CSVReader.Field>

    public var count: Int { fields.count }

    /// The decoded bytes of field `i`: quotes removed, `""` turned into `"`.
    @inline(__always)
    public subscript(i: Int) -> UnsafeRawBufferPointer {
        let f = fields[i]
        let start = f.inSide ? side! : base
        return UnsafeRawBufferPointer(start: start + Int(f.start), count: Int(f.count))
    }
}

/// Reads RFC 4180 CSV from a file descriptor in constant memory: header and rows alike are records
/// of fields separated by `,`, ended by `\n`, `\r\n` or a lone `\r` (old spreadsheet exports); a
/// field in double quotes may hold commas, line breaks and doubled quotes (`""`). A UTF-8 byte
/// order mark at the start of a record (the file's, or one left where exports were joined) is
/// skipped; blank lines are not records (they are counted in `blankLines`).
///
/// Rows are handed out as slices of one read buffer (fields with doubled quotes are decoded into a
/// side buffer), so reading does not allocate once warm. A malformed record (a quote inside an
/// unquoted field, text after a closing quote, a quote never closed, a record longer than
/// `maxRecordBytes`) is reported with its line and column, and reading resumes at the next line.
///
/// A stray quote must cost one row, not the rows after it: when a quoted field runs over a line
/// end and the record then fails (or reaches `maxRecordBytes` or `maxRecordLines`, or ends with a
/// field count other than `expectedFields`), the problem is reported where that quote opened and
/// reading restarts at the line after the one it opened on. So every physical line is part of a
/// record handed out, a blank line, or a reported problem.
///
/// - Complexity: O(n) in the bytes read; each byte is looked at once, except that a record cut by
///   the end of the buffer is parsed again after the refill, and the lines of a record that fails
///   after a quoted line break are read again from the line after the quote.
public final class CSVReader {
    struct Field {
        var start: UInt32
        var count: UInt32
        var inSide: Bool
    }

    /// A quoted field that ran over a line end: where it opened (absolute line, column), and where
    /// reading restarts if its record fails (bytes and line ends from the record's start).
    struct Span {
        var line: Int
        var column: Int
        var resume: Int
        var lines: Int
    }

    private let fd: Int32
    private let path: String
    /// In-memory input (rule examples, tests) instead of `fd`.
    private var memory: [UInt8]?
    private var memoryOffset = 0
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// The longest record accepted; a longer one is reported (it is usually a quote never closed).
    public let maxRecordBytes: Int
    /// The most line ends one record may span inside quoted fields.
    public let maxRecordLines: Int
    /// The field count of a good record, once the header is known: a record with another count
    /// whose quoted field ran over a line end is taken for a stray quote (see the type's comment).
    /// Records on one line are handed out whatever their count; the caller reports those.
    public var expectedFields: Int?
    /// Bytes consumed from the input so far (for progress reports).
    // Only the reading in progress touches these (a reader is not shared between threads):
    // dynamic exclusivity checks on every record would prove nothing.
    @exclusivity(unchecked) public private(set) var bytesRead = 0
    /// Blank lines skipped so far.
    @exclusivity(unchecked) public private(set) var blankLines = 0
    @exclusivity(unchecked) private var fields: [Field] = []
    @exclusivity(unchecked) private var side: [UInt8] = []
    /// The last quoted field of the record being parsed that ran over a line end.
    @exclusivity(unchecked) private var span: Span?

    public static let defaultMaxRecordBytes = 1 << 20
    public static let defaultMaxRecordLines = 100

    public init(fd: Int32, path: String, bufferSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
                maxRecordLines: Int = CSVReader.defaultMaxRecordLines) {
        self.fd = fd
        self.path = path
        self.maxRecordBytes = max(maxRecordBytes, 16)
        self.maxRecordLines = max(maxRecordLines, 1)
        self.capacity = max(min(bufferSize, self.maxRecordBytes + 1), 64)
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        fields.reserveCapacity(32)
    }

    /// Reads `text` instead of a file (rule examples, tests).
    public convenience init(text: String, path: String = "-", bufferSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
                            maxRecordLines: Int = CSVReader.defaultMaxRecordLines) {
        self.init(bytes: Array(text.utf8), path: path, bufferSize: bufferSize, maxRecordBytes: maxRecordBytes, maxRecordLines: maxRecordLines)
    }

    /// Reads `bytes` instead of a file (fuzzing, tests).
    public init(bytes: [UInt8], path: String = "-", bufferSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
                maxRecordLines: Int = CSVReader.defaultMaxRecordLines) {
        self.fd = -1
        self.path = path
        self.maxRecordBytes = max(maxRecordBytes, 16)
        self.maxRecordLines = max(maxRecordLines, 1)
        self.capacity = max(min(bufferSize, self.maxRecordBytes + 1), 64)
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        memory = bytes
    }

    deinit { buffer.deallocate() }

    private enum Outcome {
        case row(end: Int, lines: Int)
        case problem(CSVProblem, resume: Int, lines: Int)
        case needMore
        case blank(end: Int)
    }

    /// Calls `row` for each record (the header included) and `problem` for each malformed one.
    public func forEachRecord(
        _ row: (CSVRow) throws -> Void,
        problem: (CSVProblem) throws -> Void
    ) throws {
        var filled = 0
        var start = 0
        var line = 1
        var eof = false
        while true {
            if start >= filled && eof { return }
            let outcome = start >= filled ? .needMore : parseRecord(from: start, filled: filled, eof: eof, line: line)
            switch outcome {
            case let .row(end, lines):
                try fields.withUnsafeBufferPointer { f in
                    try side.withUnsafeBytes { s in
                        try row(CSVRow(line: line, base: UnsafeRawPointer(buffer), side: s.baseAddress, fields: f))
                    }
                }
                bytesRead += end - start
                line += lines
                start = end
            case let .blank(end):
                bytesRead += end - start
                blankLines += 1
                line += 1
                start = end
            case let .problem(p, resume, lines):
                try problem(p)
                bytesRead += resume - start
                line += lines
                start = resume
            case .needMore:
                if eof { return }
                // Move the unfinished record to the front, grow if it fills the buffer, read more.
                if start > 0 {
                    let pending = filled - start
                    if pending > 0 { memmove(buffer, buffer + start, pending) }
                    filled = pending
                    start = 0
                }
                if filled >= maxRecordBytes {
                    if let s = span {
                        // A quote ran over a line end and on past the limit: blame it, and go on
                        // from the line after the one it opened on.
                        try problem(CSVProblem(line: s.line, column: s.column,
                            "quoted field opened here runs on past \(maxRecordBytes) bytes; a '\"' is probably never closed: close it, or double it if it is part of the text (reading resumed at line \(line + s.lines); raise --max-row-bytes if rows really are this long)"))
                        bytesRead += s.resume
                        start = s.resume
                        line += s.lines
                        continue
                    }
                    // Too long: report it and resume after its first line.
                    try problem(CSVProblem(line: line, column: 1,
                        "record longer than \(maxRecordBytes) bytes (a quote that is never closed?); skipped to the next line (raise --max-row-bytes if rows really are this long)"))
                    try skipLine(&filled, &start, &eof)
                    line += 1
                    continue
                }
                if filled == capacity {
                    let size = min(capacity * 2, maxRecordBytes + 1)
                    let bigger = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
                    bigger.copyMemory(from: buffer, byteCount: filled)
                    buffer.deallocate()
                    buffer = bigger
                    capacity = size
                }
                let n = try readMore(at: filled)
                if n == 0 { eof = true } else { filled += n }
            }
        }
    }

    /// Drops bytes up to and including the next line end (`\n`, `\r\n` or `\r`), reading as needed.
    private func skipLine(_ filled: inout Int, _ start: inout Int, _ eof: inout Bool) throws {
        var afterCR = false
        while true {
            var r = start
            while r < filled {
                let c = buffer.load(fromByteOffset: r, as: UInt8.self)
                if afterCR {
                    // A '\r' ended the line; a '\n' right after it belongs to the same line end.
                    if c == 0x0A { r += 1 }
                    bytesRead += r - start
                    start = r
                    return
                }
                if c == 0x0A {
                    bytesRead += r + 1 - start
                    start = r + 1
                    return
                }
                if c == 0x0D { afterCR = true }
                r += 1
            }
            bytesRead += filled - start
            filled = 0
            start = 0
            let n = try readMore(at: 0)
            if n == 0 { eof = true; return }
            filled = n
        }
    }

    private func readMore(at offset: Int) throws -> Int {
        if let memory {
            let n = min(capacity - offset, memory.count - memoryOffset)
            memory.withUnsafeBytes { (buffer + offset).copyMemory(from: $0.baseAddress! + memoryOffset, byteCount: n) }
            memoryOffset += n
            return n
        }
        while true {
            let n = read(fd, buffer + offset, capacity - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, reason: String(cString: strerror(errno)))
            }
            return n
        }
    }

    /// Parses one record starting at `start`; `.needMore` when the buffer ends inside it and more
    /// input may follow.
    private func parseRecord(from start: Int, filled: Int, eof: Bool, line: Int) -> Outcome {
        fields.removeAll(keepingCapacity: true)
        side.removeAll(keepingCapacity: true)
        span = nil
        let b = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(0x0A), cr = UInt8(0x0D)
        var p = start
        var lines = 0
        var lineStart = start
        // The index after the end of the line holding `q` (nil: more input is needed to know).
        func lineEnd(_ q: Int) -> Int? {
            var r = q
            while r < filled {
                if b[r] == lf { return r + 1 }
                if b[r] == cr {
                    if r + 1 < filled { return b[r + 1] == lf ? r + 2 : r + 1 }
                    return eof ? r + 1 : nil
                }
                r += 1
            }
            return eof ? filled : nil
        }
        // The record broke after a quoted field ran over a line end: the quote is to blame.
        func spanFailure(_ s: Span, _ what: String) -> Outcome {
            .problem(CSVProblem(line: s.line, column: s.column,
                "quoted field opened here runs over line ends and then \(what); a '\"' is probably never closed: close it, or double it if it is part of the text (reading resumed at line \(line + s.lines))"),
                resume: start + s.resume, lines: s.lines)
        }
        // Resume after the end of the line holding `q` (the whole line is dropped).
        func fail(_ q: Int, _ message: String) -> Outcome {
            if let s = span {
                return spanFailure(s, "breaks at line \(line + lines), column \(q - lineStart + 1) (\(message.prefix { $0 != ";" }))")
            }
            guard let r = lineEnd(q) else { return .needMore }
            return .problem(CSVProblem(line: line + lines, column: q - lineStart + 1, message), resume: r, lines: lines + 1)
        }
        // A complete record: handed out, unless a quoted line break made it the wrong shape.
        func complete(_ end: Int) -> Outcome {
            if let s = span, let want = expectedFields, fields.count != want {
                return spanFailure(s, "makes a record of \(fields.count) field\(fields.count == 1 ? "" : "s") where the header has \(want)")
            }
            return .row(end: end, lines: lines + 1)
        }
        // A byte order mark where a record starts is not data (exports joined into one file).
        if b[p] == 0xEF {
            if filled - p < 3 && !eof && (p + 1 >= filled || b[p + 1] == 0xBB) { return .needMore }
            if filled - p >= 3 && b[p + 1] == 0xBB && b[p + 2] == 0xBF { p += 3 }
        }
        if p < filled && b[p] == lf { return .blank(end: p + 1) }
        if p < filled && b[p] == cr {
            if p + 1 >= filled && !eof { return .needMore }
            return .blank(end: p + 1 < filled && b[p + 1] == lf ? p + 2 : p + 1)
        }
        while true {
            if p >= filled {
                if !eof { return .needMore }
                // The input ends right after a ',' (or a byte order mark): one more empty field.
                fields.append(Field(start: UInt32(p), count: 0, inSide: false))
                return complete(p)
            }
            if b[p] == quote {
                let open = p
                let openColumn = p - lineStart + 1
                let openLine = line + lines
                p += 1
                var segment = p
                var decoded = false
                var sideStart = 0
                var spanned = false
                while true {
                    guard p < filled else {
                        if !eof { return .needMore }
                        if let s = span { return spanFailure(s, "reaches the end of the input") }
                        return .problem(CSVProblem(line: openLine, column: openColumn,
                            "quoted field never closed (opened here); add the closing '\"' and double any '\"' inside it"),
                            resume: filled, lines: lines + 1)
                    }
                    let c = b[p]
                    if c == quote {
                        if p + 1 < filled && b[p + 1] == quote {
                            // A doubled quote: the field is decoded into the side buffer.
                            if !decoded { decoded = true; sideStart = side.count }
                            side.append(contentsOf: UnsafeRawBufferPointer(start: b + segment, count: p + 1 - segment))
                            p += 2
                            segment = p
                            continue
                        }
                        if p + 1 >= filled && !eof { return .needMore }
                        break
                    }
                    if c == lf || c == cr {
                        if c == cr {
                            if p + 1 >= filled && !eof { return .needMore }
                            // "\r\n" is one line end, counted at its '\n'.
                            if p + 1 < filled && b[p + 1] == lf { p += 1 }
                        }
                        if !spanned {
                            // The latest quote to run over a line end is the likeliest stray one.
                            spanned = true
                            span = Span(line: openLine, column: openColumn, resume: p + 1 - start, lines: lines + 1)
                        }
                        lines += 1
                        lineStart = p + 1
                        if lines > maxRecordLines, let s = span {
                            return spanFailure(s, "goes on past \(maxRecordLines) line ends (raise --max-row-lines if fields really hold that many)")
                        }
                    }
                    p += 1
                }
                if decoded {
                    side.append(contentsOf: UnsafeRawBufferPointer(start: b + segment, count: p - segment))
                    fields.append(Field(start: UInt32(sideStart), count: UInt32(side.count - sideStart), inSide: true))
                } else {
                    fields.append(Field(start: UInt32(open + 1), count: UInt32(p - open - 1), inSide: false))
                }
                p += 1  // past the closing quote
                if p >= filled {
                    if !eof { return .needMore }
                    return complete(p)
                }
                let next = b[p]
                if next == comma { p += 1; continue }
                if next == lf { return complete(p + 1) }
                if next == cr {
                    if p + 1 >= filled && !eof { return .needMore }
                    return complete(p + 1 < filled && b[p + 1] == lf ? p + 2 : p + 1)
                }
                return fail(p, "text after the closing quote of a field; put the whole field in quotes and double the '\"' inside it")
            }
            // An unquoted field runs to ',' or the line end.
            let fieldStart = p
            while p < filled {
                let c = b[p]
                if c == comma || c == lf || c == cr { break }
                if c == quote {
                    return fail(p, "a '\"' inside an unquoted field; quote the whole field and double the '\"' inside it")
                }
                p += 1
            }
            if p >= filled && !eof { return .needMore }
            fields.append(Field(start: UInt32(fieldStart), count: UInt32(p - fieldStart), inSide: false))
            if p >= filled { return complete(p) }
            if b[p] == lf { return complete(p + 1) }
            if b[p] == cr {
                if p + 1 >= filled && !eof { return .needMore }
                return complete(p + 1 < filled && b[p + 1] == lf ? p + 2 : p + 1)
            }
            p += 1  // past ','
        }
    }
}
