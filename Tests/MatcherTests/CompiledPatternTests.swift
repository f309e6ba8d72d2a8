import Testing
@testable import Matcher

/// Runs `pattern` on `subject` bytes with a fresh scratch.
func firstMatch(_ pattern: CompiledPattern, _ subject: [UInt8], limits: MatchLimits = .default) -> MatchResult {
    let scratch = MatchScratch(limits: limits)
    return subject.withUnsafeBytes { pattern.firstMatch(in: $0, scratch: scratch) }
}

func firstMatch(_ pattern: String, _ subject: String, options: PatternOptions = []) throws -> MatchResult {
    firstMatch(try CompiledPattern(pattern, options: options), Array(subject.utf8))
}

@Suite struct CompiledPatternTests {
    /// Bad patterns paired with PCRE2's exact message and offset (Hyperscan's bad_patterns.txt idea).
    @Test(arguments: [
        ("(abc", "missing closing parenthesis", 4),
        ("a{2,1}", "numbers out of order in {} quantifier", 5),
        ("[z-a]", "range out of order in character class", 3),
        ("abc\\", "\\ at end of pattern", 4),
        ("(?<n>a)(?<n>b)", "two named subpatterns have the same name (PCRE2_DUPNAMES not set)", 12),
        ("*a", "quantifier does not follow a repeatable item", 0),
    ])
    func compileErrorsCarryPCRE2MessageAndOffset(pattern: String, message: String, offset: Int) {
        #expect(throws: PatternError.self) { try CompiledPattern(pattern) }
        do {
            _ = try CompiledPattern(pattern)
        } catch {
            #expect(error.message == message)
            #expect(error.offset == offset)
            #expect(error.code > 0)
        }
    }

    @Test func matchOffsetsAreUTF8ByteOffsets() throws {
        // "héllo " is 7 bytes (é is 2), so "free" starts at byte 7.
        #expect(try firstMatch("free", "héllo free") == .match(start: 7, end: 11))
        #expect(try firstMatch("coins?", "no match here") == .noMatch)
    }

    @Test func ucpMakesWordBoundariesAndClassesUnicodeAware() throws {
        #expect(try firstMatch("\\bcafé\\b", "un café!") == .match(start: 3, end: 8))
        #expect(try firstMatch("\\bcaf\\b", "café") == .noMatch)  // é is a word character under UCP
        #expect(try firstMatch("^\\w+$", "монеты") == .match(start: 0, end: 12))
        #expect(try firstMatch("(?i)МОНЕТЫ", "монеты") == .match(start: 0, end: 12))
    }

    @Test func caselessOptionAndInlineFlags() throws {
        #expect(try firstMatch("free", "FREE", options: .caseless) == .match(start: 0, end: 4))
        #expect(try firstMatch("free", "FREE") == .noMatch)
        #expect(try firstMatch("(?i)free", "FrEe") == .match(start: 0, end: 4))
        #expect(try firstMatch("(?i)a(?-i)b", "AB") == .noMatch)
    }

    @Test func invalidUTF8IsScannedAndNeverMatchedByDot() throws {
        let pattern = try CompiledPattern("free.coins")
        // An invalid byte (0xFF) between the words: `.` must not match it.
        #expect(firstMatch(pattern, Array("free".utf8) + [0xFF] + Array("coins".utf8)) == .noMatch)
        // Valid text after invalid bytes still matches, at its raw byte offset.
        let subject: [UInt8] = [0xC3, 0x28, 0xFF] + Array("free coins".utf8)
        #expect(firstMatch(pattern, subject) == .match(start: 3, end: 13))
        // A truncated sequence at the end does not crash.
        #expect(firstMatch(pattern, Array("free coins".utf8) + [0xE2, 0x82]) == .match(start: 0, end: 10))
    }

    @Test func emptySubject() throws {
        #expect(try firstMatch("a", "") == .noMatch)
        #expect(try firstMatch("^$", "") == .match(start: 0, end: 0))
    }

    @Test func patternsAreJITCompiled() throws {
        #expect(try CompiledPattern("\\bfree\\s+coins\\b").isJIT)
    }

    @Test func catastrophicBacktrackingStopsAtTheMatchLimit() throws {
        let pattern = try CompiledPattern("(a+)+$")
        let subject = Array(repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "b")]
        let result = firstMatch(pattern, subject, limits: MatchLimits(matchSteps: 10_000))
        guard case let .limitExceeded(error) = result else {
            Issue.record("expected the match limit to stop the match, got \(result)")
            return
        }
        #expect(error.message.contains("limit"))
        // The same pattern still matches quickly where it can.
        #expect(firstMatch(pattern, Array("aaa".utf8), limits: MatchLimits(matchSteps: 10_000)) == .match(start: 0, end: 3))
    }

    @Test func capturingGroupsDoNotNeedMoreMatchData() throws {
        #expect(try firstMatch("(f)(r)(e)(e)", "xfree") == .match(start: 1, end: 5))
    }
}
