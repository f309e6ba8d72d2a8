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

@Suite struct HandleFormTests {
    @Test func keysFoldCaseConfusablesAndSeparators() {
        #expect(HandleForm("@Creator").plain == "creator")
        #expect(HandleForm("creat0r").key == HandleForm("creator").key)
        #expect(HandleForm("crеator").key == HandleForm("creator").key)      // Cyrillic е
        #expect(HandleForm("northernIion").key == HandleForm("northernlion").key)  // capital I
        #expect(HandleForm("rnike").key == HandleForm("mike").key)
        #expect(HandleForm("cre.at_or").stripped == HandleForm("creator").stripped)
        #expect(HandleForm("crеat0r").stripped == HandleForm("creat0r").stripped)  // one-letter prototypes, digits kept
        #expect(HandleForm("northernlion").stripped.count == 12)                  // rn stays two letters
        #expect(HandleForm("crеator").mixesScripts && HandleForm("crеator").scriptNames == ["Latin", "Cyrillic"])
        #expect(!HandleForm("иван_петров").mixesScripts && !HandleForm("creator_2").mixesScripts)
    }

    @Test func looseFormsUndoStackedSwaps() {
        let luna = HandleForm("lunapaints").loose
        #expect(HandleForm("1unapaints").loose == luna)          // digit swap
        #expect(HandleForm("lun4p4ints").loose == luna)          // two digit swaps
        #expect(HandleForm("lunapalnts").loose == luna)          // l for i
        #expect(HandleForm("tvvitch").loose == HandleForm("twitch").loose)  // vv for w
        // Trailing digits stay digits: they are a decoration, not spelling.
        #expect(HandleForm("kairo2024").loose == HandleForm("kairo").loose + Array("2024".unicodeScalars.map(\.value)))
        #expect(HandleForm("lunapaints").loose != HandleForm("lunapainters").loose)
    }

    @Test func onlyLatinLookingLettersAcrossScriptsAreMixedScriptEvidence() {
        #expect(HandleForm("crеator").mixesConfusableScripts)     // Cyrillic е among Latin
        #expect(HandleForm("pаypal_help").mixesConfusableScripts)
        #expect(!HandleForm("王小明Lee").mixesConfusableScripts)    // CJK with Latin: a real name
        #expect(!HandleForm("José_García😊").mixesConfusableScripts)
        #expect(!HandleForm("иван_петров").mixesConfusableScripts)  // one script
    }
}

@Suite struct HandleIndexTests {
    static let protected = ["creator", "lunapaints", "northernlion", "tiktok", "kick", "mod_jess"]
    let index = HandleIndex(Self.protected.map { .init(form: HandleForm($0), source: "test") })

    func imitation(_ handle: String) -> String? {
        guard let m = index.imitation(of: HandleForm(handle), techniques: .default, maxDistance: nil) else { return nil }
        return "\(index.entries[m.entry].form.plain): \(m.detail)"
    }

    @Test(arguments: [
        ("creat0r", "creator: confusable characters"),
        ("crеator", "creator: confusable characters"),
        ("CREAT0R", "creator: confusable characters"),
        ("northernIion", "northernlion: confusable characters"),
        ("cre.ator", "creator: separators added or removed"),
        ("creator_official", "creator: decorated with 'official'"),
        ("real.creator", "creator: decorated with 'real'"),
        ("creator.backup", "creator: decorated with 'backup'"),
        ("creator_2", "creator: decorated with '2'"),
        ("the_real_creator", "creator: decorated with 'thereal'"),
        ("real_creator_official", "creator: decorated with 'official' and 'real'"),
        ("creator_official2024", "creator: decorated with '2024' and 'official'"),
        ("tiktok_support", "tiktok: decorated with 'support'"),
        ("kick_official", "kick: decorated with 'official'"),
        ("creatorr", "creator: edit distance 1: 'r' repeated"),
        ("craetor", "creator: edit distance 1: 'e' and 'a' swapped"),
        ("creatr", "creator: edit distance 1: 'o' left out"),
        ("creatxr", "creator: edit distance 1: 'o' replaced by 'x'"),
        ("creators", "creator: edit distance 1: 's' added"),
        ("lunaa.paints", "lunapaints: edit distance 1: 'a' repeated"),
        // Two tricks at once.
        ("1unapaints_0fficial", "lunapaints: decorated with 'official'"),
        ("lun4p4ints", "lunapaints: digits or look-alike letters swapped in"),
        ("cr3at0r_backup", "creator: decorated with 'backup'"),
        ("tvvitch_tiktok", "tiktok: decorated with 'twitch'"),
        ("creat0r_2fan", nil),
    ])
    func findsTheImitatedHandleAndHow(handle: String, expected: String?) {
        #expect(imitation(handle) == expected)
    }

