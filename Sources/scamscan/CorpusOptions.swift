import ArgumentParser
import Foundation
import ScamScan

/// The labelled corpora `test` and `tune` read.
struct CorpusOptions: ParsableArguments {
    @Option(name: .customLong("corpus"), help: ArgumentHelp("A labelled corpus directory or chat file; repeatable (default: ./Corpus).", valueName: "DIR"))
    var corpora: [String] = []

    /// The corpus paths as given, or ./Corpus when none is given and it exists.
    var paths: [String] {
        if corpora.isEmpty && FileManager.default.fileExists(atPath: "Corpus") { return ["Corpus"] }
        return corpora
    }

    /// Loads the corpora (./Corpus when none is given and it exists), printing every problem and
    /// exiting 2 on any; `onFailure` sees the problems first. No corpus at all is an error: a
    /// regression gate must not pass on nothing.
    func load(onFailure: ([String]) -> Void = { _ in }) throws -> [LabelledFile] {
        let paths = self.paths
        guard !paths.isEmpty else {
            let message = "no labelled corpus: no --corpus was given and there is no ./Corpus in \(FileManager.default.currentDirectoryPath); pass --corpus DIR (a directory with chat/NAME.tsv and NAME.labels.tsv beside it), or --examples-only to run only the rules' own examples"
            onFailure(["scamscan: " + message])
            throw CLIError(message)
        }
        do {
            return try LabelledCorpus.load(paths)
        } catch {
            onFailure(error.diagnostics.map(\.description))
            FileHandle.standardError.write(Data(error.diagnostics.map { "\($0)\n" }.joined().utf8))
            throw ExitCode(2)
        }
    }
}
