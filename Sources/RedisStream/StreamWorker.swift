import Foundation
import ScamScan

/// Settings of one `scamscan chat --redis` worker.
public struct WorkerOptions: Sendable {
    public var stream: String
    public var partitions: [Int]
    public var group: String
    public var consumer: String
    /// Where verdicts go (XADD, fields `source`, `id`, `record`); nil: standard output.
    public var toStream: String?
    /// Write every record's verdict, not only flagged ones.
    public var all = false
    /// Entries per read (XREADGROUP / XAUTOCLAIM COUNT).
    public var batch = 500
    /// How long one read waits for new entries (ms).
    public var blockMs = 1000
    /// Claim entries another consumer left pending this long (ms); nil: never.
    public var claimIdleMs: Int64?
    /// Exit 0 once no new entry came for this long (ms); nil: run until stopped.
    public var idleExitMs: Int64?
    /// Keep each partition's behaviour state in Redis (`NAME:P:state`).
    public var stateInRedis = false
    /// How often the state is saved while running (ms).
    public var stateEveryMs: Int64 = 60_000
    /// Longest text kept whole; a longer one is scanned as its first N bytes (a bad entry).
    public var maxTextBytes = 1 << 20
    /// Give up when the server cannot be reached for this long (ms).
    public var retryForMs: Int64 = 300_000

    public init(stream: String, partitions: [Int], group: String, consumer: String) {
        self.stream = stream
        self.partitions = partitions
        self.group = group
        self.consumer = consumer
    }
}

/// Counts of one worker run, for `--stats`.
public struct WorkerStats: Sendable {
    /// Entries classified (each counted once per delivery: after a crash an entry may come again).
    public var entries = 0
    /// Of those, this consumer's own pending entries read back after a restart or reconnect.
    public var recovered = 0
    /// Of those, entries claimed from another consumer (XAUTOCLAIM).
    public var claimed = 0
    /// Entries whose verdict carries an error (no text field, not UTF-8, too long).
    public var bad = 0
    /// Pending entries already deleted from the stream (acknowledged, nothing to classify).
    public var deleted = 0
    public var verdictsWritten = 0
    public var acknowledged = 0
    public var reconnects = 0
    public var stateSaves = 0
    /// Partitions given up (the key holds another type than a stream).
    public var partitionErrors = 0
}

/// A consumer-group worker over the partitions `NAME:P` of a Redis stream: reads its own pending
/// entries first (after a crash), then new ones, classifies them with the same scanner as file
/// input, writes the verdicts, then acknowledges (XACK): at least once, never lost. Claims what
/// other consumers left pending (XAUTOCLAIM), keeps each partition's behaviour state apart (so a
/// partition can move to another worker with its history, `--state redis`), reconnects with
/// backoff, and turns every bad entry into a verdict carrying an error.
public final class StreamWorker {
    public let url: RedisURL
    public let options: WorkerOptions
    public private(set) var stats = WorkerStats()
    private let classifier: Classifier
    private let scanner: ChatScanner
    private let clock = Clock.wall
    private let capture: VerdictCapture?
    private let out: ByteWriter
    private let err: ByteWriter
    private var connection: RedisConnection?
    /// Per partition: its behaviour state (nil without signals).
    private var states: [Int: SignalState] = [:]
    private let makeState: (() -> SignalState)?
    private var lastAcked: [Int: EntryID] = [:]
    /// Partitions being read (those whose key turned out not to be a stream are dropped).
    private var active: [Int]
    /// Verdicts classified but not yet written and acknowledged: kept across a reconnect.
    private var unwritten = Unwritten()
    private var ordinal = 0
    private var lastSave: Int64
    private var lastClaim: Int64 = 0
    private var stateFailed = false
    /// When the current run of failures began (nil: the last command succeeded).
    private var failingSince: Int64?
    /// Whether the partitions' states were read from Redis (once, at the first connection).
    private var restored = false
    /// Why standard output could not be written (nil: fine).
    private var outputFailure: Error?
    /// Standard output failed or its reader went away: the worker stops after this batch.
    private var outputGone = false

