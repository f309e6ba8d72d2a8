import CHiredis
import Foundation

/// Where a Redis server is: `redis://[[user]:password@]host[:port][/db]` (the redis-cli and
/// redis-py form). TLS (`rediss://`) is not supported.
public struct RedisURL: Hashable, Sendable, CustomStringConvertible {
    public var host = "127.0.0.1"
    public var port = 6379
    public var user: String?
    public var password: String?
    public var database = 0

    /// Parses `text`; the error says what is wrong and what a good URL looks like.
    public init(_ text: String) throws(RedisError) {
        let example = "expected redis://[:password@]host[:port][/db], e.g. redis://127.0.0.1:6379 or redis://:secret@10.0.0.5:6380/2"
        if text.hasPrefix("rediss://") {
            throw RedisError.usage("--redis \(text): TLS (rediss://) is not supported; reach the server over a trusted network or a TLS tunnel (stunnel, spiped) and use redis://")
        }
        guard text.hasPrefix("redis://") else { throw RedisError.usage("--redis '\(text)': \(example)") }
        var rest = Substring(text.dropFirst("redis://".count))
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                self.user = user.isEmpty ? nil : String(user).removingPercentEncoding ?? String(user)
                let password = credentials[credentials.index(after: colon)...]
                self.password = String(password).removingPercentEncoding ?? String(password)
            } else {
                // redis://secret@host: the common shorthand for a password without a user.
                self.password = String(credentials).removingPercentEncoding ?? String(credentials)
            }
        }
        if let slash = rest.firstIndex(of: "/") {
            let db = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !db.isEmpty {
                guard let n = Int(db), n >= 0 else { throw RedisError.usage("--redis \(text): the database after '/' must be a number (got '\(db)'); \(example)") }
                database = n
            }
        }
        if rest.hasPrefix("[") {
            // An IPv6 address: [::1]:6379
            guard let close = rest.firstIndex(of: "]") else { throw RedisError.usage("--redis \(text): unclosed '[' in the host; \(example)") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { rest = rest.dropFirst() } else if !rest.isEmpty {
                throw RedisError.usage("--redis \(text): unexpected '\(rest)' after the host; \(example)")
            } else { rest = "" }
            if !rest.isEmpty { try setPort(rest, text, example) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            try setPort(rest[rest.index(after: colon)...], text, example)
        } else if !rest.isEmpty {
            host = String(rest)
        }
        if host.isEmpty { host = "127.0.0.1" }
    }

    private mutating func setPort(_ text: Substring, _ url: String, _ example: String) throws(RedisError) {
        guard let p = Int(text), (1...65535).contains(p) else {
            throw RedisError.usage("--redis \(url): the port must be a number from 1 to 65535 (got '\(text)'); \(example)")
        }
        port = p
    }

    /// The URL without its password, for messages.
    public var description: String {
        let credentials = password == nil ? "" : "\(user ?? ""):***@"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "redis://\(credentials)\(shownHost):\(port)\(database == 0 ? "" : "/\(database)")"
    }
}

/// What went wrong talking to Redis.
public enum RedisError: Error, CustomStringConvertible, Sendable {
    /// The connection failed or broke (refused, reset, timed out, server gone): retry after a
    /// reconnect. Nothing acknowledged is lost; what was not acknowledged is delivered again.
    case connection(String)
    /// The server answered with an error (`-ERR ...`, `-NOGROUP ...`, `-WRONGTYPE ...`).
    case server(String)
    /// A bad option value, said the way to fix it.
    case usage(String)
    /// A reply of a shape the command never gives (a bug here or a server that is not Redis).
    case protocolViolation(String)
    /// SIGINT or SIGTERM came while waiting to reconnect.
    case interrupted(Int32)

    public var description: String {
        switch self {
        case let .connection(m): return "connection: \(m)"
        case let .server(m): return m
        case let .usage(m): return m
        case let .protocolViolation(m): return "unexpected reply: \(m)"
        case let .interrupted(s): return "stopped by signal \(s) while reconnecting"
        }
    }

    /// Worth a retry after a pause: a broken connection, or a server that cannot take the
    /// command now (`LOADING` its dataset after a restart, `BUSY` with a script, `TRYAGAIN`,
    /// `MASTERDOWN`, `CLUSTERDOWN`, `READONLY`: a replica after a failover, `OOM`: at maxmemory).
    public var isTransient: Bool {
        if case .connection = self { return true }
        return ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY", "OOM"].contains(serverCode ?? "")
    }

