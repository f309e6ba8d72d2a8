import ArgumentParser
import ScamScan

// The option values that are one of a few words, as types: ArgumentParser refuses any other
// word with the list of choices, and `--help` shows them ("values: ...").

/// `--progress` and `--color`: on when stdout/stderr is a terminal, always, or never.
enum TerminalMode: String, CaseIterable, ExpressibleByArgument {
    case auto, always, never

    /// Whether the mode is on for a stream that `isTerminal` or not.
    func isOn(terminal isTerminal: Bool) -> Bool { self == .always || (self == .auto && isTerminal) }
}

/// `scamscan test --output`.
enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case text, jsonl
}

extension ChatFormat: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension TxFormat: ExpressibleByArgument {}
extension TxOutputFormat: ExpressibleByArgument {}
extension CompiledPack.Engine: ExpressibleByArgument {}
extension TextView: ExpressibleByArgument {}
