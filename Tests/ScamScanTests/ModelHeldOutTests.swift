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

/// The repository root (this file is Tests/ScamScanTests/ModelHeldOutTests.swift).
private let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

@Suite struct ModelHeldOutTests {
    /// Held out by source: a model trained without the Psy comments, beside the shipped rules,
    /// flags far more of them than the rules alone, at high precision.
    @Test func modelPlusRulesBeatRulesAloneOnAHeldOutSource() throws {
        let heldOut = root + "/Corpus/learn/youtube-psy.tsv"
        var train = LabelledMessages.Batch()
        for name in ["youtube-katyperry.tsv", "youtube-lmfao.tsv", "janitr-crypto.tsv", "sms.tsv"] {
            LabelledMessages.readLabelled(path: root + "/Corpus/learn/" + name, into: &train)
        }
        for name in ["rechat-84065913.tsv", "rechat-98355852.tsv", "copypasta-nosub.txt"] {
            LabelledMessages.readAll(path: root + "/Corpus/ordinary/" + name, scam: false, into: &train)
        }
        var test = LabelledMessages.Batch()
        LabelledMessages.readLabelled(path: heldOut, into: &test)
        #expect(train.problems.isEmpty && test.problems.isEmpty)
        #expect(!train.messages.contains { $0.source == heldOut } && test.messages.count == 350)
        let settings = FeatureSettings.default
        let fit = Trainer().fit(FeatureMatrix(train.messages, settings: settings))
        let model = TextModel(features: settings, training: .init(sources: [], lambda: 1e-5, iterations: fit.iterations),
                              bias: fit.bias, weights: fit.weights)

        // The shipped rules without the shipped model (it was trained on the held-out file).
        var pack = try RuleLoader.load(directories: [root + "/Rules"])
        let shipped = try #require(pack.rules.first { $0.kind.family == "model" })
        guard case let .model(spec) = shipped.kind else { return }
        pack.rules.removeAll { $0.kind.family == "model" }
        let rulesOnly = try CompiledPack(pack)
        var withModel = shipped
        withModel.kind = .model(ModelRule(path: "held-out", model: model, minProbability: spec.minProbability,
                                          confident: spec.confident, maxShare: spec.maxShare))
        pack.rules.append(withModel)
        let both = try CompiledPack(pack)

        func figures(_ pack: CompiledPack) -> (precision: Double, recall: Double) {
            let classifier = Classifier(pack: pack)
            var c = Classification()
            var tp = 0, fp = 0, scams = 0
            for m in test.messages {
                classifier.classify(String(decoding: m.text, as: UTF8.self), user: nil, channel: nil, into: &c)
                let flagged = c.verdict != .allow
                if m.scam { scams += 1; if flagged { tp += 1 } } else if flagged { fp += 1 }
            }
            return (tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp), Double(tp) / Double(scams))
        }
        let alone = figures(rulesOnly), together = figures(both)
        #expect(together.recall >= alone.recall + 0.3, "rules \(alone), rules + model \(together)")
        #expect(together.precision >= 0.9, "rules \(alone), rules + model \(together)")
    }
}
