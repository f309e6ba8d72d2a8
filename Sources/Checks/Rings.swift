import ScanSupport
import Normalise
import Model

/// One fixed-size ring of recent events per `LRUTable` slot, in flat arrays: event k of slot s is
/// at `s * size + k`. An event is a time and two 64-bit values (per user: SimHash and first
/// @mention; per channel: SimHash and user). The arrays grow by doubling with the slots in use,
/// never beyond `maxSlots` rings.
struct Rings {
    let size: Int
    let maxSlots: Int
    private(set) var time: [Int64] = []
    private(set) var a: [UInt64] = []
    private(set) var b: [UInt64] = []
    /// Per slot: where the next event goes, and how many are filled.
    private(set) var next: [UInt16] = []
    private(set) var filled: [UInt16] = []

    init(size: Int, maxSlots: Int) {
        self.size = size
        self.maxSlots = maxSlots
    }

    /// Makes room for `slots` rings.
    mutating func ensure(slots: Int) {
        guard slots > next.count else { return }
        let more = max(min(max(16, next.count * 2), maxSlots), slots) - next.count
        next += repeatElement(0, count: more)
        filled += repeatElement(0, count: more)
        time += repeatElement(0, count: more * size)
        a += repeatElement(0, count: more * size)
        b += repeatElement(0, count: more * size)
    }

    /// Empties a slot's ring (its key is new).
    mutating func reset(_ slot: Int) {
        next[slot] = 0
        filled[slot] = 0
    }

    /// Adds an event, dropping the oldest when the ring is full.
    /// - Complexity: O(1).
    mutating func push(_ slot: Int, time t: Int64, _ x: UInt64, _ y: UInt64) {
        let e = slot * size + Int(next[slot])
        time[e] = t
        a[e] = x
        b[e] = y
        next[slot] = UInt16((Int(next[slot]) + 1) % size)
        filled[slot] = UInt16(min(size, Int(filled[slot]) + 1))
    }

    /// Calls `body` with the index of each event of the slot at or after `since`.
    /// - Complexity: O(size).
    @inline(__always)
    func forEach(_ slot: Int, since: Int64, _ body: (Int) -> Void) {
        let base = slot * size
        for k in 0..<Int(filled[slot]) where time[base + k] >= since { body(base + k) }
    }

    /// Appends a slot's ring to a state file: next:u16 filled:u16, then size × (time:i64 a:u64 b:u64).
    func write(_ slot: Int, into out: inout [UInt8]) {
        SignalState.put(&out, next[slot])
        SignalState.put(&out, filled[slot])
        for e in slot * size..<(slot + 1) * size {
            SignalState.put(&out, UInt64(bitPattern: time[e]))
            SignalState.put(&out, a[e])
            SignalState.put(&out, b[e])
        }
    }

    /// Reads a slot's ring written by `write`.
    mutating func read(_ slot: Int, from r: inout SignalState.Reader) throws(StateFileError) {
        let n: UInt16 = try r.read(), f: UInt16 = try r.read()
        guard Int(n) < size, Int(f) <= size else { throw StateFileError("damaged: a history position is out of range") }
        next[slot] = n
        filled[slot] = f
        for e in slot * size..<(slot + 1) * size {
            time[e] = Int64(bitPattern: try r.read())
            a[e] = try r.read()
            b[e] = try r.read()
        }
    }
}
