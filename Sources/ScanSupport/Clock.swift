import Foundation

/// Where "now" comes from (ms since the epoch), passed in to whatever needs it: the event time
/// of a record without a timestamp, the "more than a day ahead" check, the time a state file was
/// saved. The classifier never reads the wall clock itself, so a verdict is reproducible from the
/// input, the pack and the clock (tests and replays pass a fixed one).
public struct Clock: Sendable {
    private let read: @Sendable () -> Int64

    public init(_ read: @escaping @Sendable () -> Int64) { self.read = read }

    /// The current time in ms since the epoch.
    @inline(__always) public func now() -> Int64 { read() }

    /// The system's real-time clock.
    public static let wall = Clock {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// A clock that always says `ms`.
    public static func fixed(_ ms: Int64) -> Clock { Clock { ms } }
}