    /// `makeState` builds an empty behaviour state (nil: no signals). `sink` writes verdicts to
    /// standard output when there is no `toStream`.
    public init(url: RedisURL, options: WorkerOptions, classifier: Classifier, scanOptions: ChatScanOptions,
                sink: RecordSink, out: ByteWriter, err: ByteWriter, makeState: (() -> SignalState)?) {
        self.url = url
        self.options = options
        self.classifier = classifier
        self.out = out
        self.err = err
        self.makeState = makeState
        active = options.partitions
        var scan = scanOptions
        scan.all = options.all
        var capture: VerdictCapture?
        var verdictSink = sink
        if options.toStream != nil {
            let c = VerdictCapture(pack: classifier.pack)
            capture = c
            verdictSink = c
        }
        self.capture = capture
        scanner = ChatScanner(classifier: classifier, options: scan, sink: verdictSink, out: out, err: err)
        lastSave = clock.now()
    }

    /// Why the worker stopped.
    public enum Ending: Equatable, Sendable {
        /// `--idle-exit` passed with no new entries.
        case idle
        /// SIGINT or SIGTERM: the batch finished, acknowledged, state saved.
        case signal(Int32)
        /// Standard output closed (`| head`): the entries whose verdicts could not be written are
        /// left pending (not acknowledged), the state is not saved past them.
        case outputClosed
    }

    /// Runs until idle (with `idleExitMs`) or stopped by a signal. Throws when the server stays
    /// unreachable longer than `retryForMs`, or on an error no retry can fix (a wrong password,
    /// an output key that is not a stream).
    public func run() throws(RedisError) -> Ending {
        do {
            try connect()
        } catch let e {
            if case let .interrupted(s) = e { return .signal(s) }
            throw e
        }
        var recovering = true
        var cursors: [Int: String] = [:]
        var lastEntry = clock.now()
        while true {
            if let s = StopSignal.requested {
                try finish()
                return .signal(s)
            }
            if outputGone { return .outputClosed }
            do {
                if !unwritten.isEmpty { try commit() }
                if recovering {
                    // This consumer's own pending entries (delivered before a crash or a lost
                    // connection, never acknowledged), oldest first.
                    let batch = try read(ids: active.map { cursors[$0] ?? "0" }, block: nil)
                    failingSince = nil
                    if batch.entries.isEmpty {
                        recovering = false
                        continue
                    }
                    for (k, key) in batch.keys.enumerated() {
                        if let p = partition(of: key), let last = batch.entries.last(where: { $0.key == k }) {
                            cursors[p] = String(decoding: batch.bytes(last.rawID), as: UTF8.self)
                        }
                    }
                    stats.recovered += batch.entries.count
                    try handle(batch)
                    lastEntry = clock.now()
                    continue
                }
                if let idle = options.claimIdleMs, clock.now() - lastClaim >= max(idle / 2, 200) {
                    if try claim(idle) > 0 { lastEntry = clock.now() }
                    lastClaim = clock.now()
                    if StopSignal.requested != nil || outputGone { continue }
                }
                var block = Int64(options.blockMs)
                if let exit = options.idleExitMs {
                    let left = exit - (clock.now() - lastEntry)
                    if left <= 0 {
                        try finish()
                        return .idle
                    }
                    block = min(block, left)
                }
                if let idle = options.claimIdleMs { block = min(block, max(idle / 2, 200)) }
                let batch = try read(ids: active.map { _ in ">" }, block: max(1, block))
                failingSince = nil
                if !batch.entries.isEmpty {
                    try handle(batch)
                    lastEntry = clock.now()
                }
                // Never save a state ahead of what is acknowledged: a restarted worker classifies
                // the unacknowledged entries again and would count them twice.
                if options.stateInRedis && unwritten.isEmpty && clock.now() - lastSave >= options.stateEveryMs { try saveStates() }
            } catch let e {
                if e.isTransient {
                    report("warning: \(e.description); reconnecting")
                } else if e.serverCode == "NOGROUP" {
                    // The group vanished (a server restarted without persistence, the key
                    // deleted): reconnecting creates it again, from the last acknowledged entry.
                    report("warning: \(e.description); creating the consumer group again")
                } else {
                    throw e
                }
                do {
                    try reconnect()
                } catch let again {
                    if case let .interrupted(s) = again { return .signal(s) }
                    throw again
                }
                recovering = true
                cursors = [:]
            }
        }
    }

