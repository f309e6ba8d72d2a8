import Foundation
import ScamScan

/// Writes chat records to the partitions of a Redis stream, as `scamscan publish` does: each
/// record XADDed to `NAME:P` (P from `Partitioning`) with fields `ts`, `channel`, `user` and
/// `text` (a part the record has none of is left out), pipelined.
///
/// A lost connection is retried with backoff; the commands whose replies were not read are sent
/// again, so a record may be added twice (at least once), never dropped.
public final class StreamPublisher {
    public let url: RedisURL
    public let stream: String
    public let partitions: Int
    /// Commands per round trip.
    public var pipelineDepth = 1000
    /// Cap each partition near this many entries (`XADD MAXLEN ~ N`); nil: no cap.
    public var maxLength: Int?
    /// Give up when the server cannot be reached for this long (ms).
    public var retryForMs: Int64 = 300_000
    public private(set) var published = 0
    /// Per partition, the records sent to it.
    public private(set) var perPartition: [Int]
    /// Records the server refused (say a key of another type), with the first reason.
    public private(set) var refused = 0
    public private(set) var firstRefusal: String?
    public private(set) var reconnects = 0
    private var connection: RedisConnection
    private var queued: [RedisCommand] = []
    private let report: (String) -> Void

    /// Connects, retrying with backoff for `retryForMs` while the server cannot be reached.
    public init(url: RedisURL, stream: String, partitions: Int, retryForMs: Int64 = 300_000,
                report: @escaping (String) -> Void) throws(RedisError) {
        self.url = url
        self.stream = stream
        self.partitions = partitions
        self.retryForMs = retryForMs
        self.report = report
        perPartition = Array(repeating: 0, count: partitions)
        connection = try StreamPublisher.connect(url, retryForMs: retryForMs, report: report)
    }

    private static func connect(_ url: RedisURL, retryForMs: Int64, report: (String) -> Void) throws(RedisError) -> RedisConnection {
        let started = Clock.wall.now()
        var delay: Int64 = 100
        var announced = false
        while true {
            do {
                return try RedisConnection(url: url)
            } catch let e {
                guard e.isTransient else { throw e }
                if Clock.wall.now() - started >= retryForMs {
                    throw RedisError.connection("\(e.description); gave up after \(retryForMs / 1000) s of retries (--retry-for)")
                }
                if !announced {
                    report("warning: \(e.description); retrying with backoff")
                    announced = true
                }
                usleep(UInt32(delay * 1000))
                delay = min(delay * 2, 5000)
            }
        }
    }

    /// Queues one record; sends the queue when it is full.
    public func add(_ record: ChatRecord) throws(RedisError) {
        let p = ChannelPartition.of(record.channel, count: partitions)
        var c = RedisCommand("XADD", Partitioning.key(stream, p))
        if let maxLength {
            c.arg("MAXLEN")
            c.arg("~")
            c.arg(String(maxLength))
        }
        c.arg("*")
        if let ts = record.timestamp {
            c.arg("ts")
            c.arg(ts)
        }
        if let channel = record.channel {
            c.arg("channel")
            c.arg(channel)
        }
        if let user = record.user {
            c.arg("user")
            c.arg(user)
        }
        c.arg("text")
        c.arg(record.text)
        queued.append(c)
        perPartition[p] += 1
        if queued.count >= pipelineDepth { try flush() }
    }

    /// Sends what is queued and reads every reply; on a lost connection reconnects (with
    /// backoff) and sends again what was not answered.
    public func flush() throws(RedisError) {
        let started = Clock.wall.now()
        var delay: Int64 = 100
        while !queued.isEmpty {
            var answered = 0
            do throws(RedisError) {
                for c in queued { try connection.append(c) }
                while answered < queued.count {
                    let reply = try connection.reply()
                    if case let .error(m) = reply {
                        // Not ready yet (a restarted server loading its data): send it again.
                        if RedisError.server(m).isTransient {
                            connection.close()
                            throw RedisError.connection("the server answered \(m.prefix(80))")
                        }
                        refused += 1
                        if firstRefusal == nil { firstRefusal = "\(queued[answered].name) \(m)" }
                    } else {
                        published += 1
                    }
                    answered += 1
                }
                queued.removeAll(keepingCapacity: true)
            } catch let e {
                queued.removeFirst(answered)
                guard case .connection = e else { throw e }
                if Clock.wall.now() - started >= retryForMs {
                    throw RedisError.connection("\(e.description); gave up after \(retryForMs / 1000) s with \(queued.count) records unsent (--retry-for)")
                }
                report("warning: \(e.description); reconnecting (\(queued.count) records to send again)")
                usleep(UInt32(delay * 1000))
                delay = min(delay * 2, 5000)
                let left = max(0, retryForMs - (Clock.wall.now() - started))
                connection = try StreamPublisher.connect(url, retryForMs: left, report: report)
                reconnects += 1
            }
        }
    }
}
