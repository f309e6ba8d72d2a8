import Foundation
import RedisStream
import ScamScan
import Testing

/// Real chat of several channels: the labelled sample (six channels) and, with `big`, two
/// recorded Twitch chats as well (one header line).
func chatFile(big: Bool = false) throws -> (path: String, records: Int) {
    var lines = try String(contentsOfFile: repositoryRoot + "/Corpus/chat/sample.tsv", encoding: .utf8)
        .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    if big {
        for name in ["rechat-84065913.tsv", "rechat-98355852.tsv"] {
            lines += try String(contentsOfFile: repositoryRoot + "/Corpus/ordinary/" + name, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: true).dropFirst().map(String.init)
        }
    }
    let path = NSTemporaryDirectory() + "scamscan-chat-" + UUID().uuidString + ".tsv"
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return (path, lines.count - 1)
}

/// The verdict records of an output stream, by the entry they answer (`KEY/ID`: the same id
/// can occur in two partitions).
func verdicts(_ c: RedisConnection, _ key: String) throws -> [String: [String: Any]] {
    var out: [String: [String: Any]] = [:]
    for e in try c.entries(key) {
        let record = try JSONSerialization.jsonObject(with: Data(e.fields["record"]!.utf8)) as! [String: Any]
        out[e.fields["source"]! + "/" + e.fields["id"]!] = record
    }
    return out
}

/// Every entry of partitions 0..<n, as `KEY/ID`.
func entryIDs(_ c: RedisConnection, stream: String, partitions: Int) throws -> Set<String> {
    var ids = Set<String>()
    for p in 0..<partitions { ids.formUnion(try c.entries("\(stream):\(p)").map { "\(stream):\(p)/\($0.id)" }) }
    return ids
}

/// (channel, user, text) → verdict of `scamscan chat --all` over the file, as a multiset key.
func fileVerdicts(_ path: String) throws -> [String: Int] {
    let r = try run(["chat", "--output", "jsonl", "--all", path])
    var counts: [String: Int] = [:]
    for line in r.out.split(separator: "\n") {
        let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        counts[key(o), default: 0] += 1
    }
    return counts
}

func key(_ o: [String: Any]) -> String {
    "\(o["channel"] as? String ?? "")\t\(o["user"] as? String ?? "")\t\(o["text"] as? String ?? "")\t\(o["verdict"] as! String)"
}

func worker(_ server: RedisServer, partitions: String, consumer: String, extra: [String] = []) -> [String] {
    ["chat", "--redis", server.urlText, "--stream", "chat", "--partitions", partitions, "--group", "scamscan",
     "--consumer", consumer, "--to-stream", "verdicts", "--all", "--idle-exit", "1500ms", "--stats"] + extra
}

