#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// of fields separated by `,`, ended by `\n` or `\r\n`; a field in double quotes may hold commas,
/// line breaks and doubled quotes (`""`). A UTF-8 byte order mark is skipped; blank lines are not
/// records.
///
/// Rows are handed out as slices of one read buffer (fields with doubled quotes are decoded into a
/// side buffer), so reading does not allocate once warm. A malformed record (a quote inside an
/// unquoted field, text after a closing quote, a quote never closed, a record longer than
/// `maxRecordBytes`) is reported with its line and column, and reading resumes at the next line.
///
/// - Complexity: O(n) in the bytes read; each byte is looked at once, except that a record cut by
///   the end of the buffer is parsed again after the refill.
public final class CSVReader {
    struct Field {
        var start: UInt32
        var count: UInt32
        var inSide: Bool
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
    /// Bytes consumed from the input so far (for progress reports).
    // Only the reading in progress touches these (a reader is not shared between threads):
    // dynamic exclusivity checks on every record would prove nothing.
    @exclusivity(unchecked) public private(set) var bytesRead = 0
    @exclusivity(unchecked) private var fields: [Field] = []
    @exclusivity(unchecked) private var side: [UInt8] = []

    public static let defaultMaxRecordBytes = 1 << 20

    public init(fd: Int32, path: String, bufferSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) {
        self.fd = fd
        self.path = path
        self.maxRecordBytes = max(maxRecordBytes, 16)
        self.capacity = max(min(bufferSize, self.maxRecordBytes + 1), 64)
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        fields.reserveCapacity(32)
    }

    /// Reads `text` instead of a file (rule examples, tests).
    public convenience init(text: String, path: String = "-", bufferSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) {
        self.init(bytes: Array(text.utf8), path: path, bufferSize: bufferSize, maxRecordBytes: maxRecordBytes)
    }

    /// Reads `bytes` instead of a file (fuzzing, tests).
    public init(bytes: [UInt8], path: String = "-", bufferSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) {
        self.fd = -1
        self.path = path
        self.maxRecordBytes = max(maxRecordBytes, 16)
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
        var first = true
        while true {
            if first && (filled - start >= 3 || eof) {
                first = false
                if filled - start >= 3, buffer.load(fromByteOffset: start, as: UInt8.self) == 0xEF,
                   buffer.load(fromByteOffset: start + 1, as: UInt8.self) == 0xBB,
                   buffer.load(fromByteOffset: start + 2, as: UInt8.self) == 0xBF {
                    start += 3
                }
            }
            if start >= filled && eof { return }
            let outcome = first ? .needMore : parseRecord(from: start, filled: filled, eof: eof, line: line)
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

    /// Drops bytes up to and including the next `\n` (reading as needed).
    private func skipLine(_ filled: inout Int, _ start: inout Int, _ eof: inout Bool) throws {
        while true {
            if let nl = memchr(buffer + start, 0x0A, filled - start) {
                let end = buffer.distance(to: UnsafeMutableRawPointer(nl)) + 1
                bytesRead += end - start
                start = end
                return
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
        let b = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(0x0A), cr = UInt8(0x0D)
        var p = start
        var lines = 0
        var lineStart = start
        // Resume after the next '\n' at or after `q` (the whole line is dropped).
        func fail(_ q: Int, _ message: String) -> Outcome {
            var r = q
            while r < filled && b[r] != lf { r += 1 }
            if r == filled && !eof { return .needMore }
            return .problem(CSVProblem(line: line + lines, column: q - lineStart + 1, message), resume: min(r + 1, filled),
                            lines: lines + 1)
        }
        if p < filled && b[p] == lf { return .blank(end: p + 1) }
        if p + 1 < filled && b[p] == cr && b[p + 1] == lf { return .blank(end: p + 2) }
        while true {
            if p >= filled {
                if !eof { return .needMore }
                // The input ends right after a ',' : one more empty field.
                fields.append(Field(start: UInt32(p), count: 0, inSide: false))
                return .row(end: p, lines: lines + 1)
            }
            if b[p] == quote {
                let open = p
                let openColumn = p - lineStart + 1
                let openLine = line + lines
                p += 1
                var segment = p
                var decoded = false
                var sideStart = 0
                while true {
                    guard p < filled else {
                        if !eof { return .needMore }
                        // Resume at the line after the record's first line, so one stray quote
                        // costs one row, not the rest of the file.
                        var r = start
                        while r < filled && b[r] != lf { r += 1 }
                        return .problem(CSVProblem(line: openLine, column: openColumn,
                            "quoted field never closed (opened here); add the closing '\"' and double any '\"' inside it"),
                            resume: min(r + 1, filled), lines: 1)
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
                    if c == lf { lines += 1; lineStart = p + 1 }
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
                    return .row(end: p, lines: lines + 1)
                }
                let next = b[p]
                if next == comma { p += 1; continue }
                if next == lf { return .row(end: p + 1, lines: lines + 1) }
                if next == cr {
                    if p + 1 >= filled && !eof { return .needMore }
                    if p + 1 >= filled || b[p + 1] == lf { return .row(end: min(p + 2, filled), lines: lines + 1) }
                }
                return fail(p, "text after the closing quote of a field; put the whole field in quotes and double the '\"' inside it")
            }
            // An unquoted field runs to ',' or the line end.
            let fieldStart = p
            while p < filled {
                let c = b[p]
                if c == comma || c == lf { break }
                if c == quote {
                    return fail(p, "a '\"' inside an unquoted field; quote the whole field and double the '\"' inside it")
                }
                p += 1
            }
            if p >= filled && !eof { return .needMore }
            var end = p
            if p < filled && b[p] == lf && end > fieldStart && b[end - 1] == cr { end -= 1 }
            fields.append(Field(start: UInt32(fieldStart), count: UInt32(end - fieldStart), inSide: false))
            if p >= filled { return .row(end: p, lines: lines + 1) }
            if b[p] == lf { return .row(end: p + 1, lines: lines + 1) }
            p += 1  // past ','
        }
    }
}
