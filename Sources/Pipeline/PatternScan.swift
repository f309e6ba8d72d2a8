import Dispatch
import Foundation
import Matcher
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output

/// Settings of one `scamscan match` run.
public struct PatternScanOptions: Sendable {
    /// Print only the number of matching lines (per input when there are several).
    public var countOnly = false
    /// Worker threads for regular files; a stream (pipe, terminal) is read line by line.
    public var threads = 1
    public var lineBuffered = false
    /// Prefix each output line (or count) with the input's name.
    public var showSource = false
    /// Escape control characters in printed lines (when the output is a terminal).
    public var escape = false
    /// Bytes per chunk handed to a worker.
    public var chunkSize = 8 << 20
    /// Count lines (for `--stats`); an extra memchr pass over each chunk otherwise not needed.
    public var countLines = true
    /// A longer line is matched (and printed) as its first `maxLineBytes` bytes; the rest is
    /// read and dropped, so memory stays bounded. Counted in `truncatedLines`.
    public var maxLineBytes = LineReader.defaultMaxLineBytes
    /// Show a progress line on stderr while scanning regular files (after the first second, at
    /// most twice a second; cleared before output and at the end).
    public var progress = false
    public init() {}
}

/// Counts for `--stats`.
public struct PatternScanStats: Sendable {
    public var inputs = 0
    /// Lines longer than `maxLineBytes`, matched as their first `maxLineBytes` bytes.
    public var truncatedLines = 0
    public var inputErrors = 0
    public var lines = 0
    public var bytes = 0
    public var matchingLines = 0
    public var candidateLines = 0
    public var confirmations = 0
    public var limitEvents = 0
}

/// `scamscan match`: the matcher alone, like `grep -f`. Regular files are read in large chunks
/// cut at line ends; with several threads, chunks are matched in parallel and written in input
/// order. Standard input that is a pipe or terminal is handled line by line as it arrives.
public final class PatternScan {
    public let matcher: any MultiMatcher
    public let options: PatternScanOptions
    public private(set) var stats = PatternScanStats()
    private let out: ByteWriter
    private let err: ByteWriter
    private let scratches: [MatchScratch]
    private let progressLine: ProgressLine

    public init(matcher: any MultiMatcher, options: PatternScanOptions, limits: MatchLimits = .default,
                out: ByteWriter, err: ByteWriter) {
        self.matcher = matcher
        self.options = options
        self.out = out
        self.err = err
        scratches = (0..<max(1, options.threads)).map { _ in MatchScratch(limits: limits) }
        progressLine = ProgressLine(err: err, enabled: options.progress)
    }

    /// One input; an unreadable one is reported and counted, and the run goes on.
    public func scan(path: String) throws {
        stats.inputs += 1
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else {
            err.write("scamscan: \(path): \(String(cString: strerror(errno)))\n")
            stats.inputErrors += 1
            return
        }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        let isRegular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        let before = stats.matchingLines
        do {
            if isRegular && !options.lineBuffered {
                try scanChunks(fd: fd, path: path)
            } else {
                try scanStream(fd: fd, path: path)
            }
        } catch let error as InputError {
            err.write("scamscan: \(error.description)\n")
            stats.inputErrors += 1
        }
        if options.countOnly {
            if options.showSource { out.write(path + ":") }
            out.write("\(stats.matchingLines - before)\n")
        }
        try out.flushIfFull()
    }

    /// Collects the matcher counters of every scratch into `stats`.
    public func finish() throws {
        for s in scratches {
            stats.candidateLines += s.stats.candidateRecords
            stats.confirmations += s.stats.confirmations
            stats.limitEvents += s.stats.limitEvents
            s.stats = MatchScratch.Stats()
        }
        clearProgress()
        try out.flush()
        try err.flush()
    }

    private func emit(_ line: UnsafeRawBufferPointer, source: String, into buffer: inout [UInt8]) {
        Self.emit(line, source: source, options: options, into: &buffer)
    }

