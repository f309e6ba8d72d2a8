import Foundation
import Testing
@testable import Matcher

/// SplitMix64: a small deterministic generator, so every failure reproduces.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Words both the pattern and the input generators draw from, chosen to exercise case orbits
/// (k, s, Cyrillic, Greek sigma), multi-byte text and the short-atom budget.
let vocabulary = ["free", "coins", "gift", "kiss", "ks", "st", "sk", "monedas", "grátis", "монеты", "ΣΟΦΙΑ",
                  "σοφία", "bit.ly", "t.me", "gg", "a", "ab", "ok", "ƒ", "😀", "日本", "tiktok", "strass", "x",
                  "K1K2K3K4K5", "aaaaaaaaaaaa", "😀😀😀😀", "12345678901"]

/// A random pattern over `vocabulary`, with groups, classes, quantifiers and inline flags.
func randomPattern(_ rng: inout SeededRandom, depth: Int = 0) -> String {
    func atom(_ rng: inout SeededRandom) -> String {
        switch Int.random(in: 0..<14, using: &rng) {
        case 0...4:
            let w = vocabulary.randomElement(using: &rng)!
            return Bool.random(using: &rng) ? w.uppercased() : w
        case 5: return ["[ks]", "[a-c]", "[a-z]", "[ \\n]", "[0-9_]", "[^x]", "[Σσς]", "[\\w.]", "[kK]", "[0-9]", "[a-z0-9]{9,}", "[A-Z0-9]{8,}",
                        "[\\x{1F600}-\\x{1F64F}]{3,}", "[0-9]{8,}", "[a-z]{2}[0-9a-z]{7,}"].randomElement(using: &rng)!
        case 6: return [".", "\\w", "\\d", "\\s", "\\W", "\\S", "\\p{L}"].randomElement(using: &rng)!
        case 7: return ["\\b", "\\B", "^", "$", "\\A", "\\z", "\\Z"].randomElement(using: &rng)!
        case 8: return ["\\x{212A}", "\\x{17F}", "\\x41", "\\Qt.me\\E", "\\.", "\\N{U+3C3}"].randomElement(using: &rng)!
        case 9 where depth < 2:
            let inner = randomPattern(&rng, depth: depth + 1)
            return ["(?:\(inner))", "(\(inner))", "(?i:\(inner))", "(?-i:\(inner))", "(?=\(inner))", "(?!\(inner))", "(?>\(inner))",
                    "(?<=\(vocabulary.randomElement(using: &rng)!))", "(?<!\(vocabulary.randomElement(using: &rng)!))", "(?m:\(inner))", "(?s:\(inner))"]
                .randomElement(using: &rng)!
        case 10: return Bool.random(using: &rng) ? "(?i)" : "(?-i)"
        default: return vocabulary.randomElement(using: &rng)!
        }
    }
    var branches: [String] = []
    for _ in 0..<Int.random(in: 1...3, using: &rng) {
        var parts = ""
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            var a = atom(&rng)
            if !a.hasPrefix("(?i)") && !a.hasPrefix("(?-i)") && !["\\b", "\\B", "^", "$"].contains(a) && Int.random(in: 0..<4, using: &rng) == 0 {
                a = "(?:\(a))" + ["?", "*", "+", "{0,2}", "{2}", "{1,}", "??", "*+"].randomElement(using: &rng)!
            }
            parts += a
        }
        branches.append(parts)
    }
    let body = branches.joined(separator: "|")
    return depth == 0 && Int.random(in: 0..<4, using: &rng) == 0 ? "(?i)" + body : body
}

/// A random input line: vocabulary words with case flips, look-alike letters and bad bytes, now
/// and then a newline (a JSON message may hold one; such a record is scanned whole).
func randomInput(_ rng: inout SeededRandom) -> [UInt8] {
    var out: [UInt8] = []
    for _ in 0..<Int.random(in: 0...8, using: &rng) {
        var w = vocabulary.randomElement(using: &rng)!
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: w = w.uppercased()
        case 1: w = w.replacingOccurrences(of: "k", with: "\u{212A}")
        case 2: w = w.replacingOccurrences(of: "s", with: "\u{17F}")
        case 3: w = w.replacingOccurrences(of: "σ", with: "ς")
        default: break
        }
        out += Array(w.utf8)
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: out.append(0xFF)
        case 1: out += [0xC3]
        case 2: out += Array(".".utf8)
        case 3: if Int.random(in: 0..<4, using: &rng) == 0 { out.append(0x0A) }
        default: out.append(0x20)
        }
    }
    return out
}

