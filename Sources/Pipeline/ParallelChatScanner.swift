import Dispatch
import Foundation
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output

/// `scamscan chat -j N` over files: channels split across N workers by `ChannelPartition`, so a
/// channel's behaviour state stays on one worker; output in input order.
///
/// The reader fills a chunk (records copied into one byte arena); the workers classify their
/// records of the chunk at once, each with its own classifier, signal state and printer writing
/// into a buffer of its own; then the chunk's output is written in input order. Every line is
/// accounted for as in `ChatScanner`.
public final class ParallelChatScanner {
    /// One worker: a scanner over its own classifier, the buffer its printer writes to, and its
    /// stderr messages (written by the main thread after each chunk, in worker order).
    final class Worker: @unchecked Sendable {
        // SAFETY: a worker is used by one thread at a time: its own during `concurrentPerform`,
        // the main thread only before and after it (which joins every worker).
        let scanner: ChatScanner
        let capture: ByteWriter
        let err = ByteWriter(fd: -1)
        var failure: Error?

        init(scanner: ChatScanner, capture: ByteWriter) {
            self.scanner = scanner
            self.capture = capture
        }
    }

    private struct Pending: Sendable {
        var line: Int
        var source: Int
        var text: Range<Int>
        var timestamp: Range<Int>?
        var channel: Range<Int>?
        var user: Range<Int>?
        var error: RecordError?
        var worker: Int
    }

    public let options: ChatScanOptions
    /// Records per chunk (each worker classifies its share of a chunk at once).
    public var chunkRecords = 8192
    private let workers: [Worker]
    private let reader: ChatReader
    private let out: ByteWriter
    private let err: ByteWriter
    private var arena: [UInt8] = []
    private var pending: [Pending] = []
    private var sources: [String] = []

    /// `makeWorker(capture)` builds one worker's classifier, a printer writing into `capture`
    /// and the worker's own behaviour state (nil: no signals).
    public init(jobs: Int, options: ChatScanOptions, out: ByteWriter, err: ByteWriter, clock: Clock = .wall,
                makeWorker: (_ capture: ByteWriter) -> (Classifier, RecordSink, SignalState?)) {
        precondition(jobs >= 1)
        self.options = options
        self.out = out
        self.err = err
        var scan = options
        scan.progress = false
        scan.lineBuffered = false
        workers = (0..<jobs).map { _ in
            let capture = ByteWriter(fd: -1)
            let (classifier, sink, signals) = makeWorker(capture)
            let workerErr = ByteWriter(fd: -1)
            // The scanner's own output writer stays empty (the sink writes to `capture`), so its
            // flushes never write anywhere.
            let w = Worker(scanner: ChatScanner(classifier: classifier, options: scan, sink: sink, out: ByteWriter(fd: -1), err: workerErr,
                                                 signals: signals, clock: clock),
                           capture: capture)
            return w
        }
        reader = ChatReader(options: options, report: { _ in })
        reader.report = {
            err.write("scamscan: \($0)\n")
        }
    }

    /// The run's counts: the reader's, with every worker's verdicts.
    public var stats: ChatScanStats {
        var s = reader.stats
        for w in workers {
            let t = w.scanner.stats
            s.written += t.written
            s.verdictCounts.allow += t.verdictCounts.allow
            s.verdictCounts.review += t.verdictCounts.review
            s.verdictCounts.block += t.verdictCounts.block
            s.badTimestamps += t.badTimestamps
            for (rule, seen) in t.limited {
                if let have = s.limited[rule] {
                    s.limited[rule] = (have.count + seen.count, have.first)
                } else {
                    s.limited[rule] = seen
                }
            }
        }
        return s
    }

