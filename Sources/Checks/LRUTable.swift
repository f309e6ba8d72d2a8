import ScanSupport
import Normalise
import Model

/// Keys (64-bit keyed hashes of users, channels or channel-user pairs) mapped to dense slots, at
/// most `capacity` of them: inserting into a full table evicts the least recently used key, and
/// keys idle for longer than the retention are dropped first. Callers keep per-key state in
/// arrays indexed by slot.
///
/// Invariant: `count <= capacity` and `slotCount <= capacity` at all times; a slot is reused only
/// after its key is gone.
struct LRUTable {
    let capacity: Int
    private(set) var count = 0
    /// Slots handed out so far (per-slot arrays need this many entries); never above `capacity`.
    private(set) var slotCount = 0
    private(set) var keys: [UInt64] = []
    private(set) var lastSeen: [Int64] = []
    /// The recency list: `head` is the most recent slot, `tail` the least.
    private var newer: [Int32] = []
    private var older: [Int32] = []
    private var head: Int32 = -1
    private var tail: Int32 = -1
    private var free: [Int32] = []
    /// Open addressing with linear probing: slot + 1, 0 empty.
    private var index: [Int32]
    private var mask: Int
    /// Keys pushed out by the capacity before their retention ran out.
    private(set) var evicted = 0
    /// Keys dropped after their retention.
    private(set) var expired = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        index = [Int32](repeating: 0, count: 16)
        mask = 15
    }

    /// The slot of `key`, or nil.
    /// - Complexity: O(1) expected.
    func find(_ key: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
            let s = index[i]
            if s == 0 { return nil }
            if keys[Int(s) - 1] == key { return Int(s) - 1 }
            i = (i + 1) & mask
        }
    }

    /// Marks `key` seen at `now` (the most recent), adding it if absent; first drops keys not
    /// seen since `expireBefore`, and when full the least recently used key.
    /// - Returns: the key's slot, and whether it was added (its per-slot state must be reset).
    /// - Complexity: O(1) amortized.
    mutating func touch(_ key: UInt64, now: Int64, expireBefore: Int64) -> (slot: Int, added: Bool) {
        if let slot = find(key) {
            if lastSeen[slot] < now { lastSeen[slot] = now }
            moveToHead(Int32(slot))
            return (slot, false)
        }
        while tail >= 0 && lastSeen[Int(tail)] < expireBefore {
            remove(Int(tail))
            expired += 1
        }
        if count == capacity {
            remove(Int(tail))
            evicted += 1
        }
        let slot: Int
        if let reused = free.popLast() {
            slot = Int(reused)
            keys[slot] = key
            lastSeen[slot] = now
        } else {
            slot = slotCount
            slotCount += 1
            keys.append(key)
            lastSeen.append(now)
            newer.append(-1)
            older.append(-1)
        }
        count += 1
        if count * 2 > index.count { growIndex() }
        insertIndex(key, slot: slot)
        newer[slot] = -1
        older[slot] = head
        if head >= 0 { newer[Int(head)] = Int32(slot) }
        head = Int32(slot)
        if tail < 0 { tail = Int32(slot) }
        return (slot, true)
    }

    /// Live slots from the least to the most recently used (the order to save and restore in).
    var slotsOldestFirst: [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        var s = tail
        while s >= 0 {
            result.append(Int(s))
            s = newer[Int(s)]
        }
        return result
    }

    private mutating func moveToHead(_ s: Int32) {
        guard head != s else { return }
        unlink(s)
        newer[Int(s)] = -1
        older[Int(s)] = head
        if head >= 0 { newer[Int(head)] = s }
        head = s
        if tail < 0 { tail = s }
    }

    private mutating func unlink(_ s: Int32) {
        let n = newer[Int(s)], o = older[Int(s)]
        if n >= 0 { older[Int(n)] = o } else { head = o }
        if o >= 0 { newer[Int(o)] = n } else { tail = n }
    }

    private mutating func remove(_ slot: Int) {
        unlink(Int32(slot))
        removeIndex(keys[slot])
        free.append(Int32(slot))
        count -= 1
    }

    private mutating func insertIndex(_ key: UInt64, slot: Int) {
        var i = Int(truncatingIfNeeded: key) & mask
        while index[i] != 0 { i = (i + 1) & mask }
        index[i] = Int32(slot + 1)
    }

    /// Deletes by shifting later entries of the probe run back (no tombstones).
    private mutating func removeIndex(_ key: UInt64) {
        var i = Int(truncatingIfNeeded: key) & mask
        while keys[Int(index[i]) - 1] != key { i = (i + 1) & mask }
        var hole = i
        var j = i
        while true {
            j = (j + 1) & mask
            let s = index[j]
            if s == 0 { break }
            let home = Int(truncatingIfNeeded: keys[Int(s) - 1]) & mask
            // Move the entry at j into the hole unless its home lies cyclically in (hole, j].
            let inRange = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if !inRange {
                index[hole] = s
                hole = j
            }
        }
        index[hole] = 0
    }

    private mutating func growIndex() {
        let size = index.count * 2
        index = [Int32](repeating: 0, count: size)
        mask = size - 1
        var s = tail
        while s >= 0 {
            insertIndex(keys[Int(s)], slot: Int(s))
            s = newer[Int(s)]
        }
    }
}
