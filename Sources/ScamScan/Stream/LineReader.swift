#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An I/O failure on an input, with the OS's reason.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
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

    public init(fd: Int32, path: String, bufferSize: Int = 1 << 20) {
        self.fd = fd
        self.path = path
        self.capacity = max(bufferSize, 16)
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
        while true {
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
                try body(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart), lineNumber)
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
            if filled == capacity {
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            try beforeRead()
            let n = read(fd, buffer + filled, capacity - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 {
                if filled > lineStart {
                    var lineEnd = filled
                    if buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    try body(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart), lineNumber)
                }
                return
            }
            filled += n
        }
    }
}
