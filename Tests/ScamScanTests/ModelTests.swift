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

/// A small labelled set: scam offers and ordinary chat built from word lists, the same every run.
func syntheticMessages(count: Int = 240, source: String = "synthetic") -> [LabelledMessage] {
    let offers = ["free coins", "cheap followers", "win a free iphone", "earn money fast", "free gift card", "double your crypto"]
    let calls = ["click here", "dm me now", "visit my site", "claim your prize", "message me on telegram", "limited offer today"]
    let chat = ["that was a great play", "lol what a fail", "hi from brazil", "gg everyone", "love this song",
                "what game is this", "streamer is on fire", "pog", "first time here", "good night chat"]
    let tails = ["", " lol", " !!", " haha", " :)"]
    var out: [LabelledMessage] = []
    for i in 0..<count {
        let scam = i % 3 == 0
        let text = scam
            ? "\(offers[i % offers.count]) \(calls[(i / 3) % calls.count]) www.site\(i % 7).xyz"
            : chat[i % chat.count] + tails[(i / 7) % tails.count]
        out.append(LabelledMessage(text: Array(text.utf8), scam: scam, source: source, line: i + 1))
    }
    return out
}

func smallSettings() -> FeatureSettings {
    var s = FeatureSettings.default
    s.bits = 14
    return s
}

func trainedModel(_ messages: [LabelledMessage], settings: FeatureSettings = smallSettings()) -> TextModel {
    let data = FeatureMatrix(messages, settings: settings)
    let fit = Trainer().fit(data)
    return TextModel(features: settings, training: .init(sources: [], lambda: 1e-5, iterations: fit.iterations),
                     bias: fit.bias, weights: fit.weights)
}

func probability(_ model: TextModel, _ text: String) -> Double {
    Classifier.probability(of: text, model: model)
}

@Suite struct ModelTests {
    @Test func trainingIsDeterministicForTheSameInputAndSeed() {
        let messages = syntheticMessages()
        let a = trainedModel(messages), b = trainedModel(messages)
        #expect(a.encoded() == b.encoded())
        var other = smallSettings()
        other.seed ^= 0xFF
        #expect(trainedModel(messages, settings: other).encoded() != a.encoded())
        // And it learned: the scams score high, the chat low.
        #expect(probability(a, "free coins dm me now www.site3.xyz") > 0.9)
        #expect(probability(a, "gg everyone lol") < 0.1)
    }