    /// Scans one input (`-` for standard input), classifying and writing chunk by chunk.
    public func scan(path: String) throws {
        sources.append(path)
        let source = sources.count - 1
        try reader.read(path: path, beforeRead: { [self] in try err.flush() }) { record, _ in
            func copy(_ b: UnsafeRawBufferPointer?) -> Range<Int>? {
                guard let b else { return nil }
                let start = arena.count
                arena.append(contentsOf: b)
                return start..<arena.count
            }
            let worker = ChannelPartition.of(record.channel, count: workers.count)
            pending.append(Pending(line: record.line, source: source, text: copy(record.text)!, timestamp: copy(record.timestamp),
                                   channel: copy(record.channel), user: copy(record.user), error: record.error, worker: worker))
            if pending.count >= chunkRecords { try runChunk() }
        }
        try runChunk()
    }

    /// Classifies the pending records on every worker at once, then writes their output in
    /// input order.
    private func runChunk() throws {
        guard !pending.isEmpty else { return }
        let count = pending.count
        let slots = UnsafeMutableBufferPointer<(worker: Int32, start: Int, end: Int)>.allocate(capacity: count)
        slots.initialize(repeating: (-1, 0, 0))
        defer { slots.deallocate() }
        let round = Round(workers: workers, records: pending, names: sources, slots: slots)
        arena.withUnsafeBytes { a in
            let arena = Arena(bytes: a)
            let work: @Sendable (Int) -> Void = { w in
                let worker = round.workers[w]
                guard worker.failure == nil else { return }
                for i in 0..<count where round.records[i].worker == w {
                    let p = round.records[i]
                    var record = ChatRecord(line: p.line, text: arena.slice(p.text)!)
                    record.timestamp = arena.slice(p.timestamp)
                    record.channel = arena.slice(p.channel)
                    record.user = arena.slice(p.user)
                    record.error = p.error
                    let before = worker.capture.buffer.count
                    do {
                        try worker.scanner.process(record, source: round.names[p.source], countRecord: false)
                    } catch {
                        worker.failure = error
                        return
                    }
                    let after = worker.capture.buffer.count
                    if after > before { round.slots[i] = (Int32(w), before, after) }
                }
            }
            DispatchQueue.concurrentPerform(iterations: workers.count, execute: work)
        }
        for w in workers {
            err.buffer.append(contentsOf: w.err.buffer)
            w.err.buffer.removeAll(keepingCapacity: true)
        }
        try err.flush()
        for i in 0..<count where slots[i].worker >= 0 {
            let s = slots[i]
            out.buffer.append(contentsOf: workers[Int(s.worker)].capture.buffer[s.start..<s.end])
            if options.lineBuffered || out.isFull { try out.flush() }
        }
        for w in workers { w.capture.buffer.removeAll(keepingCapacity: true) }
        pending.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        if let failure = workers.lazy.compactMap(\.failure).first { throw failure }
    }

    /// What the workers of one chunk share.
    private struct Round: @unchecked Sendable {
        // SAFETY: worker w reads `records` and `names` (not changed during the round), touches
        // only workers[w] and the slots of its own records; `concurrentPerform` joins them all
        // before the main thread reads the slots.
        let workers: [Worker]
        let records: [Pending]
        let names: [String]
        let slots: UnsafeMutableBufferPointer<(worker: Int32, start: Int, end: Int)>
    }

    /// The chunk's bytes, read-only during a round.
    private struct Arena: @unchecked Sendable {
        // SAFETY: nothing writes the arena while the workers read it.
        let bytes: UnsafeRawBufferPointer
        func slice(_ r: Range<Int>?) -> UnsafeRawBufferPointer? { r.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) } }
    }

    /// Reports each rule whose match limit ran out (once, with a count), then flushes.
    public func finish() throws {
        for warning in ChatScanner.matchLimitWarnings(stats.limited, pack: workers[0].scanner.pack) { err.write("scamscan: \(warning)\n") }
        try out.flush()
        try err.flush()
    }

    /// The `--stats` summary, as `ChatScanner.summary`, with the number of workers.
    public func summary(seconds: Double) -> String {
        var text = workers[0].scanner.summary(seconds: seconds, stats: stats, states: workers.compactMap(\.scanner.signals))
        text += "  workers:           \(workers.count) (channels split by hash; per-user signals see each worker's channels)\n"
        return text
    }
}
