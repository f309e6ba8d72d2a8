import CHiredis
import Glibc

/// A stream entry id, `MS-SEQ`, ordered as Redis orders them.
public struct EntryID: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var ms: UInt64
    public var seq: UInt64

    public init(ms: UInt64, seq: UInt64) {
        self.ms = ms
        self.seq = seq
    }

    public init?<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        var ms: UInt64 = 0, seq: UInt64 = 0, dash = false, digits = 0
        for b in bytes {
            if b == UInt8(ascii: "-") && !dash && digits > 0 {
                dash = true
                digits = 0
                continue
            }
            guard b >= 0x30 && b <= 0x39, digits < 20 else { return nil }
            let d = UInt64(b - 0x30)
            if dash { seq = seq &* 10 &+ d } else { ms = ms &* 10 &+ d }
            digits += 1
        }
        guard dash, digits > 0 else { return nil }
        self.ms = ms
        self.seq = seq
    }

    public static let zero = EntryID(ms: 0, seq: 0)
    public var description: String { "\(ms)-\(seq)" }
    public static func < (a: EntryID, b: EntryID) -> Bool { (a.ms, a.seq) < (b.ms, b.seq) }
}

/// The entries of one read, copied out of hiredis's reply into one byte arena: no allocation
/// per entry or field, whatever the batch size.
public struct EntryBatch {
    public struct Entry {
        /// Index into `keys`.
        public var key: Int
        public var id: EntryID
        public var rawID: Range<Int>
        /// Indices into `fields`; nil when the entry was deleted after delivery (XREADGROUP
        /// gives pending entries trimmed away with no fields).
        public var fields: Range<Int>?
    }

    public var arena: [UInt8] = []
    public var keys: [String] = []
    public var entries: [Entry] = []
    /// Every entry's (name, value) pairs, as ranges of `arena`.
    public var fields: [(name: Range<Int>, value: Range<Int>)] = []
    /// XAUTOCLAIM: the next cursor.
    public var nextCursor = "0-0"

    /// The arena range of field `name`'s first value in `entry`.
    public func value(_ name: StaticString, of entry: Entry) -> Range<Int>? {
        guard let range = entry.fields else { return nil }
        let n = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return arena.withUnsafeBytes { a -> Range<Int>? in
            for f in fields[range] where f.name.count == n.count {
                if memcmp(a.baseAddress! + f.name.lowerBound, n.baseAddress!, n.count) == 0 { return f.value }
            }
            return nil
        }
    }

    /// The names of `entry`'s fields (for an error message).
    public func fieldNames(of entry: Entry) -> [String] {
        guard let range = entry.fields else { return [] }
        return fields[range].map { String(decoding: arena[$0.name], as: UTF8.self) }
    }

    public func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> { arena[range] }

    private mutating func copy(_ r: UnsafePointer<redisReply>) -> Range<Int>? {
        let p = r.pointee
        guard p.type == REDIS_REPLY_STRING || p.type == REDIS_REPLY_STATUS else { return nil }
        let start = arena.count
        if let s = p.str, p.len > 0 {
            arena.append(contentsOf: UnsafeRawBufferPointer(start: s, count: p.len))
        }
        return start..<arena.count
    }

