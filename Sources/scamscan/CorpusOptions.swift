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
    /// exiting 2 on any.
    func load() throws -> [LabelledFile] {
        var paths = corpora
        if paths.isEmpty && FileManager.default.fileExists(atPath: "Corpus") { paths = ["Corpus"] }
        do {
            return try LabelledCorpus.load(paths)
        } catch {
            FileHandle.standardError.write(Data(error.diagnostics.map { "\($0)\n" }.joined().utf8))
            throw ExitCode(2)
        }
    }
}
