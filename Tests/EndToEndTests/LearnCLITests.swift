import Foundation
import Testing

@Suite struct LearnCLITests {
    /// `make model` runs this command; the committed model must be what it writes.
    @Test func theShippedModelRebuildsByteForByte() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try scamscan(["learn", "--corpus", "Corpus", "--folds", "0", "--output", dir + "/model.ssm"])
        #expect(r.status == 0, "\(r.err)")
        let rebuilt = try #require(FileManager.default.contents(atPath: dir + "/model.ssm"))
        let shipped = try #require(FileManager.default.contents(atPath: repoRoot + "/Rules/model.ssm"))
        // Compared outside #expect: its diff of two megabyte-long values takes hours.
        let same = rebuilt == shipped
        #expect(same, "Rules/model.ssm (\(shipped.count) bytes) is not what `make model` builds from Corpus/ (\(rebuilt.count) bytes): run `make model` and commit it")
    }

    func write(_ text: String, _ path: String) { try! text.write(toFile: path, atomically: true, encoding: .utf8) }

    func labelledSet(_ dir: String) {
        var tsv = "label\ttext\n"
        var chat = "timestamp\tchannel\tuser\tmessage\n"
        let offers = ["free coins", "cheap followers", "free gift card", "double your crypto"]
        let calls = ["click here", "dm me now", "claim your prize", "message me on telegram"]
        let talk = ["that was a great play", "lol what a fail", "hi from brazil", "gg everyone", "love this song", "pog"]
        for i in 0..<80 {
            tsv += "scam\t\(offers[i % 4]) \(calls[(i / 4) % 4]) www.site\(i % 5).xyz\n"
            tsv += "ham\t\(talk[i % 6]) \(i % 3 == 0 ? "lol" : "")\n"
            chat += "2026-01-01T00:\(String(format: "%02d", i % 60)):00Z\tchan\tuser\(i)\t\(talk[(i + 1) % 6]) again\n"
        }
        write(tsv, dir + "/a.tsv")
        write(chat, dir + "/chat.tsv")
    }

    @Test func learnReportsHeldOutFiguresAndBadRecords() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        labelledSet(dir)
        write("label\ttext\nscam\tfree coins dm me now www.site9.xyz\nmaybe\twhat\n", dir + "/b.tsv")
        let r = try scamscan(["learn", "a.tsv", "b.tsv", "--ham", "chat.tsv", "--folds", "3", "--bits", "14", "-o", "m.ssm"], directory: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("b.tsv:3:1: unknown label 'maybe'"))
        #expect(r.err.contains("1 record could not be read and was left out"))
        #expect(r.out.contains("read 241 labelled messages (81 scams, 160 ham) from 3 sources"))
        #expect(r.out.contains("k-fold: 3-fold cross-validation; held out: trained on every other source"))
        let rows = r.out.split(separator: "\n").filter { $0.hasPrefix("a.tsv") || $0.hasPrefix("chat.tsv") || $0.hasPrefix("all") }
        #expect(rows.count == 3, "\(r.out)")
        #expect(r.out.contains("wrote m.ssm"))
        #expect(FileManager.default.fileExists(atPath: dir + "/m.ssm"))
        // Nothing to learn from, and bad options: exit 2 with a reason.
        let none = try scamscan(["learn", "--ham", "chat.tsv"], directory: dir)
        #expect(none.status == 2 && none.err.contains("a model needs both"))
        let bad = try scamscan(["learn", "a.tsv", "--bits", "40"], directory: dir)
        #expect(bad.status == 2 && bad.err.contains("--bits must be from 10 to 24"))
        let empty = try scamscan(["learn"], directory: dir)
        #expect(empty.status == 2 && empty.err.contains("no labelled messages given"))
    }

    @Test func moderatorsDecisionsUpdateTheModelAndChatUsesIt() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        labelledSet(dir)
        #expect(try scamscan(["learn", "a.tsv", "--ham", "chat.tsv", "--folds", "0", "--bits", "14", "-o", "m.ssm"], directory: dir).status == 0)
        write("""
        - id: model.text
          kind: model
          category: other
          description: the model
          model: m.ssm
          score: 4
          params: {min_probability: 0.6, confident: 0.8}
          match: ["free coins dm me now www.site1.xyz"]
          no_match: ["gg everyone"]
        """, dir + "/model.yml")
        let local = "free gift card for the raffle winner, claim your prize at www.site2.xyz"
        let flagged = try scamscan(["chat", "--rules", ".", "--output", "jsonl"], stdin: local + "\n", directory: dir)
        #expect(flagged.status == 0 && flagged.out.contains("\"kind\":\"model\"") && flagged.out.contains("\"evidence\":\"p="))
        // A moderator labels the flagged record ham and folds it in.
        let record = flagged.out.trimmingCharacters(in: .newlines)
        let decision = String(record.dropLast()) + ",\"label\":\"ham\"}\n"
        write(String(repeating: decision, count: 3), dir + "/decisions.jsonl")
        let u = try scamscan(["learn", "--update", "m.ssm", "decisions.jsonl", "--threshold", "0.8"], directory: dir)
        #expect(u.status == 0, "\(u.err)")
        #expect(u.out.contains("on the wrong side of p=0.8: 3 of 3 before, 0 after"), "\(u.out)")
        let after = try scamscan(["chat", "--rules", ".", "--output", "jsonl"], stdin: local + "\n", directory: dir)
        #expect(after.status == 1 && !after.out.contains("\"kind\":\"model\""))
        // lint reads the updated model and its examples still behave.
        let lint = try scamscan(["lint", "--rules", "."], directory: dir)
        #expect(lint.status == 0, "\(lint.out)\(lint.err)")
        #expect(lint.out.contains("model.text: model m.ssm: format 1, checksum ") && lint.out.contains("features version 4: 2^14 slots")
                && lint.out.contains("1 update since"), "\(lint.out)")
        // A damaged model is a load error naming the file, exit 2, nothing scanned.
        var bytes = try #require(FileManager.default.contents(atPath: dir + "/m.ssm"))
        bytes = bytes.prefix(bytes.count - 10)
        try bytes.write(to: URL(fileURLWithPath: dir + "/m.ssm"))
        let broken = try scamscan(["chat", "--rules", "."], stdin: "hi\n", directory: dir)
        #expect(broken.status == 2 && broken.err.contains("model.yml:5:") && broken.err.contains("m.ssm: truncated"), "\(broken.err)")
    }
}