    private func report(_ message: String) {
        err.write("scamscan: \(message)\n")
        try? err.flush()
    }

    private func partition(of key: String) -> Int? {
        guard key.hasPrefix(options.stream + ":"), let p = Int(key.dropFirst(options.stream.count + 1)) else { return nil }
        return p
    }

    // MARK: connection

    private func connect() throws(RedisError) {
        // --retry-for counts from the first failure in a row, across reconnects: a server that
        // accepts connections and then fails every command does not reset it.
        let started = failingSince ?? clock.now()
        failingSince = started
        var delay: Int64 = 100
        var announced = false
        while true {
            do {
                connection = try RedisConnection(url: url, timeout: Double(options.blockMs) / 1000 + 10)
                if !restored {
                    try restoreStates()
                    restored = true
                }
                try ensureGroups()
                if announced { report("connected to \(url)") }
                return
            } catch let e {
                guard e.isTransient else { throw e }
                connection?.close()
                if clock.now() - started >= options.retryForMs {
                    throw RedisError.connection("\(e.description); gave up after \(options.retryForMs / 1000) s of retries (--retry-for)")
                }
                if !announced {
                    report("warning: \(e.description); retrying with backoff")
                    announced = true
                }
                if let s = StopSignal.requested { throw RedisError.interrupted(s) }
                usleep(UInt32(delay * 1000))
                delay = min(delay * 2, 5000)
            }
        }
    }

    private func reconnect() throws(RedisError) {
        connection?.close()
        connection = nil
        stats.reconnects += 1
        try connect()
    }

    private var redis: RedisConnection {
        get throws(RedisError) {
            guard let connection, connection.isOpen else { throw RedisError.connection("not connected to \(url)") }
            return connection
        }
    }

    /// Creates the group on each partition if missing (MKSTREAM), from the last entry this worker
    /// or its saved state acknowledged, or else from the stream's start (so a backfill published
    /// before the first worker is read). A key of another type is reported and its partition
    /// dropped.
    private func ensureGroups() throws(RedisError) {
        let r = try redis
        var keep: [Int] = []
        let replies = try r.pipeline(active.map {
            RedisCommand("XGROUP", "CREATE", Partitioning.key(options.stream, $0), options.group, lastAcked[$0]?.description ?? "0", "MKSTREAM")
        })
        for (p, reply) in zip(active, replies) {
            if case let .error(m) = reply, !m.hasPrefix("BUSYGROUP") {
                if m.hasPrefix("WRONGTYPE") {
                    report("error: \(Partitioning.key(options.stream, p)) is not a stream (\(m)); partition \(p) is skipped, the exit status will be 2")
                    stats.partitionErrors += 1
                    continue
                }
                throw RedisError.server("\(m) (XGROUP CREATE \(Partitioning.key(options.stream, p)))")
            }
            keep.append(p)
        }
        active = keep
        if active.isEmpty { throw RedisError.usage("no partition left to read (every key is of another type)") }
    }

    // MARK: reading

    private func read(ids: [String], block: Int64?) throws(RedisError) -> EntryBatch {
        var c = RedisCommand("XREADGROUP", "GROUP", options.group, options.consumer, "COUNT", String(options.batch))
        if let block {
            c.arg("BLOCK")
            c.arg(String(block))
        }
        c.arg("STREAMS")
        for p in active { c.arg(Partitioning.key(options.stream, p)) }
        for id in ids { c.arg(id) }
        do {
            return try redis.readEntries(c)
        } catch let e where e.serverCode == "WRONGTYPE" {
            // A partition's key was replaced by another type while running: find and drop it.
            try ensureGroups()
            return EntryBatch()
        }
    }

