import ScamScan

/// A stream entry id, `MS-SEQ`, ordered as Redis orders them.
public struct EntryID: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var ms: UInt64
    public var seq: UInt64

    public init(ms: UInt64, seq: UInt64) {
        self.ms = ms
        self.seq = seq
    }

    public init?(_ bytes: [UInt8]) {
        guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")),
              let ms = UInt64(String(decoding: bytes[..<dash], as: UTF8.self)),
              let seq = UInt64(String(decoding: bytes[(dash + 1)...], as: UTF8.self)) else { return nil }
        self.ms = ms
        self.seq = seq
    }

    public static let zero = EntryID(ms: 0, seq: 0)
    public var description: String { "\(ms)-\(seq)" }
    public static func < (a: EntryID, b: EntryID) -> Bool { (a.ms, a.seq) < (b.ms, b.seq) }
}

/// One entry read from a partition: its id and its fields (nil when the entry was deleted
/// after delivery, as XREADGROUP reports pending entries trimmed away).
public struct StreamEntry: Sendable {
    public var key: String
    public var id: EntryID
    public var rawID: [UInt8]
    public var fields: [(name: [UInt8], value: [UInt8])]?

    /// The first value of field `name`.
    public func value(_ name: String) -> [UInt8]? {
        let n = Array(name.utf8)
        return fields?.first { $0.name == n }?.value
    }
}

extension StreamEntry {
    /// Entries of an XREADGROUP reply (`[[key, [[id, [f, v, ...]], ...]], ...]`) or nil reply.
    static func parseRead(_ reply: RedisReply) throws(RedisError) -> [StreamEntry] {
        if case .null = reply { return [] }
        guard let streams = reply.elements else { throw RedisError.protocolViolation("XREADGROUP gave \(reply)") }
        var out: [StreamEntry] = []
        for s in streams {
            guard let pair = s.elements, pair.count == 2, let key = pair[0].text else {
                throw RedisError.protocolViolation("XREADGROUP stream element \(s)")
            }
            if case .null = pair[1] { continue }
            guard let entries = pair[1].elements else { throw RedisError.protocolViolation("XREADGROUP entries \(pair[1])") }
            for e in entries { out.append(try parseEntry(e, key: key)) }
        }
        return out
    }

    /// One `[id, [f, v, ...]]` entry (fields nil for a deleted entry).
    static func parseEntry(_ e: RedisReply, key: String) throws(RedisError) -> StreamEntry {
        guard let item = e.elements, item.count == 2, let raw = item[0].bytes, let id = EntryID(raw) else {
            throw RedisError.protocolViolation("stream entry \(e)")
        }
        var entry = StreamEntry(key: key, id: id, rawID: raw, fields: nil)
        if let flat = item[1].elements {
            var fields: [(name: [UInt8], value: [UInt8])] = []
            fields.reserveCapacity(flat.count / 2)
            var i = 0
            while i + 1 < flat.count {
                fields.append((flat[i].bytes ?? [], flat[i + 1].bytes ?? []))
                i += 2
            }
            entry.fields = fields
        }
        return entry
    }

    /// An XAUTOCLAIM reply: `[next-cursor, [entries], [deleted ids]]` (Redis 7; 6.2 has no third
    /// element and gives deleted entries as nil).
    static func parseClaim(_ reply: RedisReply, key: String) throws(RedisError) -> (next: String, entries: [StreamEntry], deleted: [[UInt8]]) {
        guard let parts = reply.elements, parts.count >= 2, let next = parts[0].text, let list = parts[1].elements else {
            throw RedisError.protocolViolation("XAUTOCLAIM gave \(reply)")
        }
        var entries: [StreamEntry] = []
        var deleted: [[UInt8]] = []
        for e in list {
            if case .null = e { continue }
            let entry = try parseEntry(e, key: key)
            if entry.fields == nil { deleted.append(entry.rawID) } else { entries.append(entry) }
        }
        if parts.count >= 3, let gone = parts[2].elements {
            deleted += gone.compactMap(\.bytes)
        }
        return (next, entries, deleted)
    }
}
