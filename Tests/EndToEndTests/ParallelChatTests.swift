import Foundation
import Testing

/// `scamscan chat -j N` over files: channels split across threads, output in input order.
@Suite struct ParallelChatTests {
    let sample = repoRoot + "/Corpus/chat/sample.tsv"
    let rechat = repoRoot + "/Corpus/ordinary/rechat-98355852.tsv"

    @Test func threadsGiveTheSameOutputInInputOrder() throws {
        let one = try scamscan(["chat", "--output", "jsonl", "--all", sample, rechat])
        #expect(one.status == 0)
        for j in ["2", "3", "8"] {
            let many = try scamscan(["chat", "--output", "jsonl", "--all", "-j", j, sample, rechat])
            #expect(many.status == 0, "\(many.err)")
            // Every channel's state stays on one thread, and no user of these files writes in
            // two channels: byte for byte the single-threaded output.
            #expect(many.out == one.out, "-j \(j)")
        }
        // Input order: files in turn, line numbers increasing within each.
        var last: [String: Int] = [:]
        var files: [String] = []
        for line in one.out.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let file = o["file"] as! String, n = o["line"] as! Int
            if files.last != file { files.append(file) }
            #expect(n > last[file, default: 0])
            last[file] = n
        }
        #expect(files == [sample, rechat])
    }

    @Test func statsCountEveryRecordOnceAcrossThreads() throws {
        func counts(_ args: [String]) throws -> [String] {
            let r = try scamscan(["chat", "--stats"] + args + [sample])
            return r.err.split(separator: "\n").filter { $0.contains("records:") || $0.contains("verdicts:") || $0.contains("lines:") }.map(String.init)
        }
        let one = try counts([])
        #expect(one.count >= 4)  // the summary lines that count lines, records and verdicts
        #expect(try counts(["-j2"]) == one)
        let r = try scamscan(["chat", "--stats", "-j", "2", sample])
        #expect(r.err.contains("workers:           2"))
    }

    @Test func standardInputAndStateStayOnOneThread() throws {
        let text = try String(contentsOfFile: sample, encoding: .utf8)
        let piped = try scamscan(["chat", "-j", "2"], stdin: text)
        #expect(piped.status == 0)
        #expect(piped.err.contains("-j applies to files; standard input is classified on one thread"))
        #expect(piped.out == (try scamscan(["chat"], stdin: text)).out)
        let state = try scamscan(["chat", "-j", "2", "--state", "/tmp/x.state", sample])
        #expect(state.status == 2)
        #expect(state.err.contains("it cannot go with -j 2"))
        let bad = try scamscan(["chat", "-j", "0", sample])
        #expect(bad.status == 2)
        #expect(bad.err.contains("-j/--threads must be from 1 to 256"))
    }
}
