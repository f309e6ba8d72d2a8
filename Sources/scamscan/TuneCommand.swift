import ArgumentParser
import Foundation
import ScamScan

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Fit rule scores to the labelled corpus and report precision and recall before and after.",
        discussion: """
        Classifies every labelled record, then fits one weight per rule by L2-regularised logistic regression on 80% of the records (which rules hit, scam or ham), scaled so that the pack's review threshold is the 50% point, and rounded to 0.5. Precision and recall at the pack's thresholds are measured on the other 20% (every fifth record), before and after. Rules that never fire on the training records keep their score.

        Prints the rules whose suggested score differs. The pack is not changed unless --write is given; then each changed score is rewritten in place in its rule file (review the diff before committing it).

        Examples:
          scamscan tune
          scamscan tune --corpus Corpus --lambda 0.05
          scamscan tune --write
        """)

    @OptionGroup var rules: RuleOptions

    @OptionGroup var corpus: CorpusOptions

    @Option(help: "L2 regularisation strength (larger keeps scores nearer zero).")
    var lambda: Double = 0.0003

    @Flag(help: "Rewrite the changed scores in the rule files.")
    var write = false

    func run() throws {
        let pack = try rules.load()
        let corpus = try self.corpus.load()
        guard !corpus.isEmpty else { throw CLIError("no labelled corpus; pass --corpus DIR") }
        let run = try RegressionRun.run(pack: pack, corpus: corpus, err: ByteWriter(fd: 2, bufferSize: 4096))
        let tuning = Tuning(records: run.records, pack: pack, lambda: lambda)
        var out = "trained on \(tuning.trainCount) records, judged on \(tuning.testCount) held out (every fifth), review at \(formatScore(pack.settings.thresholds.review))\n"
        func line(_ name: String, _ c: Confusion) -> String {
            "\(name): precision \(String(format: "%.3f", c.precision)) recall \(String(format: "%.3f", c.recall)) F1 \(String(format: "%.3f", c.f1)) (TP \(c.tp) FP \(c.fp) FN \(c.fn) TN \(c.tn))\n"
        }
        out += line("before", tuning.before) + line("after ", tuning.after)
        // A model that learned these very records looks better on them than it is, and takes score
        // from the rules; say so rather than let its fitted score pass for a held-out one.
        for m in run.model?.models ?? [] where !m.trainedOn.isEmpty {
            out += "note: \(m.rule) was trained on \(m.trainedOn.joined(separator: ", ")): its fit here is optimistic and pulls score from the rules; "
                + "tune on a corpus it was not trained on, or retrain it without these files (scamscan learn)\n"
        }
        let changed = tuning.suggestions.filter { $0.suggested != $0.current }
        out += "suggested scores (\(changed.count) of \(pack.rules.count) rules change):\n"
        for s in changed {
            out += "  " + pack.rules[s.rule].id.padding(toLength: 48, withPad: " ", startingAt: 0)
                + "\(formatScore(s.current)) -> \(formatScore(s.suggested))  (hits \(s.support) training records)\n"
        }
        if write {
            let files = try Tuning.write(tuning.suggestions, pack: pack)
            out += "rewrote the scores in \(files.count) file\(files.count == 1 ? "" : "s"): \(files.joined(separator: ", "))\n"
        } else {
            out += "(the pack is unchanged; --write rewrites these scores in the rule files)\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
