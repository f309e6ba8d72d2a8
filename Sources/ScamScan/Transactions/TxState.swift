/// Per-key state of the transaction detectors, bounded in time and in count.
///
/// Every table remembers when each key was last seen; `sweep` drops keys idle for longer than the
/// table's retention, and, past `maxKeys`, the least recently seen keys (counted as evicted, so
/// the scan can report that its memory cap was reached). Memory is therefore bounded by the keys
/// active within the longest window, and never above the cap, on an endless export.
struct KeyedTable<State> {
    private(set) var index: [String: Int] = [:]
    private(set) var keys: [String] = []
    var states: [State] = []
    private(set) var lastSeen: [Int64] = []
    private var free: [Int] = []
    let retention: Int64
    let maxKeys: Int
    private(set) var evicted = 0

    init(retention: Int64, maxKeys: Int) {
        self.retention = retention
        self.maxKeys = max(maxKeys, 1)
    }

    var count: Int { index.count }

    func find(_ key: String) -> Int? { index[key] }

    /// The slot of `key`, created with `make()` when new; `isNew` tells which.
    mutating func slot(_ key: String, time: Int64, make: () -> State) -> (slot: Int, isNew: Bool) {
        if let i = index[key] {
            if time > lastSeen[i] { lastSeen[i] = time }
            return (i, false)
        }
        let i: Int
        if let reuse = free.popLast() {
            i = reuse
            keys[i] = key
            states[i] = make()
            lastSeen[i] = time
        } else {
            i = keys.count
            keys.append(key)
            states.append(make())
            lastSeen.append(time)
        }
        index[key] = i
        return (i, true)
    }

    /// Drops keys not seen since `now - retention`, then the oldest keys beyond `maxKeys`.
    mutating func sweep(now: Int64, empty: State) {
        let cutoff = now - retention
        for (key, i) in index where lastSeen[i] < cutoff { drop(key, i, empty) }
        if index.count > maxKeys {
            let times = index.values.map { lastSeen[$0] }.sorted()
            let limit = times[index.count - maxKeys]
            for (key, i) in index where lastSeen[i] < limit || (index.count > maxKeys && lastSeen[i] == limit) {
                drop(key, i, empty)
                evicted += 1
            }
        }
    }

    private mutating func drop(_ key: String, _ i: Int, _ empty: State) {
        index[key] = nil
        keys[i] = ""
        states[i] = empty  // release the state's arrays
        free.append(i)
    }
}

/// Recent events of one key, newest last, at most `capacity`; older events still inside a window
/// are folded into one overflow count and sum (kept until the newest of them leaves the window),
/// so counts and sums over a window are exact up to `capacity` events and never undercount.
struct EventRing {
    struct Event {
        var time: Int64
        var value: Double
        var label: String
    }
    private(set) var events: [Event] = []
    private var head = 0
    private var olderCount = 0
    private var olderSum = 0.0
    private var olderNewest = Int64.min

    mutating func add(_ e: Event, capacity: Int) {
        if events.count < capacity {
            events.append(e)
            return
        }
        let old = events[head]
        olderCount += 1
        olderSum += old.value
        olderNewest = max(olderNewest, old.time)
        events[head] = e
        head = (head + 1) % capacity
    }

    /// Count and sum of events at or after `since`.
    func total(since: Int64) -> (count: Int, sum: Double) {
        var n = 0
        var s = 0.0
        for e in events where e.time >= since {
            n += 1
            s += e.value
        }
        if olderNewest >= since {
            n += olderCount
            s += olderSum
        }
        return (n, s)
    }

    /// The events at or after `since`, oldest first (for evidence).
    func recent(since: Int64) -> [Event] {
        let ordered = events.count < 2 || head == 0 ? events : Array(events[head...] + events[..<head])
        return ordered.filter { $0.time >= since }
    }
}

/// Distinct values of one key within a window: each value with the last time it was seen, at most
/// `capacity` values (the least recently seen is replaced).
struct DistinctSet {
    private(set) var values: [(label: String, time: Int64)] = []

    mutating func add(_ label: String, time: Int64, capacity: Int) {
        if let i = values.firstIndex(where: { $0.label == label }) {
            if time > values[i].time { values[i].time = time }
            return
        }
        if values.count < capacity {
            values.append((label, time))
            return
        }
        var oldest = 0
        for i in values.indices where values[i].time < values[oldest].time { oldest = i }
        values[oldest] = (label, time)
    }

    func count(since: Int64) -> Int {
        var n = 0
        for v in values where v.time >= since { n += 1 }
        return n
    }

    func labels(since: Int64) -> [String] {
        values.filter { $0.time >= since }.sorted { $0.time < $1.time }.map(\.label)
    }
}

/// A sum over a sliding window in 32 time buckets: a key receiving many events (a creator's gifts)
/// costs 32 slots, and the window edge is exact to 1/32 of the window.
struct BucketSum {
    private var slots: [(bucket: Int64, sum: Double)] = []

    static let buckets: Int64 = 32

    mutating func add(_ value: Double, time: Int64, window: Int64) {
        let width = max(window / Self.buckets, 1)
        let b = time / width
        if let i = slots.firstIndex(where: { $0.bucket == b }) {
            slots[i].sum += value
            return
        }
        if slots.count >= Int(Self.buckets) + 1 {
            var oldest = 0
            for i in slots.indices where slots[i].bucket < slots[oldest].bucket { oldest = i }
            slots[oldest] = (b, value)
        } else {
            slots.append((b, value))
        }
    }

    func sum(now: Int64, window: Int64) -> Double {
        let width = max(window / Self.buckets, 1)
        let first = (now - window) / width + 1
        var s = 0.0
        for slot in slots where slot.bucket >= first { s += slot.sum }
        return s
    }
}
