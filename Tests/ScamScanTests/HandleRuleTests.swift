import Foundation
import Testing
@testable import ScamScan
@testable import ScanSupport
@testable import Normalise
@testable import Stream
@testable import Model
@testable import Checks
@testable import Score
@testable import Transactions
@testable import Output
@testable import Pipeline
@testable import Regression

/// `handle_lookalike` rules through the classifier: authors, mentions, channels, lists.
@Suite struct HandleRuleTests {
    static let rules = """
    - id: impersonation.lookalike
      kind: handle_lookalike
      category: impersonation
      description: look-alike handles
      list: lists/handles.txt
      platform_names: [tiktok, support]
      score: 5
      match: ["#lunaria <lunnaria> hi"]
      no_match: ["#lunaria <lunaria> hi"]
    - id: impersonation.mixed
      kind: handle_lookalike
      category: impersonation
      description: mixed scripts
      techniques: [mixed_script]
      protect_channel_owner: false
      score: 2
      match: ["<crеator> hi"]
      no_match: ["<creator> hi"]
    - id: other.dm
      category: other
      description: dm me
      pattern: 'dm me'
      view: folded
      score: 4
      match: ["dm me"]
      no_match: ["dm"]
    """

    func pack(list: String = "creatorkai\nlunaria: mod_jess\n", protect: [String] = []) throws -> CompiledPack {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/lists", withIntermediateDirectories: true)
        write(list, to: dir + "/lists/handles.txt")
        write("pack: t\n", to: dir + "/pack.yml")
        write(Self.rules, to: dir + "/rules.yml")
        return try CompiledPack.load(directories: [dir], protect: protect)
    }

    /// One classifier sees the same authors again and again (its answers are cached by the bytes
    /// of channel and author): the answer still depends on both, and on nothing else.
    @Test func anAuthorsAnswerDependsOnItsChannelAcrossRepeats() throws {
        let p = try pack()
        let classifier = Classifier(pack: p)
        func lookalike(_ user: String, in channel: String) -> Bool {
            var c = Classification()
            classifier.classify("hi", user: user, channel: channel, into: &c)
            return c.hits.contains { p.rules[$0.rule].id == "impersonation.lookalike" }
        }
        for _ in 0..<3 {
            #expect(lookalike("streamerr", in: "streamer"))          // the channel's owner, imitated
            #expect(!lookalike("streamerr", in: "gamingzone"))       // same author, other channel
            #expect(lookalike("streamerr", in: "STREAMER"))          // the channel as written in capitals
            #expect(!lookalike("streamer", in: "streamer"))          // the owner itself
            #expect(lookalike("creatorkaii", in: "gamingzone"))      // a listed handle, in any channel
            #expect(!lookalike("creatorkai", in: "gamingzone"))       // the listed handle itself
        }
    }

    /// @mentions are cached like authors, apart from them: the answer follows the channel, and
    /// a name seen as a mention is still judged as an author (and back) in the same classifier.
    @Test func aMentionsAnswerDependsOnItsChannelAcrossRepeats() throws {
        let p = try pack()
        let classifier = Classifier(pack: p)
        func hit(_ text: String, user: String? = nil, in channel: String) -> String? {
            var c = Classification()
            classifier.classify(text, user: user, channel: channel, into: &c)
            return c.hits.first { p.rules[$0.rule].id == "impersonation.lookalike" }
                .map { "\($0.start)-\($0.end) " + ($0.evidence?.split(separator: " ").first.map(String.init) ?? "") }
        }
        for _ in 0..<3 {
            #expect(hit("hi @streamerr", in: "streamer") == "3-13 mention")        // the owner, imitated
            #expect(hit("hi @streamerr", in: "gamingzone") == nil)                 // other channel
            #expect(hit("hi @streamer", in: "streamer") == nil)                    // the owner itself
            #expect(hit("hi", user: "streamerr", in: "streamer") == "0-0 author")  // the same name as author
            #expect(hit("yo yo @streamerr", in: "STREAMER") == "6-16 mention")     // the span is the record's
        }
    }

    func classify(_ pack: CompiledPack, _ text: String, user: String? = nil, channel: String? = nil) -> Classification {
        var c = Classification()
        Classifier(pack: pack).classify(text, user: user, channel: channel, into: &c)
        return c
    }

    func evidence(_ pack: CompiledPack, _ c: Classification) -> [String] {
        c.hits.map { "\(pack.rules[$0.rule].id)@\($0.start)-\($0.end): \($0.evidence ?? "")" }
    }