@Suite(.serialized) struct WorkerTests {
    @Test func publishThenOneWorkerGivesTheVerdictsOfTheFile() throws {
        let server = try RedisServer()
        let (path, records) = try chatFile()
        let published = try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "4", "--stats", path])
        #expect(published.status == 0, "\(published.err)")
        #expect(published.err.contains("published:         \(records) to chat:0..3"))
        let c = try server.client()
        // Each entry on its channel's partition, with the four fields.
        for p in 0..<4 {
            for e in try c.entries("chat:\(p)") {
                #expect(Set(e.fields.keys) == ["ts", "channel", "user", "text"])
                let channel = Array(e.fields["channel"]!.utf8)
                #expect(channel.withUnsafeBytes { ChannelPartition.of($0, count: 4) } == p)
            }
        }
        let w = try run(worker(server, partitions: "0-3", consumer: "w1"))
        #expect(w.status == 0, "\(w.err)")
        #expect(w.err.contains("acknowledged:      \(records)"))
        let out = try verdicts(c, "verdicts")
        #expect(Set(out.keys) == (try entryIDs(c, stream: "chat", partitions: 4)))
        for p in 0..<4 { #expect(try c.pendingCount("chat:\(p)", group: "scamscan") == 0) }
        // The same pack, model and signals as a file: the same verdict for every record.
        var fromStream: [String: Int] = [:]
        for o in out.values { fromStream[key(o), default: 0] += 1 }
        #expect(fromStream == (try fileVerdicts(path)))
    }

    @Test func withoutAnOutputStreamFlaggedVerdictsGoToStandardOutput() throws {
        let server = try RedisServer()
        let (path, _) = try chatFile()
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "2", path])
        let w = try run(["chat", "--redis", server.urlText, "--stream", "chat", "--partitions", "0,1", "--group", "g",
                         "--consumer", "c", "--output", "jsonl", "--idle-exit", "1s"])
        #expect(w.status == 0, "\(w.err)")
        let lines = w.out.split(separator: "\n")
        let flagged = try run(["chat", "--output", "jsonl", path]).out.split(separator: "\n")
        #expect(lines.count == flagged.count)
        #expect(lines.allSatisfy { $0.contains("\"file\":\"chat:") && !$0.contains("\"verdict\":\"allow\"") })
        let c = try server.client()
        #expect(try c.pendingCount("chat:0", group: "g") == 0)
        #expect(try c.pendingCount("chat:1", group: "g") == 0)
    }

    @Test func aWorkerKilledMidRunLosesNothingWhenRestarted() throws {
        let server = try RedisServer()
        let (path, records) = try chatFile(big: true)
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "4", path])
        let c = try server.client()
        let first = try Background(worker(server, partitions: "0-3", consumer: "w1", extra: ["--batch", "50"]))
        let midRun = try eventually { (try c.call(RedisCommand("XLEN", "verdicts")).integer ?? 0) >= 200 }
        #expect(midRun)
        kill(first.process.processIdentifier, SIGKILL)
        first.wait()
        let done = try c.call(RedisCommand("XLEN", "verdicts")).integer ?? 0
        #expect(done < Int64(records), "the worker finished before it was killed; the test needs more records")
        let second = try run(worker(server, partitions: "0-3", consumer: "w1", extra: ["--batch", "50"]))
        #expect(second.status == 0, "\(second.err)")
        let out = try verdicts(c, "verdicts")
        #expect(Set(out.keys) == (try entryIDs(c, stream: "chat", partitions: 4)))
        #expect(out.count == records)
        for p in 0..<4 { #expect(try c.pendingCount("chat:\(p)", group: "scamscan") == 0) }
    }

    @Test func twoWorkersOnDisjointPartitionsShareTheWork() throws {
        let server = try RedisServer()
        let (path, records) = try chatFile()
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "4", path])
        let a = try Background(worker(server, partitions: "0,1", consumer: "a"))
        let b = try Background(worker(server, partitions: "2-3", consumer: "b"))
        #expect(a.wait() == 0, "\(a.err)")
        #expect(b.wait() == 0, "\(b.err)")
        let c = try server.client()
        let out = try verdicts(c, "verdicts")
        #expect(out.count == records)
        #expect(Set(out.keys) == (try entryIDs(c, stream: "chat", partitions: 4)))
        // Each worker read only its own partitions.
        for e in try c.entries("verdicts") {
            let source = e.fields["source"]!
            #expect(["chat:0", "chat:1", "chat:2", "chat:3"].contains(source))
        }
        #expect(a.err.contains("partitions:        0,1 of chat"))
        let aCount = try c.entries("chat:0").count + c.entries("chat:1").count
        #expect(a.err.contains("acknowledged:      \(aCount)"))
        // Channels keep their state on one worker: within 1% of one scan of the file.
        var fromStream: [String: Int] = [:]
        for o in out.values { fromStream[key(o), default: 0] += 1 }
        let file = try fileVerdicts(path)
        let differing = file.reduce(0) { $0 + abs($1.value - (fromStream[$1.key] ?? 0)) } / 2
        #expect(Double(differing) <= 0.01 * Double(records), "\(differing) verdicts differ")
    }

    @Test func aDeadConsumersPendingEntriesAreClaimed() throws {
        let server = try RedisServer()
        let (path, records) = try chatFile()
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "1", path])
        let c = try server.client()
        // A consumer reads 100 entries and dies without acknowledging them.
        try c.call(RedisCommand("XGROUP", "CREATE", "chat:0", "scamscan", "0"))
        let taken = try c.call(RedisCommand("XREADGROUP", "GROUP", "scamscan", "dead", "COUNT", "100", "STREAMS", "chat:0", ">"))
        #expect(taken.elements?.first?.elements?[1].elements?.count == 100)
        #expect(try c.pendingCount("chat:0", group: "scamscan") == 100)
        usleep(300_000)
        let live = try run(worker(server, partitions: "0", consumer: "live", extra: ["--claim-idle", "200ms"]))
        #expect(live.status == 0, "\(live.err)")
        #expect(live.err.contains("100 claimed from others"), "\(live.err)")
        #expect(try c.pendingCount("chat:0", group: "scamscan") == 0)
        #expect(try verdicts(c, "verdicts").count == records)
    }

    @Test func aServerRestartMidRunIsRetriedAndLosesNothing() throws {
        let server = try RedisServer(persistent: true)
        let (path, records) = try chatFile(big: true)
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "2", path])
        let c = try server.client()
        let w = try Background(worker(server, partitions: "0-1", consumer: "w1", extra: ["--batch", "50", "--idle-exit", "4s"]))
        #expect(try eventually { (try c.call(RedisCommand("XLEN", "verdicts")).integer ?? 0) >= 200 })
        try server.restart()
        #expect(w.wait() == 0, "\(w.err)")
        #expect(w.err.contains("reconnecting"), "\(w.err)")
        let again = try server.client()
        let out = try verdicts(again, "verdicts")
        #expect(Set(out.keys) == (try entryIDs(again, stream: "chat", partitions: 2)))
        #expect(Set(out.keys).count == records)
        for p in 0..<2 { #expect(try again.pendingCount("chat:\(p)", group: "scamscan") == 0) }
    }

    @Test func badEntriesGetVerdictsWithErrorsAndNeverStallTheGroup() throws {
        let server = try RedisServer()
        let c = try server.client()
        var huge = RedisCommand("XADD", "chat:0", "*", "channel", "live", "user", "big", "text")
        huge.arg(Array(repeating: UInt8(ascii: "a"), count: 3_000_000))
        var cutMidCharacter = RedisCommand("XADD", "chat:0", "*", "channel", "live", "user", "cyrillic", "text")
        cutMidCharacter.arg(Array(("a" + String(repeating: "ё", count: 600_000)).utf8))  // the cut falls inside a character
        var notUTF8 = RedisCommand("XADD", "chat:0", "*", "channel", "live", "user", "bytes", "text")
        notUTF8.arg([0x66, 0x72, 0x65, 0x65, 0x20, 0xff, 0xfe, 0x63, 0x6f, 0x69, 0x6e, 0x73])
        let adds = try c.pipeline([
            RedisCommand("XADD", "chat:0", "*", "channel", "live", "user", "nobody", "message", "no text field here"),
            notUTF8, huge, cutMidCharacter,
            RedisCommand("XADD", "chat:0", "*", "ts", "yesterday-ish", "channel", "live", "user", "late", "text", "hello"),
            RedisCommand("XADD", "chat:0", "*", "channel", "live", "user", "coinplug",
                         "text", "FREE COINS generator no verification at free-coins-now.click"),
            // A partition key of another type: reported, skipped, never a crash.
            RedisCommand("SET", "chat:1", "not a stream"),
        ])
        #expect(adds.allSatisfy { !$0.isError })
        let w = try run(worker(server, partitions: "0-1", consumer: "w1", extra: ["--max-line-bytes", "1000000"]))
        #expect(w.status == 2, "the skipped partition makes the exit status 2: \(w.err)")
        #expect(w.err.contains("chat:1 is not a stream"))
        #expect(w.err.contains("bad entries:       4"))
        #expect(try c.pendingCount("chat:0", group: "scamscan") == 0)
        let out = Array(try verdicts(c, "verdicts").values)
        #expect(out.count == 6)
        let byUser = Dictionary(uniqueKeysWithValues: out.map { ($0["user"] as! String, $0) })
        #expect((byUser["nobody"]?["error"] as? String)?.contains("no 'text' field (fields: channel, user, message)") == true)
        #expect((byUser["bytes"]?["error"] as? String)?.contains("not valid UTF-8") == true)
        #expect(byUser["bytes"]?["text_base64"] != nil)
        #expect((byUser["big"]?["error"] as? String)?.contains("3000000 bytes, longer than --max-line-bytes 1000000") == true)
        let cut = byUser["cyrillic"]?["error"] as? String ?? ""
        #expect(cut.contains("1200001 bytes") && !cut.contains("UTF-8"), "cut back to a character boundary: \(cut)")
        #expect(byUser["cyrillic"]?["text_base64"] == nil)
        #expect(byUser["late"]?["error"] == nil)
        #expect(w.err.contains("bad timestamps:    1"))
        #expect(byUser["coinplug"]?["verdict"] as? String == "block")
    }

    @Test func verdictsThatCannotBeWrittenAreNeverAcknowledged() throws {
        let server = try RedisServer()
        let (path, _) = try chatFile()
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "1", path])
        let c = try server.client()
        try c.call(RedisCommand("SET", "verdicts", "a string, not a stream"))
        let w = try run(worker(server, partitions: "0", consumer: "w1", extra: ["--batch", "100"]))
        #expect(w.status == 2)
        #expect(w.err.contains("cannot write verdicts to verdicts: WRONGTYPE"), "\(w.err)")
        #expect(w.err.contains("entries stay pending, not acknowledged"))
        // The batch read stays pending: Redis would have run an XACK pipelined with the failed XADD.
        #expect(try c.pendingCount("chat:0", group: "scamscan") == 100)
        #expect(w.err.contains("acknowledged:      0"))
        // Once the output is fixed, a restarted worker writes them all.
        try c.call(RedisCommand("DEL", "verdicts"))
        let again = try run(worker(server, partitions: "0", consumer: "w1"))
        #expect(again.status == 0, "\(again.err)")
        #expect(try c.pendingCount("chat:0", group: "scamscan") == 0)
        #expect(again.err.contains("100 own pending recovered"))
    }

    @Test func aLostGroupIsCreatedAgainFromTheLastAcknowledgedEntry() throws {
        let server = try RedisServer()
        let (path, records) = try chatFile()
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "1", path])
        let first = try run(worker(server, partitions: "0", consumer: "w1", extra: ["--state", "redis"]))
        #expect(first.err.contains("acknowledged:      \(records)"), "\(first.err)")
        let c = try server.client()
        try c.call(RedisCommand("XGROUP", "DESTROY", "chat:0", "scamscan"))
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "1", "--input", "plain"], stdin: "one\ntwo\nthree\n")
        // Not the whole stream again: only what came after the saved state's last_id.
        let second = try run(worker(server, partitions: "0", consumer: "w2", extra: ["--state", "redis"]))
        #expect(second.status == 0, "\(second.err)")
        #expect(second.err.contains("entries:           3 "), "\(second.err)")
    }

    @Test func stateInRedisCarriesChannelHistoryAcrossRestarts() throws {
        let server = try RedisServer()
        let c = try server.client()
        let base = Int(Date().timeIntervalSince1970) - 600
        func publish(_ seconds: [Int]) throws {
            let lines = seconds.map { s -> String in
                let t = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(base + s)))
                return "\(t)\tlive\tcoinplug\tcheap coins here, dm me for the price list"
            }
            let r = try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "1", "--input", "tsv"],
                            stdin: lines.joined(separator: "\n") + "\n")
            #expect(r.status == 0, "\(r.err)")
        }
        func repeatedTextHits() throws -> Int {
            try c.entries("verdicts").filter { $0.fields["record"]!.contains("behaviour.repeated-text") }.count
        }
        try publish([0, 40])
        let first = try run(worker(server, partitions: "0", consumer: "w1", extra: ["--state", "redis"]))
        #expect(first.status == 0, "\(first.err)")
        let saved = try c.call(RedisCommand("HGETALL", "chat:0:state")).elements ?? []
        let fields = stride(from: 0, to: saved.count, by: 2).map { saved[$0].text! }
        #expect(Set(fields) == ["snapshot", "last_id", "saved_at", "version"])
        let lastID = try c.entries("chat:0").last!.id
        #expect(try c.call(RedisCommand("HGET", "chat:0:state", "last_id")).text == lastID)
        #expect(try repeatedTextHits() == 0)
        // The third repetition arrives after a restart: only the restored history sees it.
        try publish([80])
        let second = try run(worker(server, partitions: "0", consumer: "w2", extra: ["--state", "redis"]))
        #expect(second.status == 0, "\(second.err)")
        #expect(try repeatedTextHits() == 1)
        // The control: without --state redis the new worker starts with no history.
        try publish([120])
        try run(worker(server, partitions: "0", consumer: "w3"))
        #expect(try repeatedTextHits() == 1)
    }

    @Test func sigtermFinishesTheBatchAcknowledgesAndExits143() throws {
        let server = try RedisServer()
        let (path, records) = try chatFile()
        try run(["publish", "--redis", server.urlText, "--stream", "chat", "--partitions", "1", path])
        let c = try server.client()
        var args = worker(server, partitions: "0", consumer: "w1", extra: ["--state", "redis"])
        args.removeAll { $0 == "--idle-exit" || $0 == "1500ms" }
        let w = try Background(args)
        #expect(try eventually { (try c.call(RedisCommand("XLEN", "verdicts")).integer ?? 0) == Int64(records) })
        kill(w.process.processIdentifier, SIGTERM)
        #expect(w.wait(seconds: 10) == 143, "\(w.err)")
        #expect(try c.pendingCount("chat:0", group: "scamscan") == 0)
        #expect(try c.call(RedisCommand("EXISTS", "chat:0:state")).integer == 1)
    }

    @Test func badWorkerOptionsAreRefusedWithTheFix() throws {
        for (args, says) in [
            (["chat", "--redis", "redis://127.0.0.1:1", "--stream", "chat", "--partitions", "0"], "--redis needs --group"),
            (["chat", "--stream", "chat"], "--stream needs --redis URL"),
            (["chat", "--redis", "redis://127.0.0.1:1", "--stream", "c", "--partitions", "0", "--group", "g", "--consumer", "c", "--state", "x.state"], "--state takes only 'redis'"),
            (["chat", "--redis", "redis://127.0.0.1:1", "--stream", "c", "--partitions", "0", "--group", "g", "--consumer", "c", "file.tsv"], "drop the files"),
            (["chat", "--redis", "redis://127.0.0.1:1", "--stream", "c", "--partitions", "x", "--group", "g", "--consumer", "c"], "partition numbers and ranges"),
            (["chat", "--redis", "rediss://h", "--stream", "c", "--partitions", "0", "--group", "g", "--consumer", "c"], "TLS"),
            (["publish", "--redis", "redis://127.0.0.1:1", "--stream", "c", "--partitions", "0"], "--partitions must be from 1"),
        ] {
            let r = try run(args)
            #expect(r.status == 2)
            #expect(r.err.contains(says), "\(args): \(r.err)")
        }
    }

    @Test func anUnreachableServerIsRetriedThenReported() throws {
        let port = RedisServer.freePort()
        let started = Date()
        let r = try run(["chat", "--redis", "redis://127.0.0.1:\(port)", "--stream", "c", "--partitions", "0", "--group", "g",
                         "--consumer", "c", "--retry-for", "1s"])
        #expect(r.status == 2)
        #expect(r.err.contains("retrying with backoff"))
        #expect(r.err.contains("gave up after 1 s"))
        #expect(Date().timeIntervalSince(started) >= 1)
        let publish = try run(["publish", "--redis", "redis://127.0.0.1:\(port)", "--stream", "c", "--partitions", "2", "--retry-for", "1s"],
                              stdin: "hello\n")
        #expect(publish.status == 2)
        #expect(publish.err.contains("retrying with backoff") && publish.err.contains("gave up after 1 s"), "\(publish.err)")
    }
}