    /// Claims entries idle longer than `idle` ms from any consumer of the group, partition by
    /// partition, and handles them; returns how many.
    private func claim(_ idle: Int64) throws(RedisError) -> Int {
        var total = 0
        for p in active {
            let key = Partitioning.key(options.stream, p)
            var cursor = "0-0"
            repeat {
                let batch: EntryBatch
                do {
                    batch = try redis.claimEntries(RedisCommand("XAUTOCLAIM", key, options.group, options.consumer, String(idle), cursor,
                                                                "COUNT", String(options.batch)), key: key)
                } catch let e where e.serverCode == "WRONGTYPE" {
                    try ensureGroups()  // the key is no longer a stream: drop its partition
                    break
                }
                cursor = batch.nextCursor
                let claimed = batch.entries.count { $0.fields != nil }
                stats.claimed += claimed
                total += claimed
                if !batch.entries.isEmpty { try handle(batch) }
            } while cursor != "0-0" && StopSignal.requested == nil && !outputGone
        }
        return total
    }

    // MARK: classifying

    /// Classifies the entries (each partition with its own state), then writes the verdicts and
    /// acknowledges.
    private func handle(_ batch: EntryBatch) throws(RedisError) {
        let partitions = batch.keys.map { partition(of: $0) }
        batch.arena.withUnsafeBytes { arena in
            for e in batch.entries {
                let key = batch.keys[e.key]
                guard let p = partitions[e.key] else { continue }
                let id = UnsafeRawBufferPointer(rebasing: arena[e.rawID])
                if e.fields == nil {
                    stats.deleted += 1
                    unwritten.acknowledge(key: key, group: options.group, id: id, partition: p, entry: e.id)
                    continue
                }
                if let make = makeState, states[p] == nil { states[p] = make() }
                if let record = classify(e, of: batch, arena: arena, key: key, partition: p), let target = options.toStream {
                    var c = RedisCommand("XADD", target, "*", "source", key, "id")
                    c.arg(id)
                    c.arg("record")
                    c.arg(record)
                    unwritten.verdicts.append(c)
                }
                unwritten.acknowledge(key: key, group: options.group, id: id, partition: p, entry: e.id)
            }
        }
        try commit()
    }

    /// One entry through the scanner; returns the JSON Lines record when a verdict was captured
    /// for the output stream.
    private func classify(_ e: EntryBatch.Entry, of batch: EntryBatch, arena: UnsafeRawBufferPointer, key: String,
                          partition p: Int) -> [UInt8]? {
        func slice(_ r: Range<Int>?) -> UnsafeRawBufferPointer? { r.map { UnsafeRawBufferPointer(rebasing: arena[$0]) } }
        ordinal += 1
        stats.entries += 1
        var problems: [String] = []
        let textRange = batch.value("text", of: e)
        var text = slice(textRange) ?? UnsafeRawBufferPointer(start: nil, count: 0)
        if textRange == nil {
            let names = batch.fieldNames(of: e)
            problems.append("entry has no 'text' field (fields: \(names.isEmpty ? "none" : names.joined(separator: ", "))); publish each record with ts, channel, user and text")
        }
        if text.count > options.maxTextBytes {
            problems.append("text is \(text.count) bytes, longer than --max-line-bytes \(options.maxTextBytes): scanned as its first \(options.maxTextBytes) bytes")
            var cut = options.maxTextBytes
            while cut > 0 && text[cut] & 0xC0 == 0x80 { cut -= 1 }  // not inside a character
            text = UnsafeRawBufferPointer(rebasing: text[0..<cut])
        }
        if !isValidUTF8(text) {
            problems.append("text is not valid UTF-8 (scanned with the bad bytes replaced; text_base64 holds them)")
        }
        if !problems.isEmpty {
            stats.bad += 1
            if stats.bad <= 10 {
                report("\(key) \(e.id): bad entry: \(escapeForTerminal(problems.joined(separator: "; ")))\(stats.bad == 10 ? " (further ones are only counted in --stats)" : "")")
            }
        }
        capture?.last = nil
        var record = ChatRecord(line: ordinal, text: text)
        record.channel = slice(batch.value("channel", of: e))
        record.user = slice(batch.value("user", of: e))
        record.timestamp = slice(batch.value("ts", of: e) ?? batch.value("timestamp", of: e))
        if !problems.isEmpty { record.error = RecordError(column: 0, problems.joined(separator: "; ")) }
        do {
            try scanner.process(record, source: key, state: &states[p], alwaysWrite: !problems.isEmpty,
                                defaultTime: Int64(clamping: e.id.ms))
        } catch {
            // Standard output went away or failed: nothing more can be written.
            outputFailure = outputFailure ?? error
        }
        return capture?.last
    }