    @Test(arguments: ["creator", "Creator", "@CREATOR", "lunapaints", "tiktok", "kick", "mod_jess",
                      "kicks", "kink", "nick", "creative", "create", "luna", "paints", "tiktoker_fan", "creatorfan123",
                      "northern_lights", "jess", "mod_jessica", "someone"])
    func protectedAndUnrelatedHandlesAreNotImitations(handle: String) {
        #expect(imitation(handle) == nil, "\(handle): \(imitation(handle) ?? "")")
    }

    @Test func digitVariantsOfANumberedHandleAreOtherPeople() {
        let numbered = HandleIndex([.init(form: HandleForm("john1234"), source: "test")])
        #expect(numbered.imitation(of: HandleForm("john1235"), techniques: .default, maxDistance: nil) == nil)
        #expect(numbered.imitation(of: HandleForm("j0hn1234"), techniques: .default, maxDistance: nil) != nil)
    }
}

/// dnstwist-style permutations of protected handles: every one must be caught.
@Suite struct HandleLookalikeGeneratorTests {
    static let protected = ["lunapaints", "northernlion", "mika_cooks", "retro_relay", "zeynep_oyunda", "creatorkai",
                            "dj_kairo", "pixelqueen", "streamerbob", "nightowl"]
    static let homoglyphs: [Character: [String]] = [
        "a": ["а", "ɑ"], "e": ["е"], "o": ["о", "0", "ο"], "i": ["і", "1", "ı"], "l": ["1", "I", "ӏ"], "c": ["с"],
        "p": ["р"], "x": ["х"], "y": ["у"], "s": ["ѕ"], "k": ["κ"], "n": ["ո"], "m": ["rn"], "j": ["ј"], "q": ["ԛ"],
        "h": ["һ"], "r": ["г"], "d": ["ԁ"], "b": ["Ь"], "w": ["ԝ"], "g": ["ɡ"], "t": ["τ"], "u": ["υ"], "v": ["ν"], "z": ["ᴢ"],
    ]
    static let keyboard: [Character: String] = [
        "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok", "o": "ipl", "p": "ol",
        "a": "qsz", "s": "adw", "d": "sfe", "f": "dgr", "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "ko",
        "z": "ax", "x": "zc", "c": "xv", "v": "cb", "b": "vn", "n": "bm", "m": "n",
    ]

