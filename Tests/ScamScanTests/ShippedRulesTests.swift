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

/// The shipped pack's promises, checked on the pack itself.
@Suite struct ShippedRulesTests {
    let pack: RulePack = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return try! RuleLoader.load(directories: [root.appendingPathComponent("Rules").path])
    }()

    @Test func atLeastSixtyRulesEachWithTwoExamplesOfEachKind() {
        #expect(pack.rules.count >= 60)
        for rule in pack.rules {
            #expect(rule.matchExamples.count >= 2, "\(rule.id)")
            #expect(rule.noMatchExamples.count >= 2, "\(rule.id)")
        }
    }

    @Test func everyScamCategoryIsCovered() {
        let covered = Set(pack.rules.map(\.category))
        for category in [RuleCategory.coinGenerator, .reseller, .impersonation, .phishing, .giveaway, .engagementFraud] {
            #expect(covered.contains(category), "\(category)")
        }
    }

    @Test(arguments: ["are free coins a thing?", "just bought coins in the app", "thanks for the gift!",
                      "who's the real MVP tonight", "I'll DM you the stream schedule", "giveaway was legit, thanks streamer!"])
    func innocentChatAboutCoinsPasses(message: String) throws {
        let classifier = Classifier(pack: try CompiledPack(pack))
        var c = Classification()
        Array(message.utf8).withUnsafeBytes { classifier.classify($0, into: &c) }
        #expect(c.verdict == .allow, "\(message): \(c.hits.map { classifier.pack.rules[$0.rule].id })")
    }
}