    private static func emit(_ line: UnsafeRawBufferPointer, source: String, options: PatternScanOptions, into buffer: inout [UInt8]) {
        if options.showSource {
            buffer.append(contentsOf: source.utf8)
            buffer.append(UInt8(ascii: ":"))
        }
        if options.escape { appendTerminalEscaped(line, to: &buffer) } else { buffer.append(contentsOf: line) }
        buffer.append(0x0A)
    }

    private func scanStream(fd: Int32, path: String) throws {
        let reader = LineReader(fd: fd, path: path, maxLineBytes: options.maxLineBytes)
        let scratch = scratches[0]
        try reader.forEachLine(beforeRead: { [out] in try out.flush() }) { line, _ in
            if reader.lastLineTruncated { stats.truncatedLines += 1 }
            stats.lines += 1
            stats.bytes += line.count + 1
            guard matcher.matchesAny(line, scratch: scratch) else { return }
            stats.matchingLines += 1
            if !options.countOnly {
                emit(line, source: path, into: &out.buffer)
                if options.lineBuffered { try out.flush() } else { try out.flushIfFull() }
            }
        }
    }

    /// What the parallel workers share.
    private struct Workers: @unchecked Sendable {
        // SAFETY: worker k touches only chunks[k] and scratches[k]; the reader thread touches them
        // only before and after `concurrentPerform`, which joins all workers.
        let chunks: [Chunk]
        let scratches: [MatchScratch]
    }

    /// A chunk of whole lines and what matching it produced.
    private final class Chunk: @unchecked Sendable {
        // SAFETY: each chunk is touched by one worker at a time; the reader thread only uses it
        // between parallel rounds.
        var buffer: UnsafeMutableRawPointer
        var capacity: Int
        var count = 0
        var output: [UInt8] = []
        var matches = 0
        var lines = 0
        init(capacity: Int) {
            self.capacity = capacity
            buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        }
        func grow(to size: Int) {
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
            bigger.copyMemory(from: buffer, byteCount: count)
            buffer.deallocate()
            buffer = bigger
            capacity = size
        }
        deinit { buffer.deallocate() }
    }

