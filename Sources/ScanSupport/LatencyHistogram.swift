#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Durations in nanoseconds, kept as counts in log-scale buckets (8 per doubling, so a quantile is
/// within 9% of the true value) in fixed memory, for `--stats`: the median and p99 of a cost per
/// record over any number of records.
public struct LatencyHistogram: Sendable {
    /// Bucket k (k >= 8) holds durations in [2^(k/8) .. 2^((k+1)/8)) ns, roughly; below 8 ns, one
    /// bucket per nanosecond.
    private var counts = [Int](repeating: 0, count: 8 * 40)
    public private(set) var count = 0
    public private(set) var total: UInt64 = 0

    public init() {}

    /// The monotonic clock in nanoseconds.
    @inline(__always)
    public static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }

    @inline(__always)
    static func bucket(_ ns: UInt64) -> Int {
        if ns < 8 { return Int(ns) }
        let octave = 63 - ns.leadingZeroBitCount          // 2^octave <= ns
        let fraction = Int((ns >> UInt64(octave - 3)) & 7) // the next 3 bits
        return min(octave * 8 + fraction - 16, 8 * 40 - 1) // octave 3 (8 ns) starts at bucket 8
    }

    /// The smallest duration of bucket `k`.
    static func lowerBound(_ k: Int) -> Double {
        if k < 8 { return Double(k) }
        let octave = (k + 16) / 8, fraction = (k + 16) % 8
        return Double(UInt64(1) << UInt64(octave)) * (1 + Double(fraction) / 8)
    }

    @inline(__always)
    public mutating func record(_ ns: UInt64) {
        counts[Self.bucket(ns)] += 1
        count += 1
        total &+= ns
    }

    /// The `q` quantile (0...1) in nanoseconds: the middle of the bucket it falls in; 0 when empty.
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (k, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank { return (Self.lowerBound(k) + Self.lowerBound(k + 1)) / 2 }
        }
        return Self.lowerBound(counts.count)
    }

    public var mean: Double { count == 0 ? 0 : Double(total) / Double(count) }
}
