#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ScanSupport
import Stream
import Model

/// Dense ids for the strings of one field (accounts, instruments, IPs, ...), so per-key state
/// lives in arrays indexed by id and is found with one hash of the bytes, never a String hash.
///
/// Ids start at 1 (0 is "absent"). `expire` frees ids not seen since a cutoff (and the least
/// recently seen beyond a cap), rebuilding the table; freed ids are reused, so memory is bounded
/// by the keys alive at once, not by the keys ever seen.
///
/// Layout, for few cache misses per lookup: the open-addressing table holds the hash's high half
/// beside the id, so a probe rarely leaves the table; a key of up to 16 bytes is stored inside its
/// entry (exports' ids, IPs and fingerprints are that short), longer keys in a side arena.
///
/// - Complexity: `intern` is O(length) expected; `expire` is O(ids).
struct Interner {
    struct Entry {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var lastSeen: Int64 = .min
        /// -1: free.
        var length: Int32 = -1
        /// For keys longer than 16 bytes: where they start in `arena`.
        var start: Int32 = 0
    }
    private var table: [UInt64]
    private var mask: Int
    private(set) var entries: [Entry] = [Entry()]
    private var arena: [UInt8] = []
    private var free: [Int32] = []
    private(set) var live = 0
    /// Ids evicted by the cap (not by age).
    private(set) var evicted = 0

    init(capacity: Int = 1024) {
        let size = max(16, capacity.nextPowerOfTwo)
        table = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// One past the largest id handed out: arrays indexed by id need this many slots.
    var idLimit: Int { entries.count }

    /// The first 16 bytes, zero-padded, as two words.
    @inline(__always)
    private static func words(_ b: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var w: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: b.prefix(16))) }
        return w
    }

    @inline(__always)
    private static func hash(_ b: UnsafeRawBufferPointer, _ w: (UInt64, UInt64)) -> UInt64 {
        var h = (w.0 ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 31) ^ w.1 ^ UInt64(b.count)) &* 0x94D0_49BB_1331_11EB
        var i = 16
        while i < b.count {
            var x: UInt64 = 0
            withUnsafeMutableBytes(of: &x) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[i..<min(i + 8, b.count)])) }
            h = (h ^ x) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        return h ^ (h >> 32)
    }

    @inline(__always)
    private func equal(_ id: Int, _ b: UnsafeRawBufferPointer, _ w: (UInt64, UInt64)) -> Bool {
        let e = entries[id]
        guard Int(e.length) == b.count, e.w0 == w.0, e.w1 == w.1 else { return false }
        if b.count <= 16 { return true }
        return arena.withUnsafeBytes { a in memcmp(a.baseAddress! + Int(e.start) + 16, b.baseAddress! + 16, b.count - 16) == 0 }
    }

    /// The id of `bytes`, created if new (0 for empty); marks it seen at `time`.
    mutating func intern(_ bytes: UnsafeRawBufferPointer, time: Int64) -> Int32 {
        if bytes.isEmpty { return 0 }
        let w = Self.words(bytes)
        let h = Self.hash(bytes, w)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = table[i]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(slot & 0xFFFF_FFFF)
                if equal(id, bytes, w) {
                    if time > entries[id].lastSeen { entries[id].lastSeen = time }
                    return Int32(id)
                }
            }
            i = (i + 1) & mask
        }
        var e = Entry(w0: w.0, w1: w.1, lastSeen: time, length: Int32(bytes.count), start: 0)
        if bytes.count > 16 {
            e.start = Int32(arena.count)
            arena.append(contentsOf: bytes)
        }
        let id: Int
        if let reuse = free.popLast() {
            id = Int(reuse)
            entries[id] = e
        } else {
            id = entries.count
            entries.append(e)
        }
        // A zero tag would read as an empty slot: the id in the low half is never 0.
        table[i] = tag | UInt64(id)
        live += 1
        if live * 2 > table.count { rebuild(size: table.count * 2) }
        return Int32(id)
    }

    /// Keys longer than this are interned by their first `maxKeyBytes` bytes, so a hostile
    /// export cannot grow the key store without bound (real ids and fingerprints are far shorter).
    static let maxKeyBytes = 256

    mutating func intern(_ s: String, time: Int64) -> Int32 {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0).prefix(Self.maxKeyBytes)), time: time) }
    }

    func string(_ id: Int32) -> String {
        guard id > 0, Int(id) < entries.count, entries[Int(id)].length >= 0 else { return "" }
        let e = entries[Int(id)]
        var w = (e.w0, e.w1)
        let head = withUnsafeBytes(of: &w) { String(decoding: $0.prefix(min(Int(e.length), 16)), as: UTF8.self) }
        guard e.length > 16 else { return head }
        return String(decoding: withUnsafeBytes(of: &w) { Array($0) } + arena[Int(e.start) + 16..<Int(e.start) + Int(e.length)], as: UTF8.self)
    }

    /// Frees ids not seen since `cutoff`, then the least recently seen beyond `maxKeys`;
    /// calls `reset` with each freed id (to clear the state kept for it).
    mutating func expire(before cutoff: Int64, maxKeys: Int, reset: (Int32) -> Void) {
        var limit = cutoff
        if live > maxKeys {
            var times: [Int64] = []
            times.reserveCapacity(live)
            for id in 1..<entries.count where entries[id].length >= 0 { times.append(entries[id].lastSeen) }
            times.sort()
            limit = max(limit, times[live - maxKeys])
        }
        var freed = 0
        var newArena: [UInt8] = []
        for id in 1..<entries.count where entries[id].length >= 0 {
            let e = entries[id]
            if e.lastSeen < limit || (e.lastSeen == limit && live - freed > maxKeys) {
                if e.lastSeen >= cutoff { evicted += 1 }
                entries[id] = Entry()
                free.append(Int32(id))
                freed += 1
                reset(Int32(id))
            } else if e.length > 16 {
                entries[id].start = Int32(newArena.count)
                newArena.append(contentsOf: arena[Int(e.start)..<Int(e.start) + Int(e.length)])
            }
        }
        guard freed > 0 else { return }
        live -= freed
        arena = newArena
        rebuild(size: max(16, (live * 2 + 1).nextPowerOfTwo, table.count / 4 > live * 2 ? table.count / 2 : table.count))
    }

    private mutating func rebuild(size: Int) {
        table = Array(repeating: 0, count: size)
        mask = size - 1
        for id in 1..<entries.count where entries[id].length >= 0 {
            let e = entries[id]
            var w = (e.w0, e.w1)
            let h: UInt64 = withUnsafeBytes(of: &w) { head in
                if e.length <= 16 { return Self.hash(UnsafeRawBufferPointer(rebasing: head.prefix(Int(e.length))), (e.w0, e.w1)) }
                let full = Array(head) + arena[Int(e.start) + 16..<Int(e.start) + Int(e.length)]
                return full.withUnsafeBytes { Self.hash($0, (e.w0, e.w1)) }
            }
            var i = Int(truncatingIfNeeded: h) & mask
            while table[i] != 0 { i = (i + 1) & mask }
            table[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id)
        }
    }
}

extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}

/// Recent events of one key, at most `capacity`; older events still inside a window are folded
/// into one overflow count and sum (kept until the newest of them leaves the window), so counts
/// and sums over a window are exact up to `capacity` events and never undercount.
///
/// The first two events live inline: most keys (an account's purchases in an hour, a card's in a
/// day) have no more, and then the ring costs no allocation.
struct EventRing {
    struct Event {
        var time: Int64
        var value: Double
        /// What the event was about (a party id), for evidence.
        var ref: Int32
        /// The transaction's id in the engine's `IDLog`, for evidence (0: none).
        var tx: Int64 = 0
    }
    private var e0 = Event(time: .min, value: 0, ref: 0)
    private var e1 = Event(time: .min, value: 0, ref: 0)
    private var inline: UInt8 = 0
    private var more: [Event] = []
    private var head = 0
    private var olderCount = 0
    private var olderSum = 0.0
    private var olderNewest = Int64.min

    mutating func add(_ e: Event, capacity: Int) {
        switch inline {
        case 0: e0 = e; inline = 1; return
        case 1: e1 = e; inline = 2; return
        default: break
        }
        if more.count < capacity - 2 {
            more.append(e)
            return
        }
        let old = more[head]
        olderCount += 1
        olderSum += old.value
        olderNewest = max(olderNewest, old.time)
        more[head] = e
        head = (head + 1) % more.count
    }

    /// Count and sum of events at or after `since`.
    func total(since: Int64) -> (count: Int, sum: Double) {
        var n = 0
        var s = 0.0
        if inline > 0 && e0.time >= since { n += 1; s += e0.value }
        if inline > 1 && e1.time >= since { n += 1; s += e1.value }
        for e in more where e.time >= since {
            n += 1
            s += e.value
        }
        if olderNewest >= since {
            n += olderCount
            s += olderSum
        }
        return (n, s)
    }

    /// The events at or after `since` that are still kept, oldest first (for evidence).
    func recent(since: Int64) -> [Event] {
        var all: [Event] = []
        if inline > 0 { all.append(e0) }
        if inline > 1 { all.append(e1) }
        all += more.count < 2 || head == 0 ? more : Array(more[head...] + more[..<head])
        return all.filter { $0.time >= since }
    }
}

/// Distinct values (ids) of one key within a window: each with the last time it was seen, at most
/// `capacity` values (the least recently seen is replaced). The first two values live inline,
/// which is all most keys ever have (an account's one card, a card's one account).
struct DistinctSet {
    private var id0: Int32 = 0
    private var id1: Int32 = 0
    private var t0 = Int64.min
    private var t1 = Int64.min
    /// The latest transaction that carried each value (its `IDLog` reference), for evidence.
    private var x0: Int64 = 0
    private var x1: Int64 = 0
    private var more: [(id: Int32, time: Int64, tx: Int64)] = []

