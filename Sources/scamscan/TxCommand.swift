import ArgumentParser
import Foundation
import ScamScan

struct TxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Flag risky transactions in coin purchase, gift, refund, chargeback and redeem exports.",
        discussion: """
        Reads each FILE (CSV with a header, or JSON Lines; standard input when none is given, or for '-') in time order and writes the flagged transactions with score, verdict and the reasons of each rule, naming the related transactions. Columns follow the canonical schema (docs/TRANSACTIONS.md): id, timestamp, account, type are required; other names come from --map or the pack's transaction_columns.

        A bad row is reported on stderr with its line and column, counted, and the scan goes on. A missing required column stops that input (exit 2) and names the columns found.

        Exit status: 0 if a transaction was flagged, 1 if none was, 2 on an error.

        Examples:
          scamscan tx Corpus/transactions/sample.csv
          scamscan tx --summary --output csv export.csv > risky-accounts.csv
          scamscan tx --map account=user_id --map timestamp=created_at payments.csv
          scamscan tx --output jsonl --all events.jsonl > scored.jsonl
        """)

    @OptionGroup var rules: RuleOptions

    @Argument(help: ArgumentHelp("Export files to scan; '-' or none reads standard input.", valueName: "FILE"))
    var files: [String] = []

    @Option(name: .customLong("input"), help: "Input format: csv, jsonl or auto (by extension, else the first byte).")
    var input: TxFormat = .auto

    @Option(name: .customLong("map"), help: ArgumentHelp(
        "Read a canonical field from another column, e.g. account=user_id; repeatable.", valueName: "FIELD=COLUMN"))
    var maps: [String] = []

    @Option(name: .customLong("output"), help: "Output format: text, jsonl or csv.")
    var output: TxOutputFormat = .text

    @Flag(help: "Write every transaction, flagged or not (rows out = rows scored).")
    var all = false

    @Flag(help: "Write the accounts and creators with flagged transactions, by risk, instead of the transactions.")
    var summary = false

    @OptionGroup var verdict: VerdictOptions

    @Option(help: ArgumentHelp("How much older than the latest row a row may be and still count as in order, e.g. 1h.", valueName: "DURATION"))
    var maxLateness: String = "1h"

    @Option(help: ArgumentHelp("Most keys (accounts, creators, instruments, ...) kept per state table; the least recently seen go first.", valueName: "N"))
    var maxKeys: Int = 1_000_000

    @Option(help: ArgumentHelp("Longest row accepted (a longer one is reported and skipped).", valueName: "N"))
    var maxRowBytes: Int = CSVReader.defaultMaxRecordBytes

    @Option(help: ArgumentHelp("Most line ends one CSV row may span inside quoted fields; past it the quote that opened is taken for a stray one and reading resumes at the line after it.", valueName: "N"))
    var maxRowLines: Int = CSVReader.defaultMaxRecordLines

    @Option(help: "Progress line on stderr: auto (when stderr is a terminal), always or never.")
    var progress: TerminalMode = .auto

    @Flag(help: "Print counts (rows, bad rows, late rows, verdicts, state keys, seconds) on stderr.")
    var stats = false

    nonisolated(unsafe) static var retained: AnyObject?

    func validate() throws {
        guard TxDuration.parse(maxLateness) != nil else {
            throw ValidationError("--max-lateness takes a duration such as 30m, 1h or 2d (got '\(maxLateness)')")
        }
        guard maxKeys >= 1 else { throw ValidationError("--max-keys must be at least 1 (got \(maxKeys))") }
        guard maxRowBytes >= 16 && maxRowBytes <= 1 << 30 else {
            throw ValidationError("--max-row-bytes must be from 16 to 1073741824 (got \(maxRowBytes))")
        }
        guard maxRowLines >= 1 && maxRowLines <= 1_000_000 else {
            throw ValidationError("--max-row-lines must be from 1 to 1000000 (got \(maxRowLines))")
        }
        var map = TxColumnMap()
        for spec in maps {
            do { try map.set(spec) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let started = Date()
        let pack = try rules.load()
        let thresholds = verdict.thresholds(pack)
        guard pack.rules.contains(where: { $0.kind.isTransaction }) else {
            throw CLIError("the rule pack has no transaction rules (kinds tx_*); see docs/TRANSACTIONS.md")
        }

        var options = TxScanOptions()
        options.format = input
        options.columns = TxColumnMap(aliases: pack.settings.transactionColumns)
        for spec in maps { try options.columns.set(spec) }
        options.all = all
        options.summary = summary
        options.maxRowBytes = maxRowBytes
        options.maxRowLines = maxRowLines

        let out = ByteWriter(fd: 1)
        let err = ByteWriter(fd: 2, bufferSize: 4096)
        options.progress = progress.isOn(terminal: err.isTerminal)
        let useColor = verdict.useColor(out)
        let inputs = files.isEmpty ? ["-"] : files
        let sink: TxSink = switch output {
        case .jsonl: TxJSONLinesPrinter(out: out, rules: pack.rules)
        case .csv: TxCSVPrinter(out: out, rules: pack.rules, summaryOnly: summary)
        case .text: TxTextPrinter(out: out, rules: pack.rules, color: useColor, showSource: inputs.count > 1)
        }
        let engine = TxEngine(rules: pack.rules, thresholds: thresholds, maxKeys: maxKeys,
                              outOfOrderTolerance: TxDuration.parse(maxLateness)!)
        let scanner = TxScanner(engine: engine, options: options, sink: sink, out: out, err: err)
        do {
            for path in inputs { try scanner.scan(path: path) }
            try scanner.finish()
        } catch is BrokenPipe {
            throw ExitCode(0)
        }
        // The state can be hundreds of MB in small blocks: exiting without freeing it saves the
        // time of walking it.
        Self.retained = scanner
        if stats {
            err.write(scanner.statsText(seconds: Date().timeIntervalSince(started)))
            try? err.flush()
        }
        if scanner.stats.inputErrors > 0 { throw ExitCode(2) }
        throw ExitCode(scanner.stats.flagged > 0 ? 0 : 1)
    }
}
