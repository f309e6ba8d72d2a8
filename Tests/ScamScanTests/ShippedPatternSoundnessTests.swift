import Foundation
import Testing
import Matcher
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

/// The prefilter is sound on the shipped pack: for every shipped pattern rule, in the view it runs
/// on, the prefilter engine reports exactly what the naive loop (every pattern on every record)
/// reports, spans included. The patterns come from the rule loader, so single-quoted,
/// double-quoted and block patterns are all covered with the flags the pack compiles them with;
/// the folded inputs are the real folded bytes, not a lower-cased stand-in.
@Suite struct ShippedPatternSoundnessTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Real chat shipped in the repo (Corpus/ordinary, with its sources and licences), the
    /// corpus's labelled scams, and disguised scam phrases.
    static func inputs() throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        let ordinary = root.appendingPathComponent("Corpus/ordinary")
        for name in ["copypasta-unicode-gamesdonequick.txt", "copypasta-gamesdonequick.txt", "rechat-84065913.tsv", "rechat-158202424.tsv"] {
            let data = try #require(FileManager.default.contents(atPath: ordinary.appendingPathComponent(name).path), "Corpus/ordinary/\(name) is shipped")
            for line in data.split(separator: 0x0A).prefix(1500) {
                // TSV: the message is the fourth field.
                let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
                lines.append(Array(name.hasSuffix(".tsv") && fields.count >= 4 ? fields[3] : line))
            }
        }
        let sample = try #require(FileManager.default.contents(atPath: root.appendingPathComponent("Corpus/chat/sample.tsv").path))
        for line in sample.split(separator: 0x0A) {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            lines.append(Array(fields.count >= 4 ? fields[3] : line))
        }
        lines += ["FREE COINS GENERATOR at coinz.xyz", "cheap coins dm me on telegram", "I'm the real luna, this is my backup account",
                  "buy 1000 followers $5", "send 1 rose get 10 back", "bit.ly/3xYz free gift", "ｆｒｅｅ ｃｏｉｎｓ", "fr33 c0ins at tikt0k(.)com",
                  "Ⓕⓡⓔⓔ ⓒⓞⓘⓝⓢ", "g e t  f r e e  c o i n s", "che\u{AD}ap coins", "ᴄʜᴇᴀᴘ ᴄᴏɪɴꜱ"].map { Array($0.utf8) }
        return lines
    }

    func hits(_ matcher: any MultiMatcher, _ input: [UInt8], _ scratch: MatchScratch) -> ([PatternHit], [Int]) {
        var hits: [PatternHit] = [], limited: [Int] = []
        input.withUnsafeBytes { matcher.scan($0, scratch: scratch, hits: &hits, limited: &limited) }
        return (hits, limited)
    }

    @Test func prefilterAgreesWithTheNaiveLoopInBothViews() throws {
        let rules = Self.root.appendingPathComponent("Rules").path
        let prefilter = try CompiledPack.load(directories: [rules], engine: .prefilter)
        let naive = try CompiledPack.load(directories: [rules], engine: .naive)
        #expect(prefilter.raw.ruleIndices == naive.raw.ruleIndices && prefilter.folded.ruleIndices == naive.folded.ruleIndices)
        // Every pattern rule of the pack is in one of the two views; none was skipped.
        let patternRules = prefilter.rules.indices.filter { prefilter.rules[$0].kind == .pattern }
        #expect(Set(prefilter.raw.ruleIndices + prefilter.folded.ruleIndices) == Set(patternRules))
        try #require(patternRules.count >= 60, "the shipped pack's pattern rules load")
        let raw = try Self.inputs()
        var folder = FoldedText()
        var folded: [[UInt8]] = []
        var changed = 0
        for input in raw {
            input.withUnsafeBytes { folder.fold($0) }
            if folder.bytes != input { changed += 1 }
            folded.append(folder.bytes)
        }
        #expect(changed > raw.count / 4, "folding changes many inputs (\(changed) of \(raw.count)): the folded view is really exercised")
        let s1 = MatchScratch(), s2 = MatchScratch()
        var mismatches: [String] = []
        var matched = 0
        for (view, inputs, p, n) in [("raw", raw, prefilter.raw, naive.raw), ("folded", folded, prefilter.folded, naive.folded)] {
            for input in inputs {
                let expected = hits(n.matcher, input, s1), got = hits(p.matcher, input, s2)
                if !expected.0.isEmpty { matched += 1 }
                if expected.0 != got.0 || expected.1 != got.1, mismatches.count < 10 {
                    let missing = Set(expected.0.map(\.pattern)).symmetricDifference(got.0.map(\.pattern))
                        .map { prefilter.rules[p.ruleIndices[$0]].id }
                    mismatches.append("\(view) \(String(decoding: input, as: UTF8.self).debugDescription): differs on \(missing)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(matched > 50, "the inputs match shipped patterns (\(matched) times), so agreement is not agreement on nothing")
    }
}