    @Test func theFileRoundTripsAndEveryDamageIsAReasonNotACrash() throws {
        let model = trainedModel(syntheticMessages())
        let bytes = model.encoded()
        let back = try TextModel.decode(bytes, path: "m.ssm")
        #expect(back == model && back.checksum == model.checksum && back.features == model.features)
        func reason(_ b: [UInt8]) -> String {
            do { _ = try TextModel.decode(b, path: "m.ssm"); return "" } catch { return error.description }
        }
        #expect(reason(Array("pack: x\n".utf8)).contains("not a ScamScan model file"))
        #expect(reason([]).contains("not a ScamScan model file"))
        for cut in [12, 20, bytes.count / 2, bytes.count - 1] {
            let r = reason(Array(bytes.prefix(cut)))
            #expect(r.hasPrefix("m.ssm: ") && r.contains("truncated"), "cut at \(cut): \(r)")
        }
        var flipped = bytes
        flipped[bytes.count - 100] ^= 0x40
        #expect(reason(flipped).contains("checksum mismatch"))
        var version = bytes
        version[8] = 9
        #expect(reason(version).contains("format version 9"))
        #expect(reason(bytes + [0]).contains("trailing data"))
        // Random damage never crashes and never loads.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var damaged = bytes
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            damaged[at] ^= UInt8.random(in: 1...255, using: &rng)
            #expect(!reason(damaged).isEmpty)
        }
    }

    @Test func featuresOfHostileTextAreBounded() {
        var featurizer = TextFeaturizer(settings: .default)
        var folded = FoldedText()
        var links: [Link] = []
        let budget = FeatureSettings.default.maxBytes
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 8 << 20) + Array(" free coins".utf8)
        let marks = Array("free".utf8) + [UInt8](String(repeating: "\u{301}", count: 1_000_000).utf8)
        let invalid = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 131 | 0x80) }
        var words = ""
        for i in 0..<100_000 { words += "w\(i) " }
        for text in [huge, marks, invalid, Array(words.utf8)] {
            text.withUnsafeBytes { MessageFeatures.extract(raw: $0, folded: &folded, links: &links, featurizer: &featurizer) }
            // At most maxBytes bytes of words: (charMax - charMin + 1) n-grams and two word features per byte, plus traits.
            #expect(featurizer.slots.count <= budget * 5 + 64)
            #expect(folded.bytes.count <= budget * 4 * 4)
        }
    }

    @Test func aModelHitExplainsItselfWithFeaturesAndRawSpans() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try trainedModel(syntheticMessages()).write(to: dir + "/m.ssm")
        write("""
        - id: model.text
          kind: model
          category: other
          description: the model
          model: m.ssm
          score: 4
          params: {min_probability: 0.6, confident: 0.8}
          match: ["free coins dm me now www.site1.xyz"]
          no_match: ["gg everyone"]
        """, to: dir + "/model.yml")
        let pack = try CompiledPack.load(directories: [dir])
        let classifier = Classifier(pack: pack)
        var c = Classification()
        let text = "HEY free coins, dm me now at www.site5.xyz"
        classifier.classify(text, user: nil, channel: nil, into: &c)
        let hit = try #require(c.hits.first)
        #expect(pack.rules[hit.rule].kind.family == "model")
        let evidence = try #require(hit.evidence)
        #expect(evidence.hasPrefix("p=0.9") || evidence.hasPrefix("p=1.0"))
        // The strongest features name their text and where they are in the raw text.
        let spans = evidence.matches(of: /(word|words|chars|host|trait) '([^']+)' \+[0-9.]+ at ([0-9]+)-([0-9]+)/)
        #expect(spans.contains { $0.output.1 != "trait" }, "\(evidence)")
        let bytes = Array(text.utf8)
        for m in spans {
            let (s, e) = (Int(m.output.3)!, Int(m.output.4)!)
            #expect(s < e && e <= bytes.count)
            guard m.output.1 != "trait" else { continue }  // a trait's span is the link it read
            let raw = String(decoding: bytes[s..<e], as: UTF8.self).lowercased().trimmingCharacters(in: .whitespaces)
            let feature = String(m.output.2).trimmingCharacters(in: .whitespaces)
            #expect(feature.contains(raw) || raw.contains(feature), "\(feature) vs \(raw)")
        }
        // The hit's score is the rule's share: above the review threshold at this probability.
        #expect(pack.score(of: hit) >= 4 && pack.score(of: hit) <= 6 && c.verdict == .review)
        classifier.classify("gg everyone", user: nil, channel: nil, into: &c)
        #expect(c.hits.isEmpty)
        // explain says why the model did not hit.
        let e = classifier.explain("good night chat")
        #expect(e.entries[0].reason?.contains("below its min_probability 0.6") == true)
    }

    @Test func badModelFilesAreLoadErrorsNamingTheFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rule = { (path: String, params: String) in """
            - id: model.text
              kind: model
              category: other
              description: the model
              model: \(path)
              score: 4
              \(params)
              match: ["x"]
              no_match: ["y"]
            """ }
        func errors(_ yaml: String) -> [String] {
            write(yaml, to: dir + "/model.yml")
            do { _ = try CompiledPack.load(directories: [dir]); return [] } catch { return error.diagnostics.map(\.description) }
        }
        #expect(errors(rule("missing.ssm", "")).first?.contains("cannot load model 'missing.ssm'") == true)
        write("not a model", to: dir + "/foreign.ssm")
        let foreign = errors(rule("foreign.ssm", ""))
        #expect(foreign.count == 1 && foreign[0].contains("model.yml:5:") && foreign[0].contains("not a ScamScan model file"))
        let bytes = trainedModel(syntheticMessages()).encoded()
        try Data(bytes.prefix(bytes.count / 3)).write(to: URL(fileURLWithPath: dir + "/short.ssm"))
        #expect(errors(rule("short.ssm", "")).first?.contains("truncated") == true)
        #expect(errors(rule("../x.ssm", "")).first?.contains("inside the pack") == true)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/good.ssm"))
        #expect(errors(rule("good.ssm", "params: {min_probability: 0.9, confident: 0.8}")).first?.contains("must be above 'min_probability'") == true)
        #expect(errors(rule("good.ssm", "params: {confidence: 0.8}")).first?.contains("confidence") == true)
        #expect(errors(rule("good.ssm", "params: {confident: 0.9}")).isEmpty)
    }

    @Test func aSoundFileWithUnusableWeightsIsALintProblem() {
        let model = trainedModel(syntheticMessages())
        #expect(model.problems.isEmpty)
        #expect(model.summary.contains("format 1, checksum \(String(model.checksum, radix: 16)) ok; features version \(FeatureSettings.currentVersion): 2^14 slots"))
        var weights = model.weights
        weights[3] = .nan
        weights[7] = .infinity
        let broken = TextModel(features: model.features, training: model.training, bias: model.bias, weights: weights)
        #expect(broken.problems == ["2 of its weights are not finite numbers"])
        let empty = TextModel(features: model.features, training: model.training, bias: .nan,
                              weights: [Float](repeating: 0, count: model.weights.count))
        #expect(empty.problems == ["its bias is nan", "every weight is 0: it was trained on nothing"])
    }

    @Test func tuneFitsTheModelRuleByTheShareItsHitsAdded() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try trainedModel(syntheticMessages()).write(to: dir + "/m.ssm")
        write("""
        - id: model.text
          kind: model
          category: other
          description: the model
          model: m.ssm
          score: 4
          params: {min_probability: 0.6, confident: 0.8, max_share: 1.5}
          match: ["free coins dm me now www.site1.xyz"]
          no_match: ["gg everyone"]
        """, to: dir + "/model.yml")
        let pack = try CompiledPack.load(directories: [dir])
        func outcome(_ line: Int, _ share: Double?, scam: Bool) -> RecordOutcome {
            RecordOutcome(file: "c.tsv", line: line, label: scam ? "other" : "ham", expected: scam ? .review : .allow,
                          verdict: .allow, score: 4 * (share ?? 0), rules: share == nil ? [] : ["model.text"],
                          shares: share.map { [$0] }, modelScore: share.map { 4 * $0 }, categories: [], text: "")
        }
        // Scams get the full share and more; ham gets a small share: only a score that puts
        // 0.5 x 4 below review and 1.0 x 4 at or above it separates them.
        var records: [RecordOutcome] = []
        for i in 0..<200 { records.append(i % 2 == 0 ? outcome(i, i % 4 == 0 ? 1.0 : 1.5, scam: true) : outcome(i, i % 3 == 0 ? 0.5 : nil, scam: false)) }
        let t = Tuning(records: records, pack: pack, lambda: 0.0001)
        let s = try #require(t.suggestions.first)
        // Ham with a 0.5 share would be flagged if a hit counted the rule's full score.
        // Every record is judged once, on the fold held out from the fit.
        #expect(t.folds.count == 5)
        #expect(t.before.tp == 100 && t.before.fp == 0 && t.before.tn == 100, "before counts 4 x share: \(t.before)")
        let support = records.filter { $0.shares != nil }.count
        #expect(s.support == support, "records where the model added something")
        #expect(s.suggested * 1.0 >= 4 && s.suggested * 0.5 < 4, "suggested \(s.suggested)")
        #expect(t.after.recall == 1 && t.after.precision == 1)
        #expect(!t.isWorse)
    }

    @Test func updateMovesAMislabelledMessageAcrossTheThreshold() {
        let model = trainedModel(syntheticMessages())
        // A community's moderators say this is ordinary here; the model disagrees.
        let local = "free gift card for the raffle winner, visit my site www.site2.xyz"
        #expect(probability(model, local) >= 0.8)
        let corrections = (0..<3).map { LabelledMessage(text: Array(local.utf8), scam: false, source: "mods.jsonl", line: $0 + 1) }
        let data = FeatureMatrix(corrections, settings: model.features)
        let fit = Trainer(lambda: 0.01).fit(data, prior: model)
        let updated = TextModel(features: model.features, training: model.training, bias: fit.bias, weights: fit.weights)
        #expect(probability(updated, local) < 0.8)
        // The rest of what it knew stays: the bias is the model's, unrelated scams still score high.
        #expect(updated.bias == model.bias)
        #expect(probability(updated, "double your crypto message me on telegram www.site4.xyz") > 0.8)
        #expect(probability(updated, "gg everyone lol") < 0.2)
    }

    @Test func labelledFilesAreReadWithEveryBadRecordReported() {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        write("id\tlabel\ttext\n1\tspam\tfree coins here\n2\tham\tgg\n3\tmaybe\tunsure\n4\tham\n5\tcoin_generator\tcoin gen\n", to: dir + "/a.tsv")
        write("""
        {"text":"free coins","label":"scam","verdict":"block"}
        {"text":"hello","label":"ham"}
        {"text":"no label"}
        not json
        {"text":"x","text_base64":"/w==","label":"reseller"}

        """, to: dir + "/b.jsonl")
        write("timestamp\tchannel\tuser\tmessage\n2026-01-01T00:00:00Z\tc\tu\thi all\nbroken line\n", to: dir + "/c.tsv")
        write("text\nfree coins\n", to: dir + "/d.tsv")
        var batch = LabelledMessages.Batch()
        LabelledMessages.readLabelled(path: dir + "/a.tsv", into: &batch)
        LabelledMessages.readLabelled(path: dir + "/b.jsonl", into: &batch)
        LabelledMessages.readAll(path: dir + "/c.tsv", scam: false, into: &batch)
        LabelledMessages.readLabelled(path: dir + "/d.tsv", into: &batch)
        LabelledMessages.readLabelled(path: dir + "/none.tsv", into: &batch)
        #expect(batch.messages.map { String(decoding: $0.text, as: UTF8.self) } == ["free coins here", "gg", "coin gen", "free coins", "hello", "\u{FFFD}", "hi all"])
        #expect(batch.messages.map(\.scam) == [true, false, true, true, false, true, false])
        #expect(batch.messages[5].text == [0xFF])
        let problems = batch.problems.map(\.description)
        #expect(problems.contains { $0.hasPrefix(dir + "/a.tsv:4:3: unknown label 'maybe'") })
        #expect(problems.contains { $0.hasPrefix(dir + "/a.tsv:5:1: expected 3 tab-separated fields") })
        #expect(problems.contains { $0.hasPrefix(dir + "/b.jsonl:3:1: no 'label'") })
        #expect(problems.contains { $0.hasPrefix(dir + "/b.jsonl:4:1: not a JSON object") })
        #expect(problems.contains { $0.hasPrefix(dir + "/c.tsv:3:1: expected 4 tab-separated fields") })
        #expect(problems.contains { $0.hasPrefix(dir + "/d.tsv:1:1: the header must name a 'label' column") })
        #expect(problems.contains { $0.hasPrefix(dir + "/none.tsv:0:0: no such file") })
        #expect(problems.count == 7)
    }

    @Test func shareMapsProbabilityOnTheLogitScale() throws {
        let spec = ModelRule(path: "m", model: trainedModel(syntheticMessages(count: 30)), minProbability: 0.6, confident: 0.8, maxShare: 1.5)
        #expect(spec.share(0.59) == nil && spec.share(0.6) == nil)
        #expect(abs(try #require(spec.share(0.8)) - 1) < 1e-9)
        #expect(try #require(spec.share(0.7)) > 0 && spec.share(0.7)! < 1)
        #expect(spec.share(0.9999) == 1.5)
    }
}
