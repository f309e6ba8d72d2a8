import Foundation
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output
import Pipeline

/// One corpus record through the full pipeline, beside its label.
public struct RecordOutcome: Codable, Sendable, Equatable {
    public var file: String
    public var line: Int
    /// `ham` or a category; nil for a record with no label row.
    public var label: String?
    public var expected: Verdict?
    public var verdict: Verdict
    public var score: Double
    public var rules: [String]
    /// For each of `rules`, the share of the rule's score the hit added (a `model` rule's hit
    /// adds a share of it); nil when every hit added its full score.
    public var shares: [Double]? = nil
    /// The score the `model` rules added (part of `score`); nil when none hit. (Optional, like
    /// `shares`, so that baselines written before the model still load.)
    public var modelScore: Double? = nil
    /// Categories of the rules that hit with a positive score.
    public var categories: [String]
    public var text: String

    /// Why the record is not as labelled, or nil.
    public var problem: String? {
        guard let label, let expected else { return "no label row for this record" }
        if verdict != expected { return "expected \(expected.rawValue), got \(verdict.rawValue)" }
        if label != "ham" && verdict != .allow && !categories.contains(label) {
            return "flagged, but not as \(label) (hits: \(categories.joined(separator: ", ")))"
        }
        return nil
    }
    public var isScam: Bool { (label ?? "ham") != "ham" }
    public var flagged: Bool { verdict != .allow }
}


/// Everything `scamscan test` measured in one run.
public struct RegressionRun: Sendable {
    public var examples: RuleLinter.Report
    public var records: [RecordOutcome]
    /// Labelled lines with no record in their file.
    public var missing: [(file: String, line: Int)]
    public var metrics: Metrics
    /// What the pack's `model` rules add over the other rules; nil when it has none.
    public var model: ModelContribution?
    /// Flags on the corpora's ordinary chat (`ordinary/`); nil when there is none.
    public var ordinary: OrdinaryChat?

    /// Runs every rule's examples and every labelled corpus file through `pack`.
    /// With `progress`, each corpus file's scan shows a progress line on `err` (see
    /// `ChatScanOptions.progress`).
    /// `ordinary` lists ordinary-chat files (`OrdinaryChat.files(in:)`), measured for false alarms.
    public static func run(pack: CompiledPack, corpus: [LabelledFile], ordinary: [String] = [], err: ByteWriter,
                           progress: Bool = false) throws -> RegressionRun {
        let examples = RuleLinter.check(pack)
        var records: [RecordOutcome] = []
        var missing: [(String, Int)] = []
        for file in corpus {
            let sink = CollectingSink(pack: pack)
            let scanner = ChatScanner(classifier: Classifier(pack: pack), options: {
                var o = ChatScanOptions()
                o.all = true
                o.progress = progress
                o.progressLabel = "test"
                return o
            }(), sink: sink, out: ByteWriter(fd: -1), err: err, signals: pack.makeSignalState())
            try scanner.scan(path: file.path)
            try scanner.finish()
            var seen = Set<Int>()
            for var r in sink.records {
                r.file = file.path
                if let label = file.labels[r.line] {
                    r.label = label.label
                    r.expected = label.verdict
                }
                seen.insert(r.line)
                records.append(r)
            }
            for line in file.labels.keys.sorted() where !seen.contains(line) { missing.append((file.path, line)) }
        }
        return RegressionRun(examples: examples, records: records, missing: missing,
                             metrics: Metrics(records: records, rules: pack.rules),
                             model: ModelContribution(records: records, pack: pack, corpus: corpus.map(\.path)),
                             ordinary: ordinary.isEmpty ? nil : try OrdinaryChat.run(ordinary, pack: pack, err: err, progress: progress))
    }

    public var failedExamples: [RuleLinter.ExampleOutcome] { examples.outcomes.filter { $0.failure != nil } }
    public var mismatches: [RecordOutcome] { records.filter { $0.problem != nil } }
}

/// Collects classified records as outcomes.
final class CollectingSink: RecordSink {
    let pack: CompiledPack
    var records: [RecordOutcome] = []
    init(pack: CompiledPack) { self.pack = pack }

    func write(_ record: ChatRecord, source: String, classification c: Classification) throws {
        var categories: [String] = []
        for hit in c.hits where pack.rules[hit.rule].score > 0 {
            let name = pack.rules[hit.rule].category.rawValue
            if !categories.contains(name) { categories.append(name) }
        }
        var shares: [Double] = []
        var modelScore = 0.0
        for hit in c.hits {
            let rule = pack.rules[hit.rule]
            let added = hit.score ?? rule.score
            shares.append(rule.score == 0 ? 1 : added / rule.score)
            if case .model = rule.kind { modelScore += added }
        }
        records.append(RecordOutcome(file: source, line: record.line, label: nil, expected: nil, verdict: c.verdict,
                                     score: c.score, rules: c.hits.map { pack.rules[$0.rule].id },
                                     shares: shares.allSatisfy { $0 == 1 } ? nil : shares, modelScore: modelScore > 0 ? modelScore : nil,
                                     categories: categories, text: String(decoding: record.text, as: UTF8.self)))
    }
}

/// True and false positives and negatives, and what follows from them.
public struct Confusion: Codable, Sendable, Equatable {
    public var tp = 0, fp = 0, fn = 0, tn = 0
    public var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
    public var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    /// Precision, or nil when nothing was predicted (it is undefined, not 1).
    public var definedPrecision: Double? { tp + fp == 0 ? nil : precision }
    /// Recall, or nil when nothing is labelled positive.
    public var definedRecall: Double? { tp + fn == 0 ? nil : recall }
    /// F1 as 2TP / (2TP + FP + FN), or nil when there is nothing positive on either side.
    public var definedF1: Double? { tp + fp + fn == 0 ? nil : Double(2 * tp) / Double(2 * tp + fp + fn) }
    mutating func add(actual: Bool, predicted: Bool) {
        switch (actual, predicted) {
        case (true, true): tp += 1
        case (false, true): fp += 1
        case (true, false): fn += 1
        case (false, false): tn += 1
        }
    }
}