    mutating func add(_ id: Int32, time: Int64, capacity: Int, tx: Int64 = 0) {
        if id0 == id || id0 == 0 {
            id0 = id
            if time >= t0 { (t0, x0) = (time, tx) }
            return
        }
        if id1 == id || id1 == 0 {
            id1 = id
            if time >= t1 { (t1, x1) = (time, tx) }
            return
        }
        for i in more.indices where more[i].id == id {
            if time >= more[i].time { (more[i].time, more[i].tx) = (time, tx) }
            return
        }
        if more.count < capacity - 2 {
            more.append((id, time, tx))
            return
        }
        // Full: replace the least recently seen value.
        var oldest = 0
        for i in more.indices where more[i].time < more[oldest].time { oldest = i }
        if t0 <= t1 && t0 < more[oldest].time {
            (id0, t0, x0) = (id, time, tx)
        } else if t1 < more[oldest].time {
            (id1, t1, x1) = (id, time, tx)
        } else {
            more[oldest] = (id, time, tx)
        }
    }

    func count(since: Int64) -> Int {
        var n = (id0 != 0 && t0 >= since ? 1 : 0) + (id1 != 0 && t1 >= since ? 1 : 0)
        for v in more where v.time >= since { n += 1 }
        return n
    }

    private func all(since: Int64) -> [(id: Int32, time: Int64, tx: Int64)] {
        var all = more
        if id0 != 0 { all.append((id0, t0, x0)) }
        if id1 != 0 { all.append((id1, t1, x1)) }
        return all.filter { $0.time >= since }.sorted { $0.time < $1.time }
    }

    func ids(since: Int64) -> [Int32] { all(since: since).map(\.id) }

    /// The latest transaction (`IDLog` reference) of each value seen since `since`, oldest first.
    func transactions(since: Int64) -> [Int64] { all(since: since).map(\.tx).filter { $0 != 0 } }
}

/// The ids of recent transactions, for evidence, in a fixed-size circular byte log: per-key state
/// refers to an id by its position (8 bytes, no reference counting) instead of keeping a String.
/// An id older than the log's capacity is gone, and evidence says so.
struct IDLog {
    private var bytes: [UInt8]
    private var mask: Int64
    private let maxCapacity: Int
    /// Bytes written so far; positions are offsets into this endless stream.
    private var written: Int64 = 1

    /// Starts small (a rule example needs a few bytes) and doubles up to `capacity`.
    init(capacity: Int) {
        maxCapacity = max(1 << 12, capacity.nextPowerOfTwo)
        bytes = Array(repeating: 0, count: 1 << 12)
        mask = Int64((1 << 12) - 1)
    }

    /// Appends `id` (at most 255 bytes of it); its reference: position << 8 | length.
    mutating func append(_ id: String) -> Int64 {
        var id = id
        return id.withUTF8 { b in
            let n = min(b.count, 255)
            if written + Int64(n) > mask + 1 && bytes.count < maxCapacity { grow() }
            let start = written
            for k in 0..<n { bytes[Int((start + Int64(k)) & mask)] = b[k] }
            written += Int64(n)
            return start << 8 | Int64(n)
        }
    }

    private mutating func grow() {
        let bigger = bytes.count * 2
        var next = [UInt8](repeating: 0, count: bigger)
        let newMask = Int64(bigger - 1)
        for p in max(1, written - mask - 1)..<written { next[Int(p & newMask)] = bytes[Int(p & mask)] }
        bytes = next
        mask = newMask
    }

    /// The id at `ref`, or nil when the log has wrapped past it.
    func id(_ ref: Int64) -> String? {
        let start = ref >> 8, n = Int(ref & 0xFF)
        guard ref != 0, start + Int64(n) <= written, written - start <= mask + 1 else { return nil }
        return String(decoding: (0..<n).map { bytes[Int((start + Int64($0)) & mask)] }, as: UTF8.self)
    }
}

/// A sum over a sliding window in 32 time buckets: a key receiving many events (a creator's gifts)
/// costs 33 slots at most, and the window edge is exact to 1/32 of the window.
///
/// - Complexity: `add` O(1) (bucket `b` lives in slot `b % 33`), `sum` O(33).
struct BucketSum {
    private var buckets: [Int64] = []
    private var sums: [Double] = []

    static let count: Int64 = 32

    mutating func add(_ value: Double, time: Int64, window: Int64) {
        let width = max(window / Self.count, 1)
        let b = time / width
        if buckets.isEmpty {
            buckets = Array(repeating: .min, count: Int(Self.count) + 1)
            sums = Array(repeating: 0, count: Int(Self.count) + 1)
        }
        // Times before 1970 are negative: a floored modulo keeps the slot in range.
        let n = Self.count + 1
        let i = Int(((b % n) + n) % n)
        if buckets[i] == b {
            sums[i] += value
        } else if buckets[i] < b {
            buckets[i] = b
            sums[i] = value
        }
        // else: a row older than the whole window, out of order: too late to count
    }

    func sum(now: Int64, window: Int64) -> Double {
        guard !buckets.isEmpty else { return 0 }
        let width = max(window / Self.count, 1)
        let first = (now - window) / width + 1
        var s = 0.0
        for i in buckets.indices where buckets[i] >= first { s += sums[i] }
        return s
    }
}
