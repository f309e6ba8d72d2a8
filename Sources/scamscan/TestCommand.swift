import ArgumentParser
import Foundation
import ScamScan

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Regression-test rule packs: every rule's examples and every labelled corpus, with precision and recall.",
        discussion: """
        Runs every rule's own match/no_match examples, then each labelled corpus file through the full pipeline, comparing each record's verdict (and, when flagged, its category) with its label. Prints precision, recall and F1 overall and per category, each rule's hits on scam and ham (S/O), rules that never fire and rules that fire only with another.

        A corpus is a directory with chat files in chat/ (or a chat file), each with NAME.labels.tsv beside it: line<TAB>label<TAB>verdict<TAB>note. Default: ./Corpus when it exists. Chat files in its ordinary/ directory are real chat with no scams in it: every flag there is a false alarm, and test reports the flag rate and block rate on it, overall and per rule (with a baseline, a rise fails). Transaction exports in its transactions/ directory with NAME.labels.tsv (id<TAB>expected rule ids or -<TAB>note) run through the transaction rules: every expected rule must hit its row, no rule may hit a '-' row, and no unlabelled row may be flagged.

        With --baseline FILE, the run is compared with a stored one: scams now missed and innocent messages now flagged are listed with the rules responsible and the score change; records that passed and no longer do, a precision/recall/F1 drop beyond --tolerance, or a rise of the flag or block rate on ordinary chat beyond it, fail. --update-baseline writes FILE instead.

        Exit status: 0 all pass, 1 a failing example or a regression, 2 an error (bad pack, corpus or baseline).

        Examples:
          scamscan test
          scamscan test --rules Rules --corpus Corpus --junit test-results.xml
          scamscan test --baseline Corpus/baseline.json
          scamscan test --baseline Corpus/baseline.json --update-baseline
        """)

    @OptionGroup var rules: RuleOptions

    @OptionGroup var corpus: CorpusOptions

    @Option(help: ArgumentHelp("Compare with this stored result.", valueName: "FILE"))
    var baseline: String?

    @Flag(help: "Write the result to the --baseline file instead of comparing.")
    var updateBaseline = false

    @Option(help: ArgumentHelp("How far overall precision, recall or F1, or a category's F1, may fall below the baseline, and the ordinary-chat flag or block rate rise above it, before the run fails (default 0).", valueName: "X"))
    var tolerance: Double = 0

    @Option(help: ArgumentHelp("Also write JUnit XML to FILE.", valueName: "FILE"))
    var junit: String?

    @Option(name: .customLong("output"), help: "Report format: text (default) or jsonl.")
    var output: ReportFormat = .text

    @Flag(help: "Run only the rules' own match/no_match examples, with no corpus (a corpus is otherwise required).")
    var examplesOnly = false

    @Flag(help: "List every mismatch, rule statistic and verdict change.")
    var verbose = false

    func validate() throws {
        if examplesOnly && (baseline != nil || !corpus.corpora.isEmpty) { throw ValidationError("--examples-only runs no corpus; drop --corpus and --baseline") }
        if updateBaseline && baseline == nil { throw ValidationError("--update-baseline needs --baseline FILE (the file to write)") }
        guard tolerance >= 0 && tolerance <= 1 else { throw ValidationError("--tolerance must be between 0 and 1 (got \(tolerance))") }
    }

    func run() throws {
        let started = Date()
        // With --junit, every way the run can fail to start still writes the report (with the
        // problems as failures), so CI never shows an earlier run's file.
        let reportLoadFailure: ([String]) -> Void = { problems in
            guard let junit else { return }
            let xml = TestReport.junit(loadFailures: problems, seconds: Date().timeIntervalSince(started))
            try? xml.write(toFile: junit, atomically: true, encoding: .utf8)
        }
        let pack = try rules.load(onFailure: reportLoadFailure)
        let corpus = examplesOnly ? [] : try self.corpus.load(onFailure: reportLoadFailure)
        let err = ByteWriter(fd: 2, bufferSize: 4096)
        let run: RegressionRun
        do {
            run = try RegressionRun.run(pack: pack, corpus: corpus, ordinary: examplesOnly ? [] : OrdinaryChat.files(in: self.corpus.paths),
                                        err: err, progress: err.isTerminal)
        } catch let error as RulePackError {
            reportLoadFailure(error.diagnostics.map(\.description))
            try fail(error)
        }
        var diff: BaselineDiff?
        if let baseline, !updateBaseline {
            do {
                diff = BaselineDiff(baseline: try Baseline.read(baseline), run: run, pack: pack, tolerance: tolerance)
            } catch {
                reportLoadFailure(error.diagnostics.map(\.description))
                try fail(error)
            }
        }
        var transactions: [TxCorpusResult] = []
        do {
            let columns = TxColumnMap(aliases: pack.settings.transactionColumns)
            for file in examplesOnly ? [] : try TxCorpus.load(self.corpus.paths, rules: pack.rules) {
                transactions.append(try TxCorpus.run(file, pack: pack, columns: columns, err: err))
            }
        } catch let error as RulePackError {
            reportLoadFailure(error.diagnostics.map(\.description))
            try fail(error)
        }
        if !examplesOnly && !run.records.contains(where: { $0.label != nil }) && transactions.isEmpty {
            let message = "the corpus (\(self.corpus.paths.joined(separator: ", "))) holds no labelled records: label lines in chat/NAME.labels.tsv, or pass --examples-only to run only the rules' own examples"
            reportLoadFailure(["scamscan: " + message])
            throw CLIError(message)
        }
        if updateBaseline, let baseline {
            do {
                try Baseline(run, pack: pack).json().write(toFile: baseline, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("\(baseline): cannot write the baseline: \(error.localizedDescription)")
            }
        }
        let report = TestReport(run: run, diff: diff, ruleCount: pack.rules.count, transactions: transactions)
        let seconds = Date().timeIntervalSince(started)
        if let junit {
            do {
                try report.junit(seconds: seconds).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("\(junit): cannot write JUnit XML: \(error.localizedDescription)")
            }
        }
        var text = output == .jsonl ? report.jsonl() : report.text(verbose: verbose)
        if updateBaseline, let baseline, output == .text { text += "baseline written to \(baseline)\n" }
        FileHandle.standardOutput.write(Data(text.utf8))
        if report.failed && !updateBaseline { throw ExitCode(1) }
    }

    private func fail(_ error: RulePackError) throws -> Never {
        FileHandle.standardError.write(Data(error.diagnostics.map { "\($0)\n" }.joined().utf8))
        throw ExitCode(2)
    }
}