    private func scanChunks(fd: Int32, path: String) throws {
        let workers = scratches.count
        // Chunks no larger than the longest line kept whole: a longer line then always fills a
        // chunk, which is where it is truncated, so files and pipes agree.
        let chunks = (0..<workers).map { _ in Chunk(capacity: max(min(options.chunkSize, options.maxLineBytes), 1)) }
        var carry: [UInt8] = []
        var eof = false
        var skipping = false  // dropping the rest of a truncated line
        let maxLine = max(options.maxLineBytes, 1)
        let countLines = options.countLines
        while !eof {
            // Fill up to `workers` chunks, each ending at a line end (or at end of input).
            var filled = 0
            while filled < workers && !eof {
                let chunk = chunks[filled]
                chunk.count = 0
                while skipping {
                    let n = read(fd, chunk.buffer, chunk.capacity)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw InputError(path: path, reason: String(cString: strerror(errno)))
                    }
                    if n == 0 {
                        eof = true
                        break
                    }
                    if let nl = memchr(chunk.buffer, 0x0A, n) {
                        let after = chunk.buffer.distance(to: UnsafeMutableRawPointer(nl)) + 1
                        carry.append(contentsOf: UnsafeRawBufferPointer(start: chunk.buffer + after, count: n - after))
                        skipping = false
                    }
                }
                if eof && carry.isEmpty { break }
                if carry.count >= chunk.capacity { chunk.grow(to: carry.count * 2) }
                carry.withUnsafeBytes { bytes in
                    // An empty array need not have a base address.
                    if let from = bytes.baseAddress { chunk.buffer.copyMemory(from: from, byteCount: bytes.count) }
                }
                chunk.count = carry.count
                carry.removeAll(keepingCapacity: true)
                while true {
                    if chunk.count == chunk.capacity {
                        // A line longer than the chunk: grow until it fits, up to maxLine; a
                        // longer one ends the chunk truncated, and its rest is dropped.
                        if Self.lastNewline(chunk.buffer, chunk.count) != nil { break }
                        if chunk.count >= maxLine {
                            chunk.count = maxLine
                            skipping = true
                            stats.truncatedLines += 1
                            break
                        }
                        chunk.grow(to: min(chunk.capacity * 2, maxLine))
                    }
                    let n = read(fd, chunk.buffer + chunk.count, chunk.capacity - chunk.count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw InputError(path: path, reason: String(cString: strerror(errno)))
                    }
                    if n == 0 { eof = true; break }
                    chunk.count += n
                }
                if !eof, !skipping, let nl = Self.lastNewline(chunk.buffer, chunk.count) {
                    let keep = nl + 1
                    carry.append(contentsOf: UnsafeRawBufferPointer(start: chunk.buffer + keep, count: chunk.count - keep))
                    chunk.count = keep
                }
                if chunk.count > 0 { filled += 1 }
            }
            guard filled > 0 else { break }
            let workers = Workers(chunks: chunks, scratches: scratches)
            let work: @Sendable (Int) -> Void = { [matcher, options] k in
                let chunk = workers.chunks[k]
                chunk.output.removeAll(keepingCapacity: true)
                chunk.matches = 0
                let bytes = UnsafeRawBufferPointer(start: chunk.buffer, count: chunk.count)
                var count = chunk.count
                if count > 0 && bytes[count - 1] == 0x0A { count -= 1 }  // the last '\n' ends the last line
                let body = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                matcher.forEachMatchingLine(in: body, scratch: workers.scratches[k]) { range in
                    chunk.matches += 1
                    if !options.countOnly {
                        var end = range.upperBound
                        if end > range.lowerBound && body[end - 1] == 0x0D { end -= 1 }
                        Self.emit(UnsafeRawBufferPointer(rebasing: body[range.lowerBound..<end]), source: path, options: options, into: &chunk.output)
                    }
                }
                if countLines { chunk.lines = Self.countLines(bytes) }
            }
            if filled == 1 {
                work(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: filled, execute: work)
            }
            for k in 0..<filled {
                let chunk = chunks[k]
                stats.matchingLines += chunk.matches
                stats.lines += chunk.lines
                stats.bytes += chunk.count
                if !chunk.output.isEmpty {
                    out.buffer.append(contentsOf: chunk.output)
                    if out.isFull { clearProgress(); try err.flush() }
                    try out.flushIfFull()
                }
            }
            showProgress(path: path)
        }
    }

    private func clearProgress() { progressLine.clear() }

    private func showProgress(path: String) {
        guard let seconds = progressLine.due() else { return }
        let name = escapeForTerminal(String((path as NSString).lastPathComponent.prefix(40)))
        progressLine.show("scamscan match: \(name): " + String(format: "%.0f MB, %.1f MB/s", Double(stats.bytes) / 1e6, Double(stats.bytes) / 1e6 / seconds)
                          + ", \(stats.matchingLines) matching lines")
        try? err.flush()
    }

    /// The offset of the last `\n` in the first `count` bytes.
    static func lastNewline(_ base: UnsafeMutableRawPointer, _ count: Int) -> Int? {
        var i = count - 1
        while i >= 0 {
            if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { return i }
            i -= 1
        }
        return nil
    }

    /// Lines in `bytes`: its `\n`s, plus one for a last line without one.
    static func countLines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        var n = 0
        var i = 0
        while i < bytes.count, let p = memchr(base + i, 0x0A, bytes.count - i) {
            n += 1
            i = base.distance(to: UnsafeRawPointer(p)) + 1
        }
        return bytes[bytes.count - 1] == 0x0A ? n : n + 1
    }
}