    /// (technique, handle) for every permutation of `h`.
    static func permutations(_ h: String) -> [(String, String)] {
        let chars = Array(h)
        var out: [(String, String)] = []
        for (i, c) in chars.enumerated() where c.isLetter {
            for g in homoglyphs[c] ?? [] { out.append(("homoglyph", String(chars[..<i]) + g + String(chars[(i + 1)...]))) }
            out.append(("omission", String(chars[..<i]) + String(chars[(i + 1)...])))
            out.append(("repetition", String(chars[...i]) + String(c) + String(chars[(i + 1)...])))
            for r in keyboard[c] ?? "" { out.append(("replacement", String(chars[..<i]) + String(r) + String(chars[(i + 1)...]))) }
            if "aeiou".contains(c) {
                for v in "aeiou" where v != c { out.append(("vowel-swap", String(chars[..<i]) + String(v) + String(chars[(i + 1)...]))) }
            }
            if i + 1 < chars.count && chars[i + 1] != c && chars[i + 1].isLetter {
                var t = chars
                t.swapAt(i, i + 1)
                out.append(("transposition", String(t)))
            }
        }
        for a in "xz" { out.append(("addition", h + String(a))) }
        for affix in ["_official", ".official", "official_", "real_", "the.real.", "_backup", ".backup", "_live", "tv", "_tv",
                      "_2", "2", "_2024", "99", "support_", "_support", "tiktok_", "twitch.", ".", "_"] {
            out.append(("affix", affix.hasSuffix("_") || affix.hasSuffix(".") || affix == "real_" ? affix + h : h + affix))
        }
        return out.filter { $0.1.lowercased() != h }
    }

    @Test func everyPermutationOfEveryProtectedHandleIsCaught() throws {
        let check = HandleCheck(rule: 0, spec: HandleLookalikeRule(list: nil, platformNames: ["tiktok", "twitch"],
            protectChannelOwner: false, checkAuthor: true, checkMentions: true, techniques: .default), extra: Self.protected)
        var total = 0
        var missed: [String] = []
        var byTechnique: [String: Int] = [:]
        for h in Self.protected {
            for (technique, variant) in Self.permutations(h) {
                total += 1
                byTechnique[technique, default: 0] += 1
                if check.evidence(for: HandleForm(variant), role: "author", channel: nil, owner: nil) == nil {
                    missed.append("\(technique): \(variant) (of \(h))")
                }
            }
        }
        #expect(total > 1000)
        #expect(Set(byTechnique.keys) == ["homoglyph", "omission", "repetition", "replacement", "vowel-swap", "transposition", "addition", "affix"])
        #expect(missed.isEmpty, "\(missed.count) of \(total) missed: \(missed.prefix(20))")
    }
}

/// Real handles of different people must not be taken for each other.
@Suite struct HandleFalsePositiveTests {
    static let handles: [String] = {
        var root = URL(fileURLWithPath: #filePath)
        root.deleteLastPathComponent()
        let text = try! String(contentsOf: root.appendingPathComponent("Data/twitch-handles.txt"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
    }()

    @Test func realDistinctHandlesAreRarelyFlagged() {
        // Half protected, half checked, split by a fixed shuffle.
        var rng = SplitMix(seed: 7)
        var names = Self.handles
        for i in stride(from: names.count - 1, to: 0, by: -1) { names.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let half = names.count / 2
        let index = HandleIndex(names[..<half].map { .init(form: HandleForm($0), source: "real") })
        var flagged: [String] = []
        var close = 0
        for name in names[half...] {
            let form = HandleForm(name)
            if let m = index.imitation(of: form, techniques: .default, maxDistance: nil) {
                flagged.append("\(name) ~ \(index.entries[m.entry].form.plain) (\(m.detail))")
            }
            // "Close": within two edits of some protected handle, a harder set than the whole.
            if index.entries.contains(where: { abs($0.form.stripped.count - form.stripped.count) <= 2
                && optimalStringAlignmentDistance($0.form.stripped, form.stripped) <= 2 }) { close += 1 }
        }
        let checked = names.count - half
        let rate = Double(flagged.count) / Double(checked)
        print("handle false positives: \(flagged.count) of \(checked) real handles (\(String(format: "%.2f", rate * 100))%), \(flagged.count) of \(close) within two edits of a protected handle; \(flagged)")
        #expect(checked > 1200 && close >= 5)
        #expect(rate < 0.01)
        #expect(Double(flagged.count) / Double(close) < 0.5)
    }
}

/// A small deterministic generator (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
