import Testing
@testable import Matcher

@Suite struct LiteralExtractionTests {
    func tree(_ pattern: String, caseless: Bool = false) throws -> String {
        let node = try PatternParser.parse(pattern, caseless: caseless)
        return LiteralExtractor(budget: ExtractionBudget()).tree(for: node).description
    }

    /// Patterns paired with the literal condition extracted from them.
    @Test(arguments: [
        ("free coins", "\"free coins\""),
        ("\\bfree\\s+coins?\\b", "AND(\"free\", \"coin\")"),
        ("(?:free|unlimited)\\s+gems", "AND(OR(\"free\", \"unlimited\"), \"gems\")"),
        ("FREE", "\"free\""),                       // atoms are ASCII-lower-cased
        ("cheap.{0,20}coins", "AND(\"cheap\", \"coins\")"),
        ("colou?r", "OR(\"color\", \"colour\")"),
        ("a+b", "*"),                               // no literal of 2+ bytes
        ("\\d{3}-\\d{4}", "*"),
        ("(?i)kit", #"OR("kit", "\u{212A}it")"#),   // KELVIN SIGN is a caseless k
        ("(?i)gas", #"OR("gas", "ga\u{17F}")"#),    // LONG S is a caseless s
        ("t\\.me/\\w+", "\"t.me/\""),
        ("\\Qa.b*c\\E", "\"a.b*c\""),
        ("bit\\.ly|tinyurl\\.com", "OR(\"bit.ly\", \"tinyurl.co\")"),  // atoms are cut to 10 bytes
        ("(?=.*coins)gift", "\"gift\""),            // lookaround content is not required
        ("x(?#comment)yz", "\"xyz\""),
        ("(?x) f r e e  # spaced\n coins", "\"freecoins\""),
        ("[Ff]ree", "\"free\""),
        ("[^a]bcd", "\"bcd\""),
        ("(abc)\\1", "\"abc\""),
        ("\\x{41}\\x42C", "\"abc\""),
        ("(free)+coins", "AND(\"free\", \"coins\")"),
        ("(?:free)?coins", "\"coins\""),
        ("x[0-9]y", #"OR("x0y", "x1y", "x2y", "x3y", "x4y", "x5y", "x6y", "x7y", "x8y", "x9y")"#),
    ])
    func extractsRequiredLiterals(pattern: String, expected: String) throws {
        #expect(try tree(pattern) == expected)
    }

    @Test func caselessFlagScopes() throws {
        // (?i) inside a group ends with the group; (?-i) turns it off; across | it carries on.
        #expect(try tree("(?:(?i)x)kk") == #""xkk""#)
        #expect(try tree("(?i)k(?-i)kk") == #"OR("kkk", "\u{212A}kk")"#)
        #expect(try tree("(?:(?i)k)kk") == #"OR("kkk", "\u{212A}kk")"#)
        #expect(try tree("(?:a(?i)|k)kk") == #"OR("akk", "kkk", "\u{212A}kk")"#)
        #expect(try tree("k", caseless: true) == "*")  // 1 byte: too short to select anything
        #expect(try tree("kkk", caseless: true) == #"OR("kkk", "kk\u{212A}", "k\u{212A}k", "k\u{212A}\u{212A}", "\u{212A}kk", "\u{212A}k\u{212A}", "\u{212A}\u{212A}k", "\u{212A}\u{212A}\u{212A}")"#)
    }

    @Test func shortClassesGrowUntilTheyMakeAtoms() throws {
        // Two bytes and a 26-letter class: more than 16 strings, but while they are shorter than
        // an atom the set may grow to 64, and here it ends as 26 three-byte atoms.
        let u = try tree("us[a-z]")
        #expect(u.hasPrefix("OR(\"usa\", \"usb\"") && u.hasSuffix("\"usz\")"))
        #expect(u.components(separatedBy: "\", \"").count == 26)
        // The larger budget is only for short strings: three-byte strings stop at 16.
        #expect(try tree("abc[a-z]") == "\"abc\"")
        // "$" and a letter are still two bytes, and 26 * 37 is over budget: no condition.
        #expect(try tree("\\$[a-z][a-z0-9_]") == "*")
        // More than 64 short strings is no set at all.
        #expect(try tree("[a-z][a-z][a-z]") == "*")
    }

    @Test func atomsMayHoldANewline() throws {
        // A class with "\n" among its members keeps its atoms: a match inside one line is found
        // by "c o", and a record holding a newline is scanned whole, where "c\no" is found.
        #expect(try tree("c[ \\n][o0]") == #"OR("c\u{A}0", "c\u{A}o", "c 0", "c o")"#)
    }

    @Test func nonASCIICaselessWordsSplitIntoBoundedPieces() throws {
        // 2^6 spellings of "монеты" exceed the exact-set budget: two ORs of 3-letter pieces.
        let t = try tree("(?i)монеты")
        #expect(t.hasPrefix("AND(OR("))
        #expect(t.contains(#""\u{43C}\u{43E}\u{43D}""#) && t.contains(#""\u{435}\u{442}\u{44B}""#))
    }

    /// The buffer form wraps every atom that could match a newline, and nothing else.
    @Test(arguments: [
        ("\\bfree\\s+coins", "\\bfree(?:(?!\\n)\\s)+coins"),
        ("a[^b]c.d", "a(?:(?!\\n)[^b])c.d"),
        ("(?s)a.b", "(?s)a(?:(?!\\n).)b"),
        ("x\\p{L}{2,}(?:\\W|y)", "x(?:(?!\\n)\\p{L}){2,}(?:(?:(?!\\n)\\W)|y)"),
        ("[\\s,]+$", "(?:(?!\\n)[\\s,])+$"),
        ("^\\d{5,}\\b", "^\\d{5,}\\b"),
    ])
    func bufferFormKeepsMatchesInsideLines(pattern: String, expected: String) throws {
        let (_, buffer) = try PatternParser.parseWithLineSafety(pattern, caseless: false)
        #expect(try buffer.get() == expected)
    }

    @Test(arguments: ["\\Aabc", "abc\\z", "a\\Rb", "(?-m)^ab", "a\\Gb", "a\\Xb"])
    func subjectAnchorsHaveNoBufferForm(pattern: String) throws {
        let (_, buffer) = try PatternParser.parseWithLineSafety(pattern, caseless: false)
        #expect(throws: UnsupportedSyntax.self) { try buffer.get() }
    }

    /// Patterns without literals, paired with the byte run every match must contain.
    @Test(arguments: [
        ("[A-Z0-9]{27,}", false, 27, "A5", "a"),
        ("(?i)\\b[a-z0-9]{37,}\\b", false, 37, "aZ9", "-"),
        ("[\\x{1F600}-\\x{1F64F}]{6,}", false, 24, "\u{F0}", "a"),
        ("x[0-9]{5}y|[0-9]{9,}", false, 5, "7", "x"),
    ])
    func runRequirements(pattern: String, caseless: Bool, length: Int, inSet: String, notInSet: String) throws {
        let node = try PatternParser.parse(pattern, caseless: caseless)
        let run = try #require(RunRequirement.of(node))
        #expect(run.length == length)
        for b in inSet.unicodeScalars { #expect(run.bytes.contains(UInt8(b.value)), "\(b)") }
        for b in notInSet.unicodeScalars { #expect(!run.bytes.contains(UInt8(b.value)), "\(b)") }
    }

    @Test func caselessWideClassesIncludeTheOrbitBytes() throws {
        // (?i)[a-z] also matches KELVIN SIGN (E2 84 AA) and LONG S (C5 BF): their bytes must be in the run.
        let run = try #require(RunRequirement.of(try PatternParser.parse("[a-z0-9]{20,}", caseless: true)))
        for b: UInt8 in [0xE2, 0x84, 0xAA, 0xC5, 0xBF] { #expect(run.bytes.contains(b)) }
    }

    /// What the parser does not model goes to the always-run set with a reason.
    @Test(arguments: [
        "(?R)", "a(?1)", "(?(1)a|b)", "(*UCP)abc", "a(?C1)b", "(?xx)a b", "\\g<1>", "abc\\i",
        "free{,2}",  // PCRE2 10.42 reads {,2} as text, 10.43 as a quantifier: do not guess
    ])
    func unsupportedSyntaxIsReported(pattern: String) {
        #expect(throws: UnsupportedSyntax.self) { try PatternParser.parse(pattern, caseless: false) }
    }

    @Test func orbitsAgreeWithPCRE2ForEveryCharacterTheyName() throws {
        // Every pair within a row matches caselessly in PCRE2.
        let scratch = MatchScratch()
        for row in caseOrbitTable {
            for a in row {
                let p = try CompiledPattern("^\\x{\(String(a, radix: 16))}$", options: .caseless)
                for b in row {
                    let subject = Array(String(Unicode.Scalar(b)!).utf8)
                    let r = subject.withUnsafeBytes { p.firstMatch(in: $0, scratch: scratch) }
                    #expect(r != .noMatch, "\(a) vs \(b)")
                }
            }
        }
    }

    @Test func noCharacterOutsideAnOrbitMatchesCaselessly() throws {
        // For the letters scam rules use most, scan the whole BMP and plane 1: PCRE2 matches
        // `(?i)c` exactly on c's orbit.
        let scratch = MatchScratch()
        for c in Array("abcdefghijklmnopqrstuvwxyzéñøßσвиаоκµ".unicodeScalars) {
            let p = try CompiledPattern("^\\x{\(String(c.value, radix: 16))}$", options: .caseless)
            let orbit = Set(CaseOrbits.orbit(of: c).map(\.value))
            var matched: Set<UInt32> = []
            for v in UInt32(0)..<0x20000 {
                guard let x = Unicode.Scalar(v) else { continue }
                let subject = Array(String(x).utf8)
                if case .match = subject.withUnsafeBytes({ p.firstMatch(in: $0, scratch: scratch) }) { matched.insert(v) }
            }
            #expect(matched == orbit, "\(c)")
        }
    }

    @Test func whitespaceListIsWhatPCRE2CallsWhitespace() throws {
        // `\s` is enumerated for extraction; over every scalar, PCRE2 (UTF + UCP) matches `\s`
        // exactly on that list, and `(?i)` adds nothing.
        let scratch = MatchScratch()
        let plain = try CompiledPattern("^\\s$"), caseless = try CompiledPattern("^\\s$", options: .caseless)
        let listed = Set(PatternParser.whitespace.map(\.value))
        var matched: Set<UInt32> = [], matchedCaseless: Set<UInt32> = []
        for v in UInt32(0)...0x10FFFF {
            guard let x = Unicode.Scalar(v) else { continue }
            let subject = Array(String(x).utf8)
            subject.withUnsafeBytes { bytes in
                if case .match = plain.firstMatch(in: bytes, scratch: scratch) { matched.insert(v) }
                if listed.contains(v) || v < 0x3100, case .match = caseless.firstMatch(in: bytes, scratch: scratch) { matchedCaseless.insert(v) }
            }
        }
        #expect(matched == listed)
        #expect(matchedCaseless == listed)
    }

    @Test func whitespaceGivesAtomsOutsideClassesOnly() throws {
        // "c" and the 26 whitespace scalars, then "o" or "0": 52 atoms such as "c o".
        let t = try tree("c\\s[o0]")
        #expect(t.hasPrefix("OR(") && t.contains(#""c o""#) && t.contains(#""c\u{3000}0""#))
        #expect(t.components(separatedBy: "\", \"").count == 52)
        // Inside a class `\s` is still "any character", and `\s+` requires nothing.
        #expect(try tree("[\\s,]ab") == "*")
        #expect(try tree("free\\s+coins") == #"AND("free", "coins")"#)
    }
}
