import ArgumentParser
import Foundation
import ScamScan

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Fit rule scores to the labelled corpus and report precision and recall before and after.",
        discussion: """
        Classifies every labelled record, then fits one weight per rule by L2-regularised logistic regression on which rules hit (scam or ham), scaled so that the pack's review threshold is the 50% point, and rounded to 0.5. Rules that never fire keep their score.

        The fit is judged by k-fold cross-validation (--folds): each record is scored by weights fitted without its fold, and precision and recall at the review threshold are printed for the current scores and the fitted ones. When the fitted scores do worse (lower precision or F1), tune says so loudly.

        Prints the rules whose suggested score (fitted on every record) differs. The pack is not changed unless --write is given; then each changed score is rewritten in place in its rule file (review the diff before committing it). --write refuses, with exit status 1, when the fit does worse on the held-out folds, unless --force is given.

        Examples:
          scamscan tune
          scamscan tune --corpus Corpus --lambda 0.05
          scamscan tune --write
        """)

    @OptionGroup var rules: RuleOptions

    @OptionGroup var corpus: CorpusOptions

    @Option(help: "L2 regularisation strength (larger keeps scores nearer zero).")
    var lambda: Double = 0.0003

    @Option(help: ArgumentHelp("Cross-validation folds that judge the fit (2 to 20).", valueName: "K"))
    var folds: Int = 5

    @Flag(help: "Rewrite the changed scores in the rule files (refused when the fit does worse on the held-out folds, unless --force).")
    var write = false

    @Flag(help: "With --write, rewrite the scores even when the fit does worse on the held-out folds.")
    var force = false

    func validate() throws {
        guard (2...20).contains(folds) else { throw ValidationError("--folds must be between 2 and 20 (got \(folds))") }
        if force && !write { throw ValidationError("--force only applies with --write") }
    }

    func run() throws {
        let pack = try rules.load()
        let corpus = try self.corpus.load()
        guard !corpus.isEmpty else { throw CLIError("no labelled corpus; pass --corpus DIR") }
        let run = try RegressionRun.run(pack: pack, corpus: corpus, err: ByteWriter(fd: 2, bufferSize: 4096), progress: isatty(2) == 1)
        let tuning = Tuning(records: run.records, pack: pack, lambda: lambda, folds: folds)
        guard !tuning.folds.isEmpty else {
            throw CLIError("only \(tuning.recordCount) labelled records: too few to fit and judge \(folds) folds; label more")
        }
        var out = "\(tuning.recordCount) labelled records; the fit is judged by \(tuning.folds.count)-fold cross-validation (each record scored by weights fitted without it), review at \(formatScore(pack.settings.thresholds.review))\n"
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        func line(_ name: String, _ c: Confusion) -> String {
            "\(name): precision \(figure(c.definedPrecision)) recall \(figure(c.definedRecall)) F1 \(figure(c.definedF1)) (TP \(c.tp) FP \(c.fp) FN \(c.fn) TN \(c.tn))\n"
        }
        out += line("held out, current scores", tuning.before) + line("held out, fitted scores", tuning.after)
        let worseFolds = tuning.folds.filter { ($0.after.definedF1 ?? 0) < ($0.before.definedF1 ?? 0) }.count
        if tuning.isWorse {
            out += "WARNING: the fitted scores do worse than the current ones on the held-out folds (\(worseFolds) of \(tuning.folds.count) folds have a lower F1): keep the current scores, label more records, or try another --lambda\n"
        }
        // A model that learned these very records looks better on them than it is, and takes score
        // from the rules; say so rather than let its fitted score pass for a held-out one.
        for m in run.model?.models ?? [] where !m.trainedOn.isEmpty {
            out += "note: \(m.rule) was trained on \(m.trainedOn.joined(separator: ", ")): its fit here is optimistic and pulls score from the rules; "
                + "tune on a corpus it was not trained on, or retrain it without these files (scamscan learn)\n"
        }
        let changed = tuning.suggestions.filter { $0.suggested != $0.current }
        out += "suggested scores, fitted on all \(tuning.recordCount) records (\(changed.count) of \(pack.rules.count) rules change):\n"
        for s in changed {
            out += "  " + pack.rules[s.rule].id.padding(toLength: 48, withPad: " ", startingAt: 0)
                + "\(formatScore(s.current)) -> \(formatScore(s.suggested))  (hits \(s.support) records)\n"
        }
        var refused = false
        if write && tuning.isWorse && !force {
            out += "not written: the fit does worse on the held-out folds (--force writes it anyway)\n"
            refused = true
        } else if write {
            let files = try Tuning.write(tuning.suggestions, pack: pack)
            out += "rewrote the scores in \(files.count) file\(files.count == 1 ? "" : "s"): \(files.joined(separator: ", "))\n"
        } else {
            out += "(the pack is unchanged; --write rewrites these scores in the rule files)\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        if refused { throw ExitCode(1) }
    }
}