    /// The server's error code: the first word of a server error (`NOGROUP`, `BUSYGROUP`,
    /// `WRONGTYPE`), nil for other errors.
    public var serverCode: Substring? {
        guard case let .server(m) = self else { return nil }
        return m.split(separator: " ", maxSplits: 1).first
    }
}

/// One reply, copied out of hiredis's reply tree.
public enum RedisReply: Equatable, Sendable {
    case string([UInt8])
    case status(String)
    case integer(Int64)
    case array([RedisReply])
    case null
    case error(String)

    /// A bulk or status string as text (lossy for bytes that are not UTF-8).
    public var text: String? {
        switch self {
        case let .string(b): return String(decoding: b, as: UTF8.self)
        case let .status(s): return s
        default: return nil
        }
    }

    public var bytes: [UInt8]? {
        switch self {
        case let .string(b): return b
        case let .status(s): return Array(s.utf8)
        default: return nil
        }
    }

    public var elements: [RedisReply]? {
        if case let .array(a) = self { return a }
        return nil
    }

    public var integer: Int64? {
        if case let .integer(n) = self { return n }
        return nil
    }

    public var isError: Bool {
        if case .error = self { return true }
        return false
    }
}

/// A command being built: its arguments as one byte buffer with their lengths, so a command of
/// many arguments costs two allocations and binary values need no escaping.
public struct RedisCommand: Sendable {
    var bytes: [UInt8] = []
    var lengths: [Int] = []

    public init(_ words: String...) {
        for w in words { arg(w) }
    }

    public mutating func arg(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        lengths.append(s.utf8.count)
    }

    public mutating func arg(_ b: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: b)
        lengths.append(b.count)
    }

    public mutating func arg(_ b: [UInt8]) {
        bytes.append(contentsOf: b)
        lengths.append(b.count)
    }

    public var count: Int { lengths.count }
    /// A byte for zero-length arguments of a command with no bytes at all to point at.
    nonisolated(unsafe) static let emptyArgument: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()
    /// The command's name (its first argument), for messages.
    public var name: String {
        String(decoding: bytes.prefix(lengths.first ?? 0), as: UTF8.self)
    }
}

/// A blocking connection to one Redis server through hiredis: commands one at a time or
/// pipelined (appended, then the replies read in order). Not thread-safe; one per worker.
public final class RedisConnection {
    public let url: RedisURL
    private var context: UnsafeMutablePointer<redisContext>?
    /// How long a reply may take beyond a command's own blocking time.
    public var timeout: Double

    /// Connects, authenticates and selects the database; throws `.connection` when the server
    /// cannot be reached and `.server` when it refuses the password.
    public init(url: RedisURL, timeout: Double = 10) throws(RedisError) {
        self.url = url
        self.timeout = timeout
        let c = redisConnectWithTimeout(url.host, Int32(url.port), RedisConnection.timeval(timeout))
        guard let c else { throw RedisError.connection("cannot allocate a hiredis context") }
        if c.pointee.err != 0 {
            let reason = String(cString: chiredis_errstr(c))
            redisFree(c)
            throw RedisError.connection("cannot connect to \(url): \(reason) (is redis-server running there?)")
        }
        context = c
        setReadTimeout(timeout)
        if let password = url.password {
            var auth = RedisCommand("AUTH")
            if let user = url.user { auth.arg(user) }
            auth.arg(password)
            do {
                try expectOK(run(auth))
            } catch let e {
                close()
                if case let .server(m) = e { throw RedisError.server("\(url): authentication failed: \(m)") }
                throw e
            }
        }
        if url.database != 0 {
            do {
                try expectOK(run(RedisCommand("SELECT", String(url.database))))
            } catch let e {
                close()
                throw e
            }
        }
    }

    deinit { close() }

    public func close() {
        if let context { redisFree(context) }
        context = nil
    }

    public var isOpen: Bool { context != nil }

