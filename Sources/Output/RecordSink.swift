import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions

/// Where classified records go. Printers are sinks; the scanner pushes each record once, in input
/// order (ripgrep's `Sink`).
public protocol RecordSink: AnyObject {
    /// Writes one record. `source` names the input (`-` for stdin).
    func write(_ record: ChatRecord, source: String, classification: Classification) throws
}

/// The output formats of `scamscan chat`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, jsonl
}