    private static func text(_ r: UnsafePointer<redisReply>) -> String? {
        let p = r.pointee
        guard p.type == REDIS_REPLY_STRING || p.type == REDIS_REPLY_STATUS, let s = p.str else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: s, count: p.len), as: UTF8.self)
    }

    private static func element(_ r: UnsafePointer<redisReply>, _ i: Int) -> UnsafePointer<redisReply>? {
        guard r.pointee.type == REDIS_REPLY_ARRAY, i < r.pointee.elements, let e = r.pointee.element[i] else { return nil }
        return UnsafePointer(e)
    }

    /// One `[id, [f, v, ...]]` entry (no fields for a deleted entry).
    private mutating func addEntry(_ e: UnsafePointer<redisReply>, key: Int) throws(RedisError) {
        guard e.pointee.type == REDIS_REPLY_ARRAY, e.pointee.elements == 2, let idReply = Self.element(e, 0),
              let raw = copy(idReply), let id = EntryID(arena[raw]) else {
            throw RedisError.protocolViolation("a stream entry that is not [id, fields]")
        }
        var entry = Entry(key: key, id: id, rawID: raw, fields: nil)
        if let flat = Self.element(e, 1), flat.pointee.type == REDIS_REPLY_ARRAY {
            let first = fields.count
            var i = 0
            while i + 1 < flat.pointee.elements {
                let name = Self.element(flat, i).flatMap { copy($0) } ?? arena.count..<arena.count
                let value = Self.element(flat, i + 1).flatMap { copy($0) } ?? arena.count..<arena.count
                fields.append((name, value))
                i += 2
            }
            entry.fields = first..<fields.count
        }
        entries.append(entry)
    }

    /// The entries of an XREADGROUP reply (`[[key, [[id, [f, v, ...]], ...]], ...]`, or nil).
    mutating func addRead(_ r: UnsafePointer<redisReply>) throws(RedisError) {
        if r.pointee.type == REDIS_REPLY_NIL { return }
        guard r.pointee.type == REDIS_REPLY_ARRAY else { throw RedisError.protocolViolation("XREADGROUP gave reply type \(r.pointee.type)") }
        for s in 0..<r.pointee.elements {
            guard let stream = Self.element(r, s), let keyReply = Self.element(stream, 0), let key = Self.text(keyReply) else {
                throw RedisError.protocolViolation("an XREADGROUP stream element that is not [key, entries]")
            }
            keys.append(key)
            guard let list = Self.element(stream, 1), list.pointee.type == REDIS_REPLY_ARRAY else { continue }
            for i in 0..<list.pointee.elements {
                guard let e = Self.element(list, i) else { continue }
                try addEntry(e, key: keys.count - 1)
            }
        }
    }

    /// An XAUTOCLAIM reply of Redis 7.0 or later: `[next-cursor, [entries], [deleted ids]]`.
    mutating func addClaim(_ r: UnsafePointer<redisReply>, key: String) throws(RedisError) {
        guard r.pointee.type == REDIS_REPLY_ARRAY, r.pointee.elements >= 2, let cursor = Self.element(r, 0).flatMap(Self.text),
              let list = Self.element(r, 1), list.pointee.type == REDIS_REPLY_ARRAY else {
            throw RedisError.protocolViolation("XAUTOCLAIM gave a reply that is not [cursor, entries, ...]")
        }
        nextCursor = cursor
        keys.append(key)
        for i in 0..<list.pointee.elements {
            guard let e = Self.element(list, i), e.pointee.type == REDIS_REPLY_ARRAY else { continue }
            try addEntry(e, key: keys.count - 1)
        }
        // Pending entries no longer in the stream: entries without fields, as XREADGROUP gives them.
        if let gone = Self.element(r, 2), gone.pointee.type == REDIS_REPLY_ARRAY {
            for i in 0..<gone.pointee.elements {
                if let raw = Self.element(gone, i).flatMap({ copy($0) }), let id = EntryID(arena[raw]) {
                    entries.append(Entry(key: keys.count - 1, id: id, rawID: raw, fields: nil))
                }
            }
        }
    }
}

extension RedisConnection {
    /// Runs an XREADGROUP and copies its entries into a batch; a server error is thrown.
    public func readEntries(_ command: RedisCommand) throws(RedisError) -> EntryBatch {
        var batch = EntryBatch()
        try withReply(to: command) { r throws(RedisError) in try batch.addRead(r) }
        return batch
    }

    /// Runs an XAUTOCLAIM on `key` and copies its entries into a batch.
    public func claimEntries(_ command: RedisCommand, key: String) throws(RedisError) -> EntryBatch {
        var batch = EntryBatch()
        try withReply(to: command) { r throws(RedisError) in try batch.addClaim(r, key: key) }
        return batch
    }
}
