import ArgumentParser
import Foundation
import ScamScan

struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Train the text model from labelled messages, or fold moderators' labels into a model (--update).",
        discussion: """
        Reads labelled messages: a corpus folder (--corpus: its labelled chat as `scamscan test` reads it, its learn/*.tsv and its ordinary/ chat as ham), TSV files with a header naming 'label' and 'text' (or 'message') columns, JSON Lines with 'label' and 'text' fields (such as `scamscan chat --output jsonl` records a moderator labelled), and chat files that are all ham (--ham) or all scams (--spam). Labels: ham (allow, clean, 0) or scam (spam, 1, or a category).

        Trains an L2-regularised, class-balanced logistic regression over hashed words, word pairs, character n-grams and message traits of the folded view (docs/MODEL.md), deterministically for the same input and --seed, and writes the model file. Before that it prints the figures the model earns on messages it was not trained on: k-fold cross-validated precision and recall per source file, and held-out-by-source figures (trained on every other source). Never figures on the training data.

        With --update MODEL, the new messages are folded into MODEL without its original data: only the weights of their features move, pulled towards MODEL's, and the record counts on the wrong side of --threshold are shown before and after.

        Examples:
          scamscan learn --corpus Corpus --output Rules/model.ssm
          scamscan learn --ham chat.tsv --spam scams.txt labelled.tsv -o my.ssm
          scamscan learn --update Rules/model.ssm decisions.jsonl
        """)

    @Option(help: ArgumentHelp("A corpus folder (chat/*.tsv with *.labels.tsv, learn/*.tsv, ordinary/); repeatable.", valueName: "DIR"))
    var corpus: [String] = []

    @Option(help: ArgumentHelp("A chat file whose every message is ordinary (TSV chat, JSON Lines or one message a line); repeatable.", valueName: "FILE"))
    var ham: [String] = []

    @Option(help: ArgumentHelp("A chat file whose every message is a scam; repeatable.", valueName: "FILE"))
    var spam: [String] = []

    @Argument(help: ArgumentHelp("Labelled files: TSV with 'label' and 'text' columns, or JSON Lines with 'label' and 'text' fields.", valueName: "FILE"))
    var files: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the model (default: model.ssm, or the --update model itself).", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("Fold the messages into this model instead of training a new one.", valueName: "MODEL"))
    var update: String?

    @Option(help: "Seed of the feature hashing and the folds; the same input and seed give the same model, byte for byte.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The hashed feature space has 2^N slots (model size 4 × 2^N bytes).", valueName: "N"))
    var bits: Int = FeatureSettings.default.bits

    @Option(help: "L2 penalty strength (default 1e-5; with --update, how strongly the weights stay near the model's: 0.01).")
    var lambda: Double?

    @Option(help: "Folds of the cross-validation; 0 skips the evaluation.")
    var folds: Int = 5

    @Option(help: "Probability at which a message counts as flagged in the figures (the pack's model rule 'confident').")
    var threshold: Double = 0.95

    @Flag(help: "Print the figures only; write no model.")
    var evaluateOnly = false

    func validate() throws {
        guard (10...24).contains(bits) else { throw ValidationError("--bits must be from 10 to 24 (got \(bits))") }
        guard folds == 0 || (2...20).contains(folds) else { throw ValidationError("--folds must be 0 or from 2 to 20 (got \(folds))") }
        guard threshold > 0 && threshold < 1 else { throw ValidationError("--threshold must be a probability between 0 and 1 (got \(threshold))") }
        if let lambda, !(lambda >= 0 && lambda.isFinite) { throw ValidationError("--lambda must be a number at least 0") }
        if corpus.isEmpty && ham.isEmpty && spam.isEmpty && files.isEmpty {
            throw ValidationError("no labelled messages given: pass --corpus DIR, --ham FILE, --spam FILE or labelled FILEs")
        }
    }

    func run() throws {
        let progress = Progress()
        var batch = LabelledMessages.Batch()
        for dir in corpus { LabelledMessages.readCorpus(path: dir, into: &batch) }
        for file in files { LabelledMessages.readLabelled(path: file, into: &batch) }
        for file in ham { LabelledMessages.readAll(path: file, scam: false, into: &batch) }
        for file in spam { LabelledMessages.readAll(path: file, scam: true, into: &batch) }
        var err = ""
        for p in batch.problems.prefix(10) { err += "scamscan: \(p)\n" }
        if batch.problems.count > 10 { err += "scamscan: ... and \(batch.problems.count - 10) more problems\n" }
        if !batch.problems.isEmpty {
            err += "scamscan: \(batch.problems.count) record\(batch.problems.count == 1 ? "" : "s") could not be read and \(batch.problems.count == 1 ? "was" : "were") left out\n"
        }
        FileHandle.standardError.write(Data(err.utf8))
        guard !batch.messages.isEmpty else { throw CLIError("no labelled message could be read; nothing to learn from") }

        if let update {
            try runUpdate(update, batch.messages, progress)
            return
        }
        var out = summary(batch.messages)
        let scams = batch.messages.filter(\.scam).count
        guard scams > 0 && scams < batch.messages.count else {
            throw CLIError("the messages are all \(scams == 0 ? "ham" : "scams"); a model needs both (give ordinary chat with --ham, scams with --spam)")
        }
        var settings = FeatureSettings.default
        settings.bits = bits
        settings.seed = FeatureSettings.default.seed ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        let data = FeatureMatrix(batch.messages, settings: settings)
        let trainer = Trainer(lambda: lambda ?? 1e-5)
        if folds > 0 {
            let started = Date()
            let evaluation = Evaluation(data: data, trainer: trainer, threshold: threshold, folds: folds, seed: seed,
                                        progress: progress.show)
            progress.clear()
            out += report(evaluation)
            out += String(format: "(evaluation: %d trainings in %.1f s)\n", folds + evaluation.heldOutBySource.count - 1, Date().timeIntervalSince(started))
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        guard !evaluateOnly else { return }
        let started = Date()
        let fit = trainer.fit(data)
        let counts = sourceCounts(batch.messages)
        let model = TextModel(features: settings, training: .init(sources: counts, lambda: trainer.lambda, iterations: fit.iterations),
                              bias: fit.bias, weights: fit.weights)
        let path = output ?? "model.ssm"
        do { try model.write(to: path) } catch { throw CLIError("cannot write the model to \(path): \(error)") }
        let text = String(format: "wrote %@: %d messages (%d scams), %d iterations in %.1f s, %d bytes, checksum %016llx\n",
                          path, batch.messages.count, scams, fit.iterations, Date().timeIntervalSince(started), model.encoded().count, model.checksum)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func runUpdate(_ path: String, _ messages: [LabelledMessage], _ progress: Progress) throws {
        let model: TextModel
        do { model = try TextModel.read(path: path) } catch { throw CLIError(error.description) }
        let data = FeatureMatrix(messages, settings: model.features)
        let trainer = Trainer(lambda: lambda ?? 0.01)
        func wrong(_ bias: Double, _ weights: [Float]) -> Int {
            let fit = Trainer.Fit(bias: bias, weights: weights, iterations: 0)
            return (0..<data.count).filter { (Evaluation.probability(data, row: $0, fit) >= threshold) != data.labels[$0] }.count
        }
        let before = wrong(model.bias, model.weights)
        let fit = trainer.fit(data, prior: model)
        let after = wrong(fit.bias, fit.weights)
        var training = model.training
        training.updates += 1
        training.sources += sourceCounts(messages).map { .init(name: "update \(training.updates): " + $0.name, ham: $0.ham, scam: $0.scam) }
        let updated = TextModel(features: model.features, training: training, bias: fit.bias, weights: fit.weights)
        let target = output ?? path
        do { try updated.write(to: target) } catch { throw CLIError("cannot write the model to \(target): \(error)") }
        let text = summary(messages)
            + "on the wrong side of p=\(formatScore(threshold)): \(before) of \(data.count) before, \(after) after\n"
            + String(format: "wrote %@ (update %d, checksum %016llx)\n", target, training.updates, updated.checksum)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func sourceCounts(_ messages: [LabelledMessage]) -> [TextModel.SourceCount] {
        var order: [String] = []
        var counts: [String: (Int, Int)] = [:]
        for m in messages {
            if counts[m.source] == nil { order.append(m.source); counts[m.source] = (0, 0) }
            if m.scam { counts[m.source]!.1 += 1 } else { counts[m.source]!.0 += 1 }
        }
        return order.map { TextModel.SourceCount(name: $0, ham: counts[$0]!.0, scam: counts[$0]!.1) }
    }

    private func summary(_ messages: [LabelledMessage]) -> String {
        let counts = sourceCounts(messages)
        let scams = counts.reduce(0) { $0 + $1.scam }
        return "read \(messages.count) labelled messages (\(scams) scams, \(messages.count - scams) ham) from \(counts.count) source\(counts.count == 1 ? "" : "s")\n"
    }

    private func report(_ e: Evaluation) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "-" }
        let held = Dictionary(e.heldOutBySource.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        let width = max(24, (e.kFold.map(\.source.count).max() ?? 0) + 2)
        var out = "\nfigures at p >= \(formatScore(e.threshold)), on messages the model was not trained on:\n"
        out += "  k-fold: \(e.folds)-fold cross-validation; held out: trained on every other source\n"
        out += "  P precision, R recall, FA share of the ham flagged; - where undefined\n\n"
        out += "source".padding(toLength: width, withPad: " ", startingAt: 0)
            + "   scam    ham | k-fold P     R    FA | held-out P     R    FA\n"
        for f in e.kFold {
            let h = f.source == "all" ? held["all"] : held[f.source]
            out += f.source.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: " %6d %6d |", f.scam, f.ham)
                + " \(pct(f.precision).leftPad(8)) \(pct(f.recall).leftPad(5)) \(pct(f.falseAlarmRate).leftPad(5)) |"
                + " \(pct(h?.precision).leftPad(10)) \(pct(h?.recall).leftPad(5)) \(pct(h?.falseAlarmRate).leftPad(5))\n"
        }
        return out
    }
}

/// A one-line progress message on stderr, only when stderr is a terminal.
final class Progress {
    private let enabled = isatty(2) == 1
    func show(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
    }
    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