    /// Writes the classified verdicts (XADD to the output stream, or flushes standard output),
    /// checks every write, then acknowledges their entries. What is not done is kept for a retry.
    private func commit() throws(RedisError) {
        guard !unwritten.isEmpty else { return }
        let r = try redis
        if options.toStream == nil {
            if outputFailure == nil {
                do { try out.flush() } catch { outputFailure = error }
            }
            if let failure = outputFailure {
                // Nothing is acknowledged: the entries stay pending for the next worker.
                if failure is BrokenPipe {
                    outputGone = true
                    return
                }
                throw RedisError.usage("cannot write verdicts to standard output: \(failure); \(unwritten.count) entries stay pending")
            }
        }
        // Verdicts first, in their own round trip: Redis runs every command of a pipeline even
        // after one fails, so an XACK sent with a failed XADD would lose its verdict.
        if !unwritten.verdicts.isEmpty {
            let replies = try r.pipeline(unwritten.verdicts)
            if let failed = replies.first(where: \.isError), case let .error(m) = failed {
                let error = RedisError.server(m)
                if error.isTransient { throw error }
                throw RedisError.usage("cannot write verdicts to \(options.toStream!): \(m) (\(unwritten.count) entries stay pending, not acknowledged)")
            }
            stats.verdictsWritten += unwritten.verdicts.count
            unwritten.verdicts.removeAll()  // written: a retry sends only the acknowledgements
        }
        let replies = try r.pipeline(unwritten.acks)
        for reply in replies {
            if case let .error(m) = reply {
                let error = RedisError.server(m)
                // NOGROUP: the group (and its pending list) is gone; WRONGTYPE: the key is no
                // longer a stream. Either way nothing is left pending to lose.
                if error.serverCode == "NOGROUP" || error.serverCode == "WRONGTYPE" { continue }
                throw RedisError.server("\(m) (XACK)")
            }
            stats.acknowledged += Int(reply.integer ?? 0)
        }
        for (p, id) in unwritten.last where lastAcked[p].map({ $0 < id }) ?? true { lastAcked[p] = id }
        unwritten = Unwritten()
    }

    // MARK: state

    private func restoreStates() throws(RedisError) {
        guard options.stateInRedis, let make = makeState else { return }
        states = [:]
        for p in active {
            let key = Partitioning.stateKey(options.stream, p)
            let saved = try redis.run(RedisCommand("HMGET", key, "snapshot", "last_id"))
            let reply = saved.elements?.first ?? saved
            if let last = saved.elements?.dropFirst().first?.bytes.flatMap({ EntryID($0) }), last != .zero { lastAcked[p] = last }
            var state = make()
            switch reply {
            case let .string(bytes):
                do {
                    try state.restore(contents: bytes)
                } catch {
                    state = make()  // it may hold part of the snapshot
                    report("warning: state \(key): \(error.description); partition \(p) starts with no history (it is overwritten at the next save)")
                }
            case .null:
                break
            case let .error(m):
                report("warning: state \(key): \(m); partition \(p) starts with no history")
            default:
                report("warning: state \(key): unexpected reply; partition \(p) starts with no history")
            }
            states[p] = state
        }
    }

