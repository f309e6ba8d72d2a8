import ArgumentParser
import Foundation
import Matcher
import ScamScan

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Run the multi-pattern matcher alone, like grep -f: print the lines any pattern matches.",
        discussion: """
        PATTERNS holds one PCRE2 pattern per line (UTF and UCP mode); blank lines and lines starting with '#' are skipped. Inline flags such as (?i) apply to their own pattern only. Reads each FILE, or standard input when none is given.

        The default engine extracts the literals every match must contain, finds them all in one pass over large buffers and confirms candidates with PCRE2 JIT; --engine naive runs every pattern on every line. Both print the same lines.

        Exit status: 0 if a line matched, 1 if none did, 2 on an error.

        Examples:
          scamscan match -f patterns.txt dump.log
          scamscan match -c -f patterns.txt --stats big.log
          scamscan match -i -e 'free\\s+coins' -e 'cheap\\s+gems' chat.log
          tail -f chat.log | scamscan match --line-buffered -f patterns.txt
        """)

    @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp("A file of patterns, one per line; repeatable.", valueName: "PATTERNS"))
    var patternFiles: [String] = []

    @Option(name: [.customShort("e"), .customLong("regexp")], help: ArgumentHelp("A pattern given on the command line; repeatable.", valueName: "PATTERN"))
    var patterns: [String] = []

    @Argument(help: ArgumentHelp("Files to search; '-' or none reads standard input.", valueName: "FILE"))
    var files: [String] = []

    @Flag(name: [.customShort("c"), .customLong("count")], help: "Print only the number of matching lines.")
    var count = false

    @Flag(name: [.customShort("i"), .customLong("ignore-case")], help: "Match every pattern caselessly.")
    var ignoreCase = false

    @Option(help: "Engine: prefilter (default) or naive (every pattern on every line).")
    var engine: CompiledPack.Engine = .prefilter

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("threads")], help: ArgumentHelp("Worker threads for files (default: the number of cores).", valueName: "N"))
    var threads: Int?

    @Flag(help: "Flush after every matching line; read input line by line.")
    var lineBuffered = false

    @Option(help: "Progress line on stderr for files: auto (when stderr is a terminal), always or never.")
    var progress: TerminalMode = .auto

    @Flag(help: "Print counts on stderr: lines, bytes, patterns, always-run patterns, candidate lines, PCRE2 confirmations, matching lines, seconds.")
    var stats = false

    @Option(help: ArgumentHelp("PCRE2 match limit per pattern and line.", valueName: "N"))
    var matchLimit: UInt32 = MatchLimits.default.matchSteps

    @Option(help: ArgumentHelp("Longest line kept whole; a longer one is matched and printed as its first N bytes, with a warning (memory stays bounded).", valueName: "N"))
    var maxLineBytes: Int = LineReader.defaultMaxLineBytes

    @Option(help: ArgumentHelp("Bytes per chunk a worker matches (tests use small chunks).", visibility: .hidden))
    var chunkBytes: Int = 8 << 20

    func validate() throws {
        guard !patternFiles.isEmpty || !patterns.isEmpty else {
            throw ValidationError("give patterns with -f PATTERNS or -e PATTERN")
        }
        if let threads, threads < 1 { throw ValidationError("-j needs at least 1 thread") }
    }

    func run() throws {
        let started = Date()
        var file = PatternFile()
        do {
            for path in patternFiles { try file.read(path) }
        } catch {
            throw CLIError(error.description)
        }
        for (k, p) in patterns.enumerated() { file.entries.append(.init(pattern: p, file: "-e", line: k + 1)) }
        let compiled: [CompiledPattern]
        do {
            compiled = try file.compile(caseless: ignoreCase)
        } catch {
            var text = error.diagnostics.map { "\($0)\n" }.joined()
            text += "scamscan: \(error.diagnostics.count) invalid pattern\(error.diagnostics.count == 1 ? "" : "s"); nothing was searched\n"
            FileHandle.standardError.write(Data(text.utf8))
            throw ExitCode(2)
        }
        let matcher: any MultiMatcher = engine == .naive ? NaiveMatcher(compiled: compiled) : PrefilterMatcher(compiled: compiled)
        let compileSeconds = Date().timeIntervalSince(started)

        let out = ByteWriter(fd: 1, bufferSize: 256 * 1024)
        let err = ByteWriter(fd: 2, bufferSize: 4096)
        var options = PatternScanOptions()
        options.countOnly = count
        options.chunkSize = max(chunkBytes, 1)
        options.maxLineBytes = max(maxLineBytes, 1)
        options.countLines = stats
        options.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        options.lineBuffered = lineBuffered || (out.isTerminal && !count)
        let inputs = files.isEmpty ? ["-"] : files
        options.showSource = inputs.count > 1
        options.escape = out.isTerminal
        options.progress = progress.isOn(terminal: err.isTerminal)
        let scan = PatternScan(matcher: matcher, options: options, limits: MatchLimits(matchSteps: matchLimit), out: out, err: err)
        do {
            for path in inputs { try scan.scan(path: path) }
            try scan.finish()
        } catch is BrokenPipe {
            throw ExitCode(0)
        }
        if stats {
            let s = scan.stats
            let seconds = Date().timeIntervalSince(started)
            var text = """
            scamscan: stats:
              lines:              \(s.lines)
              bytes:              \(s.bytes)
              patterns:           \(compiled.count)\(engine == .naive ? " (naive engine)" : "")

            """
            if let m = matcher as? PrefilterMatcher {
                text += "  always-run:         \(m.alwaysRun.count)\n"
                for (p, reason) in m.alwaysRun {
                    let e = file.entries[p]
                    text += "    \(e.file):\(e.line): \(escapeForTerminal(e.pattern)): \(reason)\n"
                }
                text += "  literals:           \(m.searcher.atoms.count) (\(m.searcher.stateCount) DFA states)\n"
            }
            text += """
              candidate lines:    \(s.candidateLines)
              PCRE2 confirmations:\(String(repeating: " ", count: 1))\(s.confirmations)
              matching lines:     \(s.matchingLines)
              match-limit hits:   \(s.limitEvents)
              threads:            \(options.threads)
              compile seconds:    \(String(format: "%.3f", compileSeconds))
              seconds:            \(String(format: "%.3f", seconds))
              MB/s:               \(String(format: "%.1f", Double(s.bytes) / 1e6 / max(seconds - compileSeconds, 1e-9)))

            """
            err.write(text)
            try? err.flush()
        }
        if scan.stats.truncatedLines > 0 {
            FileHandle.standardError.write(Data("scamscan: warning: \(scan.stats.truncatedLines) line\(scan.stats.truncatedLines == 1 ? " was" : "s were") longer than \(maxLineBytes) bytes: matched and printed as the first \(maxLineBytes) bytes (raise --max-line-bytes to keep more)\n".utf8))
        }
        if scan.stats.inputErrors > 0 { throw ExitCode(2) }
        throw ExitCode(scan.stats.matchingLines > 0 ? 0 : 1)
    }
}
