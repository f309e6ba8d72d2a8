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
@testable import Matcher

@Suite struct ClassifierTests {
    func classify(_ pack: CompiledPack, _ text: String, thresholds: Thresholds? = nil) -> Classification {
        let classifier = Classifier(pack: pack, thresholds: thresholds)
        var result = Classification()
        Array(text.utf8).withUnsafeBytes { classifier.classify($0, into: &result) }
        return result
    }

    @Test(arguments: engines)
    func scoreIsTheSumOfDistinctRulesAndGivesTheVerdict(engine: CompiledPack.Engine) throws {
        let pack = try compile(testPackYAML, engine: engine)
        let ids = { (c: Classification) in c.hits.map { pack.rules[$0.rule].id } }
        let ham = classify(pack, "thanks for the gift!")
        #expect(ham.hits.isEmpty && ham.score == 0 && ham.verdict == .allow)
        let weak = classify(pack, "ping me on telegram")
        #expect(ids(weak) == ["other.telegram"] && weak.score == 3 && weak.verdict == .allow)
        let review = classify(pack, "CHEAP coins, cheap coins!")
        #expect(review.score == 5 && review.verdict == .review)  // one rule counts once
        let block = classify(pack, "cheap coins on Telegram")
        #expect(ids(block) == ["reseller.cheap-coins", "other.telegram"] && block.score == 8 && block.verdict == .block)
    }

    @Test func thresholdsCanBeOverridden() throws {
        let pack = try compile(testPackYAML)
        #expect(classify(pack, "ping me on telegram", thresholds: Thresholds(review: 2, block: 10)).verdict == .review)
        #expect(classify(pack, "free coins generator", thresholds: Thresholds(review: 2, block: 10)).verdict == .review)
    }

    @Test(arguments: engines)
    func foldedHitsReportSpansOfTheRawText(engine: CompiledPack.Engine) throws {
        let pack = try compile(testPackYAML, engine: engine)
        // "ÀÉ " is 5 bytes; the folded view lower-cases, the span still points into the raw bytes.
        let text = "ÀÉ CHEAP COINS"
        let c = classify(pack, text)
        let hit = try #require(c.hits.first)
        let raw = Array(text.utf8)
        #expect(String(decoding: raw[hit.start..<hit.end], as: UTF8.self) == "CHEAP COINS")
    }

    @Test func rawRulesSeeCaseAsWritten() throws {
        let yaml = """
        - id: other.caps
          category: other
          description: All-caps FREE.
          pattern: 'FREE'
          view: raw
          score: 4
          match: ["FREE stuff", "get it FREE"]
          no_match: ["free stuff", "Free"]
        """
        let pack = try compile(yaml)
        #expect(classify(pack, "FREE").verdict == .review)
        #expect(classify(pack, "free").verdict == .allow)
    }

    @Test(arguments: engines)
    func aRuleThatGivesUpIsReportedAndOthersStillScore(engine: CompiledPack.Engine) throws {
        let yaml = """
        - id: other.redos
          category: other
          description: Catastrophic on purpose.
          pattern: '(a+)+$'
          view: raw
          score: 4
          match: ["aaa"]
          no_match: ["b"]
        - id: other.bee
          category: other
          description: b
          pattern: 'b'
          view: raw
          score: 4
          match: ["b"]
          no_match: ["a"]
        """
        let pack = try compile(yaml, engine: engine)
        let classifier = Classifier(pack: pack, limits: MatchLimits(matchSteps: 5_000))
        var c = Classification()
        Array((String(repeating: "a", count: 40) + "b").utf8).withUnsafeBytes { classifier.classify($0, into: &c) }
        #expect(c.limited == [0])
        #expect(c.hits.map(\.rule) == [1])
        #expect(c.verdict == .review)
    }

    @Test func linterReportsFailingExamplesByRuleAndExample() throws {
        let yaml = """
        - id: other.coins
          category: other
          description: coins
          pattern: '\\bcoins\\b'
          view: folded
          score: 1
          match: ["COINS", "no money here"]
          no_match: ["free coins please", "coinsss"]
        """
        let report = RuleLinter.check(try compile(yaml))
        #expect(report.rules == 1 && report.examples == 4)
        #expect(report.failures.map(\.description) == [
            "t.yml:7:20: other.coins: 'match' example did not match (view folded): \"no money here\"; fix the pattern or the example",
            "t.yml:8:14: other.coins: 'no_match' example matched \"coins\" at bytes 5-10 (view folded): \"free coins please\"; tighten the pattern or fix the example",
        ])
    }
}