    @Test func lookalikeOfTheChannelOwnerAskingForDMsBlocks() throws {
        let p = try pack()
        let c = classify(p, "dm me for a shoutout", user: "lunnaria", channel: "lunaria")
        #expect(evidence(p, c) == [
            "impersonation.lookalike@0-0: author @lunnaria imitates @lunaria (edit distance 1: 'n' repeated; protected: the channel owner)",
            "other.dm@0-5: "])
        #expect(c.verdict == .block)
        // The owner, in their own channel, in any case, is themself.
        #expect(classify(p, "dm me for a shoutout", user: "LunAria", channel: "lunaria").hits.map { p.rules[$0.rule].id } == ["other.dm"])
        // Another channel's owner is not protected here, and short names do not collide.
        #expect(classify(p, "hi", user: "lunnaria", channel: "kai").hits.isEmpty)
        #expect(classify(p, "hi", user: "lunna", channel: "luna").hits.isEmpty)
    }

    @Test func listedHandlesAreProtectedEverywhereOrInTheirChannel() throws {
        let p = try pack()
        #expect(evidence(p, classify(p, "hi", user: "creatorkai_official", channel: "kai")) == [
            "impersonation.lookalike@0-0: author @creatorkai_official imitates @creatorkai (decorated with 'official'; protected: lists/handles.txt:1)"])
        #expect(evidence(p, classify(p, "hi", user: "mod.jess", channel: "lunaria")) == [
            "impersonation.lookalike@0-0: author @mod.jess imitates @mod_jess (separators added or removed; protected: lists/handles.txt:2)"])
        #expect(classify(p, "hi", user: "mod.jess", channel: "kai").hits.isEmpty)
        #expect(classify(p, "hi", user: "mod_jess", channel: "lunaria").hits.isEmpty)
        #expect(classify(p, "hi", user: "creatorkai", channel: "lunaria").hits.isEmpty)
    }

    @Test func mentionsAreCheckedAsWrittenWithTheirRawSpan() throws {
        let p = try pack()
        let text = "send gifts to @crеatorkai now"  // Cyrillic е: the folded text reads creatorkai
        let c = classify(p, text, channel: "lunaria")
        #expect(evidence(p, c) == [
            "impersonation.lookalike@14-26: mention @crеatorkai imitates @creatorkai (confusable characters, mixing Latin and Cyrillic letters; protected: lists/handles.txt:1)",
            "impersonation.mixed@14-26: mention @crеatorkai mixes Latin and Cyrillic letters"])
        #expect(String(decoding: Array(text.utf8)[14..<26], as: UTF8.self) == "@crеatorkai")
        #expect(evidence(p, classify(p, "dm @tiktok_support now")) == [
            "impersonation.lookalike@3-18: mention @tiktok_support imitates @tiktok (decorated with 'support'; protected: platform name)"])
        #expect(classify(p, "follow @creatorkai and @lunaria", channel: "lunaria").hits.isEmpty)
    }

    @Test func protectFromTheCommandLine() throws {
        let p = try pack(protect: ["streamerbob", "kai:kai_mod"])
        #expect(evidence(p, classify(p, "hi", user: "streamerb0b")) == [
            "impersonation.lookalike@0-0: author @streamerb0b imitates @streamerbob (confusable characters; protected: --protect)"])
        #expect(classify(p, "hi", user: "kai.mod", channel: "kai").hits.count == 1)
        #expect(classify(p, "hi", user: "kai.mod", channel: "luna").hits.isEmpty)
    }

    @Test func badHandleListsAndFieldsAreReported() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/lists", withIntermediateDirectories: true)
        write("good\n  bad/handle\nluna:\n", to: dir + "/lists/handles.txt")
        write("pack: t\n", to: dir + "/pack.yml")
        write(Self.rules.replacingOccurrences(of: "techniques: [mixed_script]", with: "techniques: [mixed_scripts]"), to: dir + "/rules.yml")
        do {
            _ = try CompiledPack.load(directories: [dir])
            Issue.record("bad lists loaded")
        } catch {
            let text = error.diagnostics.map(\.description)
            #expect(text.contains("\(dir)/lists/handles.txt:2:3: impersonation.lookalike: 'bad/handle' is not a handle: it contains '/'; write one handle per line, or 'channel: handle ...'"))
            #expect(text.contains("\(dir)/lists/handles.txt:3:1: impersonation.lookalike: write 'channel: handle ...' with a channel name and at least one handle"))
            #expect(text.contains { $0.contains("impersonation.mixed: unknown handle technique 'mixed_scripts'; the techniques are: confusable, decoration, edit_distance, mixed_script") })
        }
    }

    @Test func lintRunsExamplesWithChannelAndAuthor() throws {
        let report = RuleLinter.check(try pack())
        #expect(report.failures.isEmpty, "\(report.failures)")
    }
}
