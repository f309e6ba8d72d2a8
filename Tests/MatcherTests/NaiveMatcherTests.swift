import Testing
@testable import Matcher

@Suite struct NaiveMatcherTests {
    func scan(_ matcher: NaiveMatcher, _ text: String, limits: MatchLimits = .default) -> ([PatternHit], [Int]) {
        var hits: [PatternHit] = []
        var limited: [Int] = []
        let scratch = MatchScratch(limits: limits)
        Array(text.utf8).withUnsafeBytes { matcher.scan($0, scratch: scratch, hits: &hits, limited: &limited) }
        return (hits, limited)
    }

    @Test func reportsEveryMatchingPatternInOrderWithItsFirstSpan() throws {
        let m = try NaiveMatcher([PatternSpec("coins"), PatternSpec("nope"), PatternSpec("free")])
        let (hits, limited) = scan(m, "free coins, free coins")
        #expect(hits == [PatternHit(pattern: 0, start: 5, end: 10), PatternHit(pattern: 2, start: 0, end: 4)])
        #expect(limited.isEmpty)
    }

    /// ripgrep 13 lets `(?i)` from one -f pattern leak into the next; ours must not.
    @Test func inlineFlagsStayWithTheirPattern() throws {
        let m = try NaiveMatcher([PatternSpec("(?i)abc"), PatternSpec("abc"), PatternSpec("ABC")])
        let (hits, _) = scan(m, "ABC")
        #expect(hits.map(\.pattern) == [0, 2])
    }

    @Test func limitedPatternsAreReportedNotDropped() throws {
        let m = try NaiveMatcher([PatternSpec("(a+)+$"), PatternSpec("a")])
        let (hits, limited) = scan(m, String(repeating: "a", count: 40) + "b", limits: MatchLimits(matchSteps: 5_000))
        #expect(limited == [0])
        #expect(hits.map(\.pattern) == [1])
    }

    @Test func everyBadPatternOfASetIsReported() {
        do {
            _ = try NaiveMatcher([PatternSpec("ok"), PatternSpec("(bad"), PatternSpec("[also"), PatternSpec("fine")])
            Issue.record("expected a PatternSetError")
        } catch {
            #expect(error.failures.map(\.index) == [1, 2])
        }
    }

    @Test func reusingOneScratchAcrossSubjectsGivesIndependentAnswers() throws {
        let m = try NaiveMatcher([PatternSpec("free")])
        let scratch = MatchScratch()
        var hits: [PatternHit] = []
        var limited: [Int] = []
        for (text, expected) in [("free", 1), ("nothing", 0), ("so free", 1)] {
            Array(text.utf8).withUnsafeBytes { m.scan($0, scratch: scratch, hits: &hits, limited: &limited) }
            #expect(hits.count == expected, "\(text)")
        }
    }
}