    static func timeval(_ seconds: Double) -> timeval {
        let whole = seconds.rounded(.down)
        return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1e6))
    }

    /// The longest the next reply may take (seconds): a blocking read's block time plus slack.
    public func setReadTimeout(_ seconds: Double) {
        guard let context else { return }
        _ = redisSetTimeout(context, RedisConnection.timeval(seconds))
    }

    /// Sends one command and waits for its reply. A server error comes back as `.error` in the
    /// reply (callers decide), a broken connection throws `.connection` and closes this one.
    public func run(_ command: RedisCommand) throws(RedisError) -> RedisReply {
        try append(command)
        return try reply()
    }

    /// Sends one command; throws its server error, if any.
    @discardableResult
    public func call(_ command: RedisCommand) throws(RedisError) -> RedisReply {
        let r = try run(command)
        if case let .error(m) = r { throw RedisError.server(m) }
        return r
    }

    /// Queues a command in the output buffer (pipelining); `reply()` reads replies in order.
    public func append(_ command: RedisCommand) throws(RedisError) {
        guard let context else { throw RedisError.connection("not connected to \(url)") }
        let status: Int32 = command.bytes.withUnsafeBufferPointer { base -> Int32 in
            var argv: [UnsafePointer<CChar>?] = []
            argv.reserveCapacity(command.lengths.count)
            var offset = 0
            // An empty buffer has no base address: point zero-length arguments at a real byte
            // (hiredis copies none of it).
            let start = base.baseAddress ?? RedisCommand.emptyArgument
            for n in command.lengths {
                argv.append(UnsafeRawPointer(start + offset).assumingMemoryBound(to: CChar.self))
                offset += n
            }
            return argv.withUnsafeMutableBufferPointer { a in
                command.lengths.withUnsafeBufferPointer { l in
                    redisAppendCommandArgv(context, Int32(command.lengths.count), a.baseAddress, l.baseAddress)
                }
            }
        }
        if status != REDIS_OK { throw broken() }
    }

    /// Reads the next reply of the pipeline.
    public func reply() throws(RedisError) -> RedisReply {
        guard let context else { throw RedisError.connection("not connected to \(url)") }
        var raw: UnsafeMutableRawPointer?
        if redisGetReply(context, &raw) != REDIS_OK || raw == nil { throw broken() }
        defer { freeReplyObject(raw) }
        return RedisConnection.convert(raw!.assumingMemoryBound(to: redisReply.self))
    }

    /// Sends one command and hands its raw reply to `body` (no copy into `RedisReply`: for
    /// replies of thousands of entries); a server error is thrown as `.server`.
    func withReply(to command: RedisCommand, _ body: (UnsafePointer<redisReply>) throws(RedisError) -> Void) throws(RedisError) {
        try append(command)
        guard let context else { throw RedisError.connection("not connected to \(url)") }
        var raw: UnsafeMutableRawPointer?
        if redisGetReply(context, &raw) != REDIS_OK || raw == nil { throw broken() }
        defer { freeReplyObject(raw) }
        let r = UnsafePointer(raw!.assumingMemoryBound(to: redisReply.self))
        if r.pointee.type == REDIS_REPLY_ERROR {
            throw RedisError.server(r.pointee.str.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: r.pointee.len), as: UTF8.self) } ?? "ERR")
        }
        try body(r)
    }

    /// Sends every command, then reads every reply (one round trip for the lot).
    public func pipeline(_ commands: [RedisCommand]) throws(RedisError) -> [RedisReply] {
        for c in commands { try append(c) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try reply()) }
        return replies
    }

    /// The connection's error as `.connection`, and the connection closed (hiredis cannot
    /// reuse a context after an I/O or protocol error).
    private func broken() -> RedisError {
        var reason = "connection lost"
        if let context, context.pointee.err != 0 {
            reason = String(cString: chiredis_errstr(context))
            if context.pointee.err == REDIS_ERR_IO && (reason.contains("temporarily unavailable") || reason.contains("timed out")) {
                reason = "no reply within the timeout (\(timeout) s)"
            }
        }
        close()
        return RedisError.connection("\(url): \(reason)")
    }

    private static func convert(_ r: UnsafePointer<redisReply>) -> RedisReply {
        let p = r.pointee
        switch p.type {
        case REDIS_REPLY_STRING:
            guard let s = p.str else { return .string([]) }
            return .string(Array(UnsafeRawBufferPointer(start: s, count: p.len)))
        case REDIS_REPLY_STATUS:
            guard let s = p.str else { return .status("") }
            return .status(String(decoding: UnsafeRawBufferPointer(start: s, count: p.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            guard let s = p.str else { return .error("ERR") }
            return .error(String(decoding: UnsafeRawBufferPointer(start: s, count: p.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(p.integer)
        case REDIS_REPLY_ARRAY:
            var items: [RedisReply] = []
            items.reserveCapacity(p.elements)
            for i in 0..<p.elements {
                if let e = p.element[i] { items.append(convert(e)) } else { items.append(.null) }
            }
            return .array(items)
        default:
            return .null
        }
    }

    private func expectOK(_ r: RedisReply) throws(RedisError) {
        if case let .error(m) = r { throw RedisError.server(m) }
    }
}
