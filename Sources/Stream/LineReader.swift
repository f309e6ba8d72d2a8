#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ScanSupport

/// An I/O failure on an input, with the OS's reason.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Splits a file descriptor into lines without copying them: lines are handed out as slices of one
/// large read buffer, which grows only for a line longer than itself.
///
/// Line ends are `\n` or `\r\n` (the `\r` is not part of the line); a last line without `\n`
/// still counts. `read` returns whatever is available, so a live pipe (`tail -f`) is handed out
/// line by line as it arrives; `beforeRead` runs before each read that may block, which is where
/// the caller flushes its output.
public final class LineReader {
    private let fd: Int32
    private let path: String
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// The longest line handed out whole. A longer line is handed out truncated to this many
    /// bytes (with `lastLineTruncated` set) and the rest of it is read and dropped, so memory
    /// stays bounded on a 100 MB line or a binary file without newlines.
    public let maxLineBytes: Int
    /// Whether the line just handed to the body was truncated to `maxLineBytes`.
    public private(set) var lastLineTruncated = false

    public static let defaultMaxLineBytes = 16 << 20

    public init(fd: Int32, path: String, bufferSize: Int = 1 << 20, maxLineBytes: Int = LineReader.defaultMaxLineBytes) {
        self.fd = fd
        self.path = path
        self.maxLineBytes = max(maxLineBytes, 1)
        self.capacity = max(min(bufferSize, self.maxLineBytes + 1), 16)
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Calls `body` with each line and its 1-based number. The slice is valid only during the call.
    public func forEachLine(
        beforeRead: () throws -> Void = {},
        _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws {
        var filled = 0      // bytes in buffer
        var lineStart = 0   // start of the first unfinished line
        var scanFrom = 0    // where to look for the next '\n'
        var lineNumber = 0
        var skipping = false  // dropping the rest of a truncated line
        while true {
            if skipping {
                if let nl = memchr(buffer, 0x0A, filled) {
                    lineStart = buffer.distance(to: UnsafeMutableRawPointer(nl)) + 1
                    scanFrom = lineStart
                    skipping = false
                } else {
                    filled = 0
                    scanFrom = 0
                    lineStart = 0
                    try refill(&filled, beforeRead)
                    if filled == 0 { return }  // the input ended inside the dropped tail
                    continue
                }
            }
            // Hand out every complete line in the buffer.
            while scanFrom < filled {
                guard let nl = memchr(buffer + scanFrom, 0x0A, filled - scanFrom) else {
                    scanFrom = filled
                    break
                }
                let end = buffer.distance(to: UnsafeMutableRawPointer(nl))
                var lineEnd = end
                if lineEnd > lineStart && buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                lineNumber += 1
                lastLineTruncated = lineEnd - lineStart > maxLineBytes
                try body(UnsafeRawBufferPointer(start: buffer + lineStart, count: min(lineEnd - lineStart, maxLineBytes)), lineNumber)
                lineStart = end + 1
                scanFrom = lineStart
            }
            // Make room: move the unfinished line to the front, or grow for a long line.
            if lineStart > 0 {
                let pending = filled - lineStart
                if pending > 0 { memmove(buffer, buffer + lineStart, pending) }
                filled = pending
                scanFrom -= lineStart
                lineStart = 0
            }
            if filled > maxLineBytes {
                // A line longer than the limit: hand out its first maxLineBytes, drop the rest.
                lineNumber += 1
                lastLineTruncated = true
                try body(UnsafeRawBufferPointer(start: buffer, count: maxLineBytes), lineNumber)
                skipping = true
                continue
            }
            if filled == capacity {
                let size = min(capacity * 2, maxLineBytes + 1)
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = bigger
                capacity = size
            }
            let before = filled
            try refill(&filled, beforeRead)
            if filled == before {
                if filled > lineStart {
                    var lineEnd = filled
                    if buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    lastLineTruncated = false
                    try body(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart), lineNumber)
                }
                return
            }
        }
    }

    /// Reads more after `filled`; at the end of the input `filled` stays as it was.
    private func refill(_ filled: inout Int, _ beforeRead: () throws -> Void) throws {
        try beforeRead()
        while true {
            if StopSignal.requested != nil { return }  // asked to stop: the input ends here
            let n = read(fd, buffer + filled, capacity - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, reason: String(cString: strerror(errno)))
            }
            filled += n
            return
        }
    }
}