/// Per rule on the corpus: hits on scam and ham records, and what it adds.
public struct RuleStats: Codable, Sendable, Equatable {
    public var rule: String
    public var scamHits: Int
    public var hamHits: Int
    /// SpamAssassin's S/O: the share of the rule's hits that are scam, with each class's hit rate
    /// normalised by its size (1.0: only on scams; 0.0: only on ham). nil when it never fired.
    public var so: Double?
    /// A rule it never fires without (every record it hits, that one hits too).
    public var alwaysWith: String?
}

/// Scores of one run: flagged (review or block) against labelled scam, overall and per category.
public struct Metrics: Codable, Sendable, Equatable {
    public var overall = Confusion()
    /// A record counts as predicted for a category when it is flagged and a rule of the category hit.
    public var categories: [String: Confusion] = [:]
    public var rules: [RuleStats] = []

    public init(records: [RecordOutcome], rules: [Rule]) {
        let labelled = records.filter { $0.label != nil }
        for r in labelled { overall.add(actual: r.isScam, predicted: r.flagged) }
        for category in RuleCategory.allCases.map(\.rawValue) {
            var c = Confusion()
            for r in labelled { c.add(actual: r.label == category, predicted: r.flagged && r.categories.contains(category)) }
            if c.tp + c.fp + c.fn > 0 { categories[category] = c }
        }
        let scams = Double(max(labelled.filter(\.isScam).count, 1))
        let hams = Double(max(labelled.filter { !$0.isScam }.count, 1))
        var hitsBy: [String: Set<Int>] = [:]
        for (k, r) in labelled.enumerated() { for id in r.rules { hitsBy[id, default: []].insert(k) } }
        // Transaction rules never run on chat; they are not chat rules that fail to fire.
        for rule in rules where !rule.kind.isTransaction {
            let hit = hitsBy[rule.id] ?? []
            let s = hit.filter { labelled[$0].isScam }.count
            let h = hit.count - s
            var so: Double?
            if !hit.isEmpty {
                let sr = Double(s) / scams, hr = Double(h) / hams
                so = sr / (sr + hr)
            }
            var with: String?
            if !hit.isEmpty {
                for other in rules where other.id != rule.id {
                    if let o = hitsBy[other.id], hit.isSubset(of: o) {
                        with = other.id
                        break
                    }
                }
            }
            self.rules.append(RuleStats(rule: rule.id, scamHits: s, hamHits: h, so: so, alwaysWith: with))
        }
    }
}

/// The `model` rules' part in a run: flagged (review or block) against labelled scam for the
/// rules without the model, the model alone and both, and which corpus files the model was
/// trained on (figures on those are training figures, not held-out ones).
public struct ModelContribution: Sendable, Equatable {
    public struct Model: Sendable, Equatable {
        public var rule: String
        public var path: String
        public var messages: Int
        public var sources: Int
        /// Corpus files among the model's training sources.
        public var trainedOn: [String]
    }
    public var models: [Model]
    /// A record's score without its model hits, at the pack's thresholds. (A signal that needs
    /// another hit may have counted a model hit; that is not undone.)
    public var rulesAlone = Confusion()
    /// The model hits' score alone.
    public var modelAlone = Confusion()
    public var both = Confusion()
    /// Labelled scams flagged only thanks to the model, and ham flagged only because of it.
    public var scamsAdded = 0
    public var falseAlarmsAdded = 0
    /// Records whose verdict the model raised to block from review.
    public var raisedToBlock = 0

    /// The `files` among a model's training sources. Sources are recorded as `learn` was given
    /// them (often relative to the repository); a file is one of them when one path ends with
    /// the other.
    static func trainedOn(_ files: [String], sources: [String]) -> [String] {
        files.filter { file in
            sources.contains { source in file == source || file.hasSuffix("/" + source) || source.hasSuffix("/" + file) }
        }
    }

    /// The `files` any of the pack's model rules was trained on.
    static func trainedOn(_ files: [String], pack: CompiledPack) -> [String] {
        let sources = pack.modelRules.flatMap { $0.spec.model.training.sources.map(\.name) }
        return trainedOn(files, sources: sources)
    }

    init?(records: [RecordOutcome], pack: CompiledPack, corpus: [String]) {
        guard !pack.modelRules.isEmpty else { return nil }
        models = pack.modelRules.map { entry in
            let rule = pack.rules[entry.rule]
            let training = entry.spec.model.training
            let trainedOn = Self.trainedOn(corpus, sources: training.sources.map(\.name))
            return Model(rule: rule.id, path: entry.spec.path, messages: training.sources.reduce(0) { $0 + $1.ham + $1.scam },
                         sources: training.sources.count, trainedOn: trainedOn)
        }
        let t = pack.settings.thresholds
        for r in records where r.label != nil {
            let model = r.modelScore ?? 0
            let rules = Verdict(score: r.score - model, thresholds: t)
            rulesAlone.add(actual: r.isScam, predicted: rules != .allow)
            modelAlone.add(actual: r.isScam, predicted: model >= t.review)
            both.add(actual: r.isScam, predicted: r.flagged)
            if r.flagged && rules == .allow { if r.isScam { scamsAdded += 1 } else { falseAlarmsAdded += 1 } }
            if r.verdict == .block && rules == .review { raisedToBlock += 1 }
        }
    }
}
