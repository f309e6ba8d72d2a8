import Testing
@testable import ScamScan
@testable import ScanSupport
@testable import Normalise
@testable import Stream
@testable import Model
@testable import Checks
@testable import Score
@testable import Transactions
@testable import Output
@testable import Pipeline
@testable import Regression

@Suite struct LatencyHistogramTests {
    @Test func quantilesAreWithinABucketOfTheTrueValue() {
        var h = LatencyHistogram()
        #expect(h.quantile(0.5) == 0 && h.count == 0)
        // 1..10000 ns, each once: the true median is 5000, the true p99 9900.
        for ns in 1...10_000 { h.record(UInt64(ns)) }
        #expect(h.count == 10_000 && h.mean == 5000.5)
        let median = h.quantile(0.5), p99 = h.quantile(0.99)
        #expect(abs(median - 5000) / 5000 < 0.09, "median \(median)")
        #expect(abs(p99 - 9900) / 9900 < 0.09, "p99 \(p99)")
        #expect(h.quantile(0) <= 2 && h.quantile(1) >= 9000)
    }

    @Test func bucketsAreOrderedAndCoverEveryDuration() {
        var last = -1
        for ns: UInt64 in [0, 1, 7, 8, 9, 15, 16, 100, 1000, 123_456, 1 << 40, UInt64.max] {
            let k = LatencyHistogram.bucket(ns)
            #expect(k >= last, "\(ns) -> \(k)")
            #expect(LatencyHistogram.lowerBound(k) <= Double(ns) || k == 8 * 40 - 1)
            last = k
        }
        // A single huge duration lands in the last bucket instead of out of range.
        var h = LatencyHistogram()
        h.record(.max)
        #expect(h.count == 1 && h.quantile(0.5) > 1e12)
    }
}
