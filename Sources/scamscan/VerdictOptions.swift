import ArgumentParser
import Foundation
import ScamScan

/// The options `chat` and `tx` share for verdicts and how they are shown.
struct VerdictOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Score at which a record is flagged for review (default: the pack's).", valueName: "SCORE"))
    var threshold: Double?

    @Option(help: ArgumentHelp("Score at which a record is blocked (default: the pack's).", valueName: "SCORE"))
    var blockThreshold: Double?

    @Option(help: "Highlight verdicts and matches: auto, always or never.")
    var color: TerminalMode = .auto

    /// The pack's thresholds with the command line's overrides (block never below review).
    func thresholds(_ pack: CompiledPack) -> Thresholds {
        var t = pack.settings.thresholds
        if let threshold { t.review = threshold }
        if let blockThreshold { t.block = blockThreshold }
        if t.block < t.review { t.block = t.review }
        return t
    }

    /// Whether to colour `out`: `always`, or `auto` on a terminal unless NO_COLOR or TERM=dumb.
    func useColor(_ out: ByteWriter) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return color == .always || (color == .auto && out.isTerminal && env["NO_COLOR"] == nil && env["TERM"] != "dumb")
    }
}
