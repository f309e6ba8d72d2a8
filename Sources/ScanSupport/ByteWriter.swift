#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reader of our output went away (`| head`): stop quietly.
public struct BrokenPipe: Error, Sendable {}

/// A write that failed for another reason (a full disk, say), with the OS's reason.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { "cannot write output: \(reason)" }
}

/// A buffered writer to a file descriptor. It flushes when its buffer fills and when told to;
/// EPIPE becomes `BrokenPipe` (SIGPIPE must be ignored by the process).
public final class ByteWriter {
    public let fd: Int32
    /// Pending bytes; printers append to it directly.
    public var buffer: [UInt8] = []
    private let limit: Int

    public init(fd: Int32, bufferSize: Int = 64 * 1024) {
        self.fd = fd
        self.limit = bufferSize
        buffer.reserveCapacity(bufferSize)
    }

    public var isTerminal: Bool { isatty(fd) == 1 }

    /// The buffer has reached its size: time to flush.
    public var isFull: Bool { buffer.count >= limit }

    @inline(__always) public func write(_ byte: UInt8) { buffer.append(byte) }
    public func write(_ string: String) { buffer.append(contentsOf: string.utf8) }
    public func write(_ bytes: UnsafeRawBufferPointer) { buffer.append(contentsOf: bytes) }

    /// Flushes if the buffer has passed its size.
    public func flushIfFull() throws {
        if buffer.count >= limit { try flush() }
    }

    public func flush() throws {
        var offset = 0
        try buffer.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw BrokenPipe() }
                    throw OutputError(reason: String(cString: strerror(errno)))
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