@Suite struct PrefilterSoundnessTests {
    /// The engine's answer per (subject, pattern) equals the naive loop's, spans included.
    func expectSameAnswers(_ patterns: [String], _ inputs: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let specs = patterns.map { PatternSpec($0) }
        let naive = try NaiveMatcher(specs)
        let prefilter = try PrefilterMatcher(specs)
        let s1 = MatchScratch(), s2 = MatchScratch()
        var h1: [PatternHit] = [], h2: [PatternHit] = [], l1: [Int] = [], l2: [Int] = []
        var mismatches: [String] = []
        for input in inputs {
            input.withUnsafeBytes { bytes in
                naive.scan(bytes, scratch: s1, hits: &h1, limited: &l1)
                prefilter.scan(bytes, scratch: s2, hits: &h2, limited: &l2)
            }
            if h1 != h2 || l1 != l2, mismatches.count < 10 {
                let missing = Set(h1.map(\.pattern)).subtracting(h2.map(\.pattern)).map { "\(patterns[$0]) tree \(prefilter.trees[$0])" }
                mismatches.append("input \(String(decoding: input, as: UTF8.self).debugDescription): missing \(missing)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))", sourceLocation: sourceLocation)
        // Whole-buffer mode: the lines reported equal the lines the naive loop matches.
        var buffer: [UInt8] = []
        var expectedLines: [Range<Int>] = []
        for input in inputs where !input.contains(0x0A) {
            let start = buffer.count
            buffer += input
            let matched = input.withUnsafeBytes { bytes -> Bool in
                naive.scan(bytes, scratch: s1, hits: &h1, limited: &l1)
                return !h1.isEmpty
            }
            if matched { expectedLines.append(start..<buffer.count) }
            buffer.append(0x0A)
        }
        if !buffer.isEmpty { buffer.removeLast() }  // the final line end is not a line of its own
        var gotLines: [Range<Int>] = []
        buffer.withUnsafeBytes { prefilter.forEachMatchingLine(in: $0, scratch: s2) { gotLines.append($0) } }
        #expect(gotLines == expectedLines, sourceLocation: sourceLocation)
    }

    /// An atom may end on a line's newline ("ab\n" from `ab[ \n]`): the buffer loop takes it as
    /// that line's event and goes on, reporting only the lines the pattern matches on their own.
    @Test(.timeLimit(.minutes(1))) func atomEndingOnALineEndIsConsumed() throws {
        let prefilter = try PrefilterMatcher([PatternSpec("ab[ \\n]")])
        #expect(prefilter.trees[0].description.contains(#""ab\u{A}""#))
        let buffer = Array("xab\nab c\nzz ab\nab".utf8)
        var lines: [Range<Int>] = []
        buffer.withUnsafeBytes { prefilter.forEachMatchingLine(in: $0, scratch: MatchScratch()) { lines.append($0) } }
        #expect(lines == [4..<8])
    }

    @Test func generatedPatternsOnGeneratedInputs() throws {
        var rng = SeededRandom(state: 20261129)
        for round in 0..<20 {
            var patterns: [String] = []
            while patterns.count < 60 {
                let p = randomPattern(&rng)
                if (try? CompiledPattern(p)) != nil { patterns.append(p) }
            }
            let inputs = (0..<400).map { _ in randomInput(&rng) }
            try expectSameAnswers(patterns, inputs)
            _ = round
        }
    }

    // The shipped pack's patterns, in their views and with real folded input:
    // Tests/ScamScanTests/ShippedPatternSoundnessTests.swift.

    @Test func alwaysRunPatternsAreKeptWithTheirReason() throws {
        let m = try PrefilterMatcher([PatternSpec("free coins"), PatternSpec("\\d+"), PatternSpec("(a)?(?(1)a|b)"), PatternSpec("\\R\\d")])
        #expect(m.alwaysRun.map(\.pattern) == [1, 2, 3])
        #expect(m.alwaysRun[0].reason == "no literal of 2+ bytes that every match must contain; scanned over whole buffers")
        #expect(m.alwaysRun[2].reason == "no literal of 2+ bytes that every match must contain; runs on every line ('\\R' can match a line end with what precedes it)")
        #expect(m.alwaysRun[1].reason.hasPrefix("a conditional group is not understood by the literal prefilter"))
        var hits: [PatternHit] = [], limited: [Int] = []
        Array("b42".utf8).withUnsafeBytes { m.scan($0, scratch: MatchScratch(), hits: &hits, limited: &limited) }
        #expect(hits.map(\.pattern) == [1, 2])
        hits = []
        Array("b\r4".utf8).withUnsafeBytes { m.scan($0, scratch: MatchScratch(), hits: &hits, limited: &limited) }
        #expect(hits.map(\.pattern) == [1, 2, 3])
    }

    @Test func statsCountCandidatesAndConfirmations() throws {
        let m = try PrefilterMatcher([PatternSpec("free coins"), PatternSpec("gift card")])
        let scratch = MatchScratch()
        var hits: [PatternHit] = [], limited: [Int] = []
        for line in ["hello", "free stuff", "free coins", "coins free"] {
            Array(line.utf8).withUnsafeBytes { m.scan($0, scratch: scratch, hits: &hits, limited: &limited) }
        }
        // Only "free coins" contains the whole atom: one candidate, one confirmation.
        #expect(scratch.stats.candidateRecords == 1)
        #expect(scratch.stats.confirmations == 1)
    }
}
