import Foundation
import Testing

/// Impersonated handles as a user meets them: the channel field, --protect, JSON evidence.
@Suite(.serialized) struct HandleCLITests {
    let rules = repoRoot + "/Rules"

    @Test func lookalikeAuthorOfTheChannelAskingForGiftsBlocks() throws {
        let tsv = "timestamp\tchannel\tuser\tmessage\n"
            + "2026-11-29T12:00:00Z\tlunapaints\tluna.paints.backup\tmy main is bugged, send your gifts to this account 💜\n"
            + "2026-11-29T12:00:01Z\tlunapaints\tlunapaints\tthanks for the gifts everyone!\n"
        let r = try scamscan(["chat", "--rules", rules, "--output", "jsonl", "--all"], stdin: tsv)
        let records = r.out.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(records.count == 2)
        #expect(records[0]["verdict"] as? String == "block")
        let hits = records[0]["hits"] as! [[String: Any]]
        let handle = try #require(hits.first { $0["rule"] as? String == "impersonation.lookalike-handle" })
        #expect(handle["category"] as? String == "impersonation")
        #expect(handle["evidence"] as? String == "author @luna.paints.backup imitates @lunapaints (decorated with 'backup'; protected: lists/protected-handles.txt:13)")
        #expect(records[1]["verdict"] as? String == "allow")
    }

    @Test func protectAddsHandlesFromTheCommandLine() throws {
        let tsv = "timestamp\tchannel\tuser\tmessage\n2026-11-29T12:00:00Z\tsomechannel\tpixe1queen\thello\n"
        let without = try scamscan(["chat", "--rules", rules, "--output", "jsonl"], stdin: tsv)
        #expect(without.status == 1 && without.out.isEmpty)
        let with = try scamscan(["chat", "--rules", rules, "--output", "jsonl", "--protect", "@PixelQueen", "--threshold", "2"], stdin: tsv)
        #expect(with.status == 0)
        #expect(with.out.contains("\"evidence\":\"author @pixe1queen imitates @pixelqueen (confusable characters; protected: --protect)\""))
        let channelOnly = try scamscan(["chat", "--rules", rules, "--output", "jsonl", "--protect", "other:pixelqueen", "--threshold", "2"], stdin: tsv)
        #expect(channelOnly.status == 1)
    }
}
