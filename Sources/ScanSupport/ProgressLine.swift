import Foundation

/// A one-line progress message on a terminal (stderr): shown after the first second, refreshed at
/// most twice a second, erased before other output shares the screen and at the end.
public final class ProgressLine {
    private let err: ByteWriter
    private let enabled: Bool
    private let started = Date()
    private var last = Date.distantPast
    /// The line is on the screen now.
    public private(set) var shown = false

    public init(err: ByteWriter, enabled: Bool) {
        self.err = err
        self.enabled = enabled
    }

    /// Seconds since the start when a refresh is due, else nil (disabled, too early, too soon).
    public func due() -> Double? {
        guard enabled else { return nil }
        let now = Date()
        let seconds = now.timeIntervalSince(started)
        guard seconds > 1, now.timeIntervalSince(last) >= 0.5 else { return nil }
        last = now
        return seconds
    }

    /// Replaces the line with `text` (not flushed).
    public func show(_ text: String) {
        err.write("\r\u{1B}[K" + text)
        shown = true
    }

    /// Erases the line if it is shown (not flushed).
    public func clear() {
        guard shown else { return }
        err.write("\r\u{1B}[K")
        shown = false
    }
}
