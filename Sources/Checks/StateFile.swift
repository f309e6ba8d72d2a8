import Foundation
import ScanSupport
import Normalise
import Model

/// A state file's life in one run (`scamscan chat --state FILE`): restored at the start (a
/// damaged or foreign file is a warning and an empty start), checked writable before the scan by
/// saving what was restored, saved again between reads once a minute and at the end. A failed save
/// is reported once, remembered (`failed`: the run's exit status is 2) and retried at the next.
public final class StateFile {
    public let path: String
    /// How often `saveIfDue` saves (ms).
    public var every: Int64 = 60_000
    /// Whether a save failed during the run.
    public private(set) var failed = false
    private let clock: Clock
    private let warn: (String) -> Void
    private var lastSave: Int64 = .min

    /// `warn` receives each warning (without the "scamscan: warning: " prefix the CLI adds).
    public init(path: String, clock: Clock, warn: @escaping (String) -> Void) {
        self.path = path
        self.clock = clock
        self.warn = warn
    }

    /// `fresh` restored from the file when there is one; throws when the file cannot be written
    /// (an error before the scan rather than a surprise at its end).
    public func open(_ fresh: SignalState) throws(StateFileError) -> SignalState {
        var state = fresh
        if FileManager.default.fileExists(atPath: path) {
            do {
                try state.restore(from: path)
            } catch {
                warn("state file \(path): \(error.description); starting with no history (it is overwritten at the end)")
                state = fresh
            }
        }
        try state.save(to: path, savedAt: clock.now())
        lastSave = clock.now()
        return state
    }

    /// Saves when `every` has passed since the last save.
    public func saveIfDue(_ state: SignalState) {
        if clock.now() &- lastSave >= every { save(state) }
    }

    /// Saves now; a failure is warned about the first time and marks the run failed.
    public func save(_ state: SignalState) {
        do {
            try state.save(to: path, savedAt: clock.now())
        } catch {
            if !failed {
                warn("cannot save the state file \(path): \(error.description); the scan goes on, the exit status will be 2")
            }
            failed = true
        }
        lastSave = clock.now()
    }
}
