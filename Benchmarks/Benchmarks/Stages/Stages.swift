// One benchmark per pipeline stage, each over the same real chat: the shipped Corpus/ordinary
// Twitch rechat files (TSV with authors and times; Corpus/ordinary/README.md says where they come
// from) and the shipped rule pack. Every iteration runs the stage over all the messages, so the
// throughput is "message sets per second"; `messages` below says how many a set holds.
import Benchmark
import Foundation
import Matcher
import ScamScan

/// The repository root: this file is Benchmarks/Benchmarks/Stages/Stages.swift.
let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

let chatFiles: [String] = {
    let dir = root + "/Corpus/ordinary"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".tsv") }.sorted().map { dir + "/" + $0 }
}()

/// (timestamp, channel, user, text) of every record of the rechat files.
let messages: [(time: [UInt8], channel: [UInt8], user: [UInt8], text: [UInt8])] = {
    var out: [(time: [UInt8], channel: [UInt8], user: [UInt8], text: [UInt8])] = []
    for path in chatFiles {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
            guard f.count == 4 else { continue }
            out.append((Array(f[0].utf8), Array(f[1].utf8), Array(f[2].utf8), Array(f[3].utf8)))
        }
    }
    precondition(!out.isEmpty, "no chat under \(root)/Corpus/ordinary")
    return out
}()

let pack: CompiledPack = {
    do { return try CompiledPack.load(directories: [root + "/Rules"]) } catch { fatalError("\(error)") }
}()

let start: Int64 = 1_478_000_000_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(3), maxIterations: 40)

    // Normalise: the folded view of every message.
    Benchmark("Normalise.fold (\(messages.count) messages)") { benchmark in
        var folded = FoldedText()
        for _ in benchmark.scaledIterations {
            for m in messages { m.text.withUnsafeBytes { folded.fold($0) } }
            blackHole(folded.bytes.count)
        }
    }

    // Matcher: the pack's own raw-view patterns (`scamscan lint --patterns raw`), prefilter and
    // PCRE2 confirmation, one scan per message.
    let rawPatterns = pack.patternRules(.raw).map { PatternSpec($0.pattern) }
    let matcher = try! PrefilterMatcher(rawPatterns)
    Benchmark("Matcher.scan raw patterns (\(rawPatterns.count) patterns, \(messages.count) messages)") { benchmark in
        let scratch = MatchScratch()
        var hits: [PatternHit] = []
        var limited: [Int] = []
        for _ in benchmark.scaledIterations {
            var n = 0
            for m in messages {
                m.text.withUnsafeBytes { matcher.scan($0, scratch: scratch, hits: &hits, limited: &limited) }
                n += hits.count
            }
            blackHole(n)
        }
    }

    // Matcher: the pack's folded-view patterns (`scamscan lint --patterns folded`, most of the
    // pack) over each message's folded view, folded beforehand.
    let foldedPatterns = pack.patternRules(.folded).map { PatternSpec($0.pattern) }
    let foldedMatcher = try! PrefilterMatcher(foldedPatterns)
    let foldedTexts: [[UInt8]] = messages.map { m in
        var f = FoldedText()
        m.text.withUnsafeBytes { f.fold($0) }
        return f.bytes
    }
    Benchmark("Matcher.scan folded patterns (\(foldedPatterns.count) patterns, \(messages.count) messages)") { benchmark in
        let scratch = MatchScratch()
        var hits: [PatternHit] = []
        var limited: [Int] = []
        for _ in benchmark.scaledIterations {
            var n = 0
            for t in foldedTexts {
                t.withUnsafeBytes { foldedMatcher.scan($0, scratch: scratch, hits: &hits, limited: &limited) }
                n += hits.count
            }
            blackHole(n)
        }
    }

    // Score: every rule and the model on each message, without behaviour signals.
    Benchmark("Score.classify no signals (\(messages.count) messages)") { benchmark in
        let classifier = Classifier(pack: pack)
        var c = Classification()
        for _ in benchmark.scaledIterations {
            var flagged = 0
            for m in messages {
                m.text.withUnsafeBytes { t in
                    m.user.withUnsafeBytes { u in
                        m.channel.withUnsafeBytes { ch in classifier.classify(t, user: u, channel: ch, into: &c) }
                    }
                }
                if c.verdict != .allow { flagged += 1 }
            }
            blackHole(flagged)
        }
    }

    // Checks: the same with the stream's behaviour state carried from message to message.
    Benchmark("Score.classify with signals (\(messages.count) messages)") { benchmark in
        let classifier = Classifier(pack: pack)
        var c = Classification()
        let clock = Clock.fixed(start)
        for _ in benchmark.scaledIterations {
            var state = pack.makeSignalState()
            var flagged = 0
            for (i, m) in messages.enumerated() {
                m.text.withUnsafeBytes { t in
                    m.user.withUnsafeBytes { u in
                        m.channel.withUnsafeBytes { ch in
                            classifier.classify(t, user: u, channel: ch, time: start + Int64(i) * 200, state: &state,
                                                clock: clock, into: &c)
                        }
                    }
                }
                if c.verdict != .allow { flagged += 1 }
            }
            blackHole(flagged)
        }
    }

    // Stream: the files read into TSV records, nothing classified.
    Benchmark("Stream.ChatReader TSV (\(chatFiles.count) files)") { benchmark in
        var options = ChatScanOptions()
        options.format = .tsv
        for _ in benchmark.scaledIterations {
            let reader = ChatReader(options: options, report: { _ in })
            var bytes = 0
            for path in chatFiles { try reader.read(path: path) { record, _ in bytes += record.text.count } }
            blackHole(bytes)
        }
    }

    // Pipeline: the whole `scamscan chat --output jsonl --all` run, output to /dev/null.
    Benchmark("Pipeline.ChatScanner jsonl --all (\(chatFiles.count) files)") { benchmark in
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        var options = ChatScanOptions()
        options.format = .tsv
        options.all = true
        for _ in benchmark.scaledIterations {
            let out = ByteWriter(fd: devnull)
            let scanner = ChatScanner(classifier: Classifier(pack: pack), options: options,
                                      sink: JSONLinesPrinter(out: out, pack: pack), out: out, err: ByteWriter(fd: devnull),
                                      signals: pack.makeSignalState(), clock: .fixed(start))
            for path in chatFiles { try scanner.scan(path: path) }
            try scanner.finish()
            blackHole(scanner.stats.records)
        }
    }
}
