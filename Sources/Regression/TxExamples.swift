import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output
import Pipeline

/// Runs a transaction rule's own examples. An example is a small CSV export with the canonical
/// header; a `match:` example passes when the rule hits its last row, a `no_match:` example when
/// the rule hits none of its rows. The rule runs alone, with fresh state, through the same
/// scanner as `scamscan tx`.
public enum TxExamples {
    public enum Outcome: Equatable {
        /// Per row: whether the rule hit it.
        case rows([Bool])
        /// The example is not a readable export.
        case invalid(String)
    }

    public static func run(_ rule: Rule, _ text: String) -> Outcome {
        let recorder = Recorder()
        var options = TxScanOptions()
        options.all = true
        // Problems go to this writer's buffer (never flushed: its descriptor is not a file).
        let err = ByteWriter(fd: -1, bufferSize: 1 << 20)
        let scanner = TxScanner(engine: TxEngine(rules: [rule], thresholds: .default), options: options, sink: recorder,
                                out: ByteWriter(fd: -1), err: err)
        do {
            try scanner.scan(text: text, source: "example")
        } catch {
            return .invalid("\(error)")
        }
        if scanner.stats.badRows + scanner.stats.inputErrors > 0 {
            let first = String(decoding: err.buffer, as: UTF8.self).split(separator: "\n").first ?? "unreadable"
            return .invalid(String(first.hasPrefix("scamscan: ") ? first.dropFirst(10) : first))
        }
        if recorder.fired.isEmpty { return .invalid("the example has no rows after its header") }
        return .rows(recorder.fired)
    }

    private final class Recorder: TxSink {
        var fired: [Bool] = []
        func write(_ tx: Transaction, source: String, classification c: TxClassification) throws {
            fired.append(c.hits.contains { $0.rule == 0 })
        }
        func finish(summary: TxSummary?) throws {}
    }
}