    /// Saves each partition's state with its last acknowledged id (HSET, one round trip).
    private func saveStates() throws(RedisError) {
        lastSave = clock.now()
        guard options.stateInRedis, makeState != nil else { return }
        var commands: [RedisCommand] = []
        for p in active {
            guard let state = states[p] else { continue }
            var c = RedisCommand("HSET", Partitioning.stateKey(options.stream, p), "snapshot")
            c.arg(state.encoded(savedAt: clock.now()))
            c.arg("last_id")
            c.arg(lastAcked[p].map(\.description) ?? "0-0")
            c.arg("saved_at")
            c.arg(String(clock.now()))
            c.arg("version")
            c.arg(String(SignalState.fileVersion))
            commands.append(c)
        }
        let replies = try redis.pipeline(commands)
        for reply in replies {
            if case let .error(m) = reply {
                if !stateFailed { report("warning: cannot save the behaviour state: \(m); the worker goes on, the exit status will be 2") }
                stateFailed = true
            }
        }
        stats.stateSaves += 1
    }

    /// The end of a run: what is classified written and acknowledged, state saved.
    private func finish() throws(RedisError) {
        var attempts = 0
        while true {
            do {
                try commit()
                // Not past what is acknowledged (standard output closed mid-batch).
                if unwritten.isEmpty { try saveStates() }
                try out.flush()
                return
            } catch let e as RedisError {
                guard e.isTransient, attempts < 3 else { throw e }
                attempts += 1
                try reconnect()
            } catch {
                return  // standard output is gone: nothing left to write to
            }
        }
    }

    /// True when something went wrong that the exit status must show (a partition skipped, the
    /// state not saved).
    public var hadErrors: Bool { stats.partitionErrors > 0 || stateFailed }

    public func summary(seconds: Double) -> String {
        let s = stats, c = scanner.stats
        return """
        scamscan: stats:
          partitions:        \(options.partitions.map(String.init).joined(separator: ",")) of \(options.stream) (group \(options.group), consumer \(options.consumer))
          entries:           \(s.entries) (\(s.recovered) own pending recovered, \(s.claimed) claimed from others)
          bad entries:       \(s.bad) (verdicts carry an error)
          deleted entries:   \(s.deleted) (pending but trimmed from the stream; acknowledged)
          verdicts:          \(c.verdictCounts.allow) allow, \(c.verdictCounts.review) review, \(c.verdictCounts.block) block
          records written:   \(options.toStream == nil ? c.written : s.verdictsWritten)\(options.toStream.map { " (to \($0))" } ?? "")
          acknowledged:      \(s.acknowledged)
          reconnects:        \(s.reconnects)
          state saves:       \(s.stateSaves)
          bad timestamps:    \(c.badTimestamps) (the last readable time used)
          seconds:           \(String(format: "%.3f", seconds))

        """
    }
}

/// Verdicts classified but not yet written, and the acknowledgements that follow them: kept
/// across a reconnect, sent in one round trip.
private struct Unwritten {
    var verdicts: [RedisCommand] = []
    /// One XACK per partition key, in the order first seen.
    var acks: [RedisCommand] = []
    var ackIndex: [String: Int] = [:]
    /// The highest entry id per partition.
    var last: [Int: EntryID] = [:]
    var count = 0
    var isEmpty: Bool { acks.isEmpty }

    mutating func acknowledge(key: String, group: String, id: UnsafeRawBufferPointer, partition: Int, entry: EntryID) {
        count += 1
        if let k = ackIndex[key] {
            acks[k].arg(id)
        } else {
            ackIndex[key] = acks.count
            var c = RedisCommand("XACK", key, group)
            c.arg(id)
            acks.append(c)
        }
        if last[partition].map({ $0 < entry }) ?? true { last[partition] = entry }
    }
}

/// Captures each verdict's JSON Lines record for the output stream.
final class VerdictCapture: RecordSink {
    private let writer = ByteWriter(fd: -1)
    private let printer: JSONLinesPrinter
    var last: [UInt8]?

    init(pack: CompiledPack) {
        printer = JSONLinesPrinter(out: writer, pack: pack)
    }

    func write(_ record: ChatRecord, source: String, classification: Classification) throws {
        try printer.write(record, source: source, classification: classification)
        if writer.buffer.last == UInt8(ascii: "\n") { writer.buffer.removeLast() }
        last = writer.buffer
        writer.buffer.removeAll(keepingCapacity: true)
    }
}
