import ArgumentParser
import Foundation
import RedisStream
import ScamScan

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write chat records to the partitions of a Redis stream, for `chat --redis` workers.",
        discussion: """
        Reads chat records as `scamscan chat` does (plain, tsv, jsonl or auto; --field maps JSON names) and XADDs each to NAME:P with the fields ts, channel, user and text (parts a record lacks are left out). P is the 32-bit FNV-1a hash of the channel's bytes modulo --partitions (docs/SCALE.md), so a channel always lands on one partition. Writes are pipelined; a lost connection is retried with backoff and what was not answered is sent again (at least once).

        For replays, tests and backfills; a producer in another language follows the same convention.

        Exit status: 0 when every record was published, 2 on an error (unreadable input, a refused write, the server unreachable for --retry-for).

        Examples:
          scamscan publish --redis redis://127.0.0.1:6379 --stream chat --partitions 4 Corpus/chat/sample.tsv
          tail -f live.tsv | scamscan publish --redis redis://:secret@10.0.0.5 --stream chat --partitions 16 --maxlen 1000000
        """)

    @Option(help: ArgumentHelp("The Redis server: redis://[:password@]host[:port][/db].", valueName: "URL"))
    var redis: String

    @Option(help: ArgumentHelp("The stream's name; partition P is the key NAME:P.", valueName: "NAME"))
    var stream: String

    @Option(help: ArgumentHelp("How many partitions the stream has (the same number for every producer).", valueName: "N"))
    var partitions: Int

    @Argument(help: ArgumentHelp("Chat files to publish; '-' or none reads standard input.", valueName: "FILE"))
    var files: [String] = []

    @Option(name: .customLong("input"), help: "Input format: plain, tsv, jsonl or auto.")
    var input: ChatFormat = .auto

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Map a record part to a JSON field, e.g. text=body (parts: text, user, channel, timestamp); repeatable.",
        valueName: "PART=NAME"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("Keep each partition near N entries (XADD MAXLEN ~ N); default: no cap.", valueName: "N"))
    var maxlen: Int?

    @Option(help: ArgumentHelp("Commands per round trip.", valueName: "N"))
    var pipeline: Int = 1000

    @Option(help: ArgumentHelp("Give up when the server stays unreachable this long (e.g. 30s, 5m).", valueName: "DURATION"))
    var retryFor: String = "5m"

    @Option(help: ArgumentHelp("Longest line kept whole; a longer one is published as its first N bytes, reported and counted.", valueName: "N"))
    var maxLineBytes: Int = LineReader.defaultMaxLineBytes

    @Flag(help: "Print counts (records, per partition, refused, reconnects, seconds) on stderr.")
    var stats = false

    func validate() throws {
        guard partitions >= 1 && partitions <= 65536 else { throw ValidationError("--partitions must be from 1 to 65536 (got \(partitions))") }
        guard !stream.isEmpty else { throw ValidationError("--stream needs a name, e.g. --stream chat") }
        guard pipeline >= 1 else { throw ValidationError("--pipeline must be at least 1 (got \(pipeline))") }
        if let maxlen, maxlen < 1 { throw ValidationError("--maxlen must be at least 1 (got \(maxlen))") }
        guard parseDurationMs(retryFor) != nil else { throw ValidationError("--retry-for must be a duration such as 30s or 5m (got '\(retryFor)')") }
        do { _ = try RedisURL(redis) } catch { throw ValidationError(error.description) }
        var names = FieldNames()
        for spec in fields {
            do { try names.set(spec) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let started = Date()
        let url = try RedisURL(redis)
        let err = ByteWriter(fd: 2, bufferSize: 4096)
        func report(_ message: String) {
            err.write("scamscan: \(message)\n")
            try? err.flush()
        }
        var options = ChatScanOptions()
        options.format = input
        for spec in fields { try options.fields.set(spec) }
        options.maxLineBytes = maxLineBytes
        let publisher: StreamPublisher
        do {
            publisher = try StreamPublisher(url: url, stream: stream, partitions: partitions,
                                            retryForMs: parseDurationMs(retryFor)!, report: report)
        } catch {
            throw CLIError(error.description)
        }
        publisher.maxLength = maxlen
        publisher.pipelineDepth = pipeline
        let reader = ChatReader(options: options, report: report)
        var failure: RedisError?
        for path in files.isEmpty ? ["-"] : files where failure == nil {
            do {
                // A live pipe: send what is queued before waiting for more input.
                try reader.read(path: path, beforeRead: { try publisher.flush() }) { record, _ in
                    try publisher.add(record)
                }
            } catch let e as RedisError {
                failure = e
            }
        }
        if failure == nil {
            do { try publisher.flush() } catch { failure = error }
        }
        if let failure { report("error: \(failure.description) (\(publisher.published) records published)") }
        if publisher.refused > 0 {
            report("error: \(publisher.refused) record\(publisher.refused == 1 ? "" : "s") refused by the server, first: \(publisher.firstRefusal ?? "")")
        }
        if stats {
            let s = reader.stats
            err.write("""
            scamscan: stats:
              inputs:            \(s.inputs)\(s.inputErrors > 0 ? " (\(s.inputErrors) unreadable)" : "")
              lines:             \(s.lines) (\(s.bytes) bytes)
              records:           \(s.records) (\(s.malformed) malformed, published as plain text)
              blank lines:       \(s.blank)
              header lines:      \(s.headers)
              truncated lines:   \(s.truncated)
              published:         \(publisher.published) to \(stream):0..\(partitions - 1) (per partition: \(publisher.perPartition.map(String.init).joined(separator: " ")))
              refused:           \(publisher.refused)
              reconnects:        \(publisher.reconnects)
              seconds:           \(String(format: "%.3f", Date().timeIntervalSince(started)))

            """)
            try? err.flush()
        }
        if failure != nil || publisher.refused > 0 || reader.stats.inputErrors > 0 { throw ExitCode(2) }
    }
}


/// A duration for the command line: the rule forms (`90s`, `10m`, `1h`, `2d`) and milliseconds
/// (`500ms`).
func parseDurationMs(_ text: String) -> Int64? {
    if text.hasSuffix("ms") { return Int64(text.dropLast(2)).flatMap { $0 >= 0 ? $0 : nil } }
    return TxDuration.parse(text)
}
