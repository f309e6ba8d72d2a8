import Matcher
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output
import Pipeline

/// Runs every rule's own examples: each `match:` example must match the rule's pattern in the
/// rule's view, each `no_match:` example must not.
public enum RuleLinter {
    public struct Report: Sendable {
        public var failures: [Diagnostic] = []
        public var rules = 0
        public var examples = 0
        /// Every example with its result, in pack order (for `scamscan test` and JUnit).
        public var outcomes: [ExampleOutcome] = []
    }

    /// One rule example and whether the rule treated it as the example says.
    public struct ExampleOutcome: Sendable {
        public var rule: String
        /// `match` or `no_match`; `pattern` for a problem of the pattern itself.
        public var kind: String
        /// 1-based position among the rule's examples of this kind.
        public var ordinal: Int
        public var text: String
        /// The failure, or nil when the example passes.
        public var failure: Diagnostic?
    }

    public static func check(_ pack: CompiledPack) -> Report {
        var report = Report()
        let classifier = Classifier(pack: pack)
        var folder = FoldedText(steps: [.unicode])
        let probe = MatchScratch(limits: MatchLimits(matchSteps: 200_000))
        for (index, rule) in pack.rules.enumerated() {
            report.rules += 1
            if case .pattern = rule.kind, let problem = backtrackingProblem(in: rule, scratch: probe) {
                report.failures.append(problem)
                report.outcomes.append(ExampleOutcome(rule: rule.id, kind: "pattern", ordinal: 1, text: rule.pattern, failure: problem))
            }
            if case .pattern = rule.kind, rule.view == .folded {
                for problem in unreachableLetters(in: rule, folder: &folder) {
                    report.failures.append(problem)
                    report.outcomes.append(ExampleOutcome(rule: rule.id, kind: "pattern", ordinal: 1, text: rule.pattern, failure: problem))
                }
            }
            if rule.kind.isTransaction {
                checkTransactionExamples(rule, into: &report)
                continue
            }
            if case .signal = rule.kind {
                checkSignalExamples(index, classifier: classifier, into: &report)
                continue
            }
            for (k, example) in rule.matchExamples.enumerated() {
                var failure: Diagnostic?
                switch classifier.ruleMatches(index, example.text) {
                case .match: break
                case .noMatch:
                    failure = Diagnostic(example.location, rule: rule.id,
                        "'match' example did not match (view \(rule.view.rawValue)): \"\(escapeForTerminal(example.text))\"; fix the pattern or the example")
                case let .limitExceeded(error), let .error(error):
                    failure = Diagnostic(example.location, rule: rule.id,
                        "'match' example gave up: \(error.message); the pattern backtracks too much, bound its repeats")
                }
                report.record(ExampleOutcome(rule: rule.id, kind: "match", ordinal: k + 1, text: example.text, failure: failure))
            }
            for (k, example) in rule.noMatchExamples.enumerated() {
                var failure: Diagnostic?
                switch classifier.ruleMatches(index, example.text) {
                case .noMatch: break
                case let .match(start, end):
                    let bytes = Array(example.text.utf8)
                    let matched = String(decoding: bytes[min(start, bytes.count)..<min(end, bytes.count)], as: UTF8.self)
                    failure = Diagnostic(example.location, rule: rule.id,
                        "'no_match' example matched \"\(escapeForTerminal(matched))\" at bytes \(start)-\(end) (view \(rule.view.rawValue)): \"\(escapeForTerminal(example.text))\"; tighten the pattern or fix the example")
                case let .limitExceeded(error), let .error(error):
                    failure = Diagnostic(example.location, rule: rule.id,
                        "'no_match' example gave up: \(error.message); the pattern backtracks too much, bound its repeats")
                }
                report.record(ExampleOutcome(rule: rule.id, kind: "no_match", ordinal: k + 1, text: example.text, failure: failure))
            }
        }
        return report
    }

    /// A transaction rule's examples are small exports (see `TxExamples`); row n is line n + 1.
    static func checkTransactionExamples(_ rule: Rule, into report: inout Report) {
        checkSequenceExamples(rule, into: &report, invalid: { "is not a valid export: \($0)" },
                              last: { "row (line \($0 + 1) of the example)" },
                              hit: { n, _ in "row \(n) (line \(n + 1) of the example)" }) { text in
            switch TxExamples.run(rule, text) {
            case let .invalid(why): .failure(SignalExampleError(why))
            case let .rows(fired): .success(fired)
            }
        }
    }

    /// A behaviour signal's examples are short conversations (see `SignalExamples`).
    static func checkSignalExamples(_ index: Int, classifier: Classifier, into report: inout Report) {
        checkSequenceExamples(classifier.pack.rules[index], into: &report,
                              invalid: { "is not a conversation: \($0); write one message per line as [+GAP] [xN] [#channel] [<user>] text" },
                              last: { "message (message \($0))" },
                              hit: { n, count in "message \(n) of \(count)" }) { text in
            switch SignalExamples.run(index, text, classifier: classifier) {
            case let .invalid(why): .failure(SignalExampleError(why))
            case let .messages(fired): .success(fired)
            }
        }
    }

    /// Examples that are sequences (of rows, of messages): `run` says for each item whether the
    /// rule hit it. A `match` example must hit its last item, a `no_match` example none.
    /// `last(count)` and `hit(n, count)` name items in the messages.
    private static func checkSequenceExamples(_ rule: Rule, into report: inout Report, invalid: (String) -> String,
                                              last: (Int) -> String, hit: (Int, Int) -> String,
                                              run: (String) -> Result<[Bool], SignalExampleError>) {
        for (kind, examples) in [("match", rule.matchExamples), ("no_match", rule.noMatchExamples)] {
            for (k, example) in examples.enumerated() {
                var failure: String?
                switch run(example.text) {
                case let .failure(why):
                    failure = "'\(kind)' example \(invalid(why.message))"
                case let .success(fired):
                    if kind == "match" && fired.last != true {
                        let unit = last(fired.count).prefix { $0 != " " }
                        failure = "'match' example: the rule did not hit the last \(last(fired.count))"
                            + (fired.contains(true) ? ", though it hit \(unit) \(fired.firstIndex(of: true)! + 1)" : "")
                            + "; fix the parameters or the example"
                    } else if kind == "no_match", let n = fired.firstIndex(of: true) {
                        failure = "'no_match' example: the rule hit \(hit(n + 1, fired.count)); fix the parameters or the example"
                    }
                }
                report.record(ExampleOutcome(rule: rule.id, kind: kind, ordinal: k + 1, text: example.text,
                                             failure: failure.map { Diagnostic(example.location, rule: rule.id, $0) }))
            }
        }
    }

    /// Catastrophic backtracking (ReDoS), shown rather than guessed: the pattern is run on long
    /// runs of one character with a non-matching end (`aaaa…a!`), the input on which nested or
    /// overlapping repeats such as `(a+)+$` or `(\w+\s?)+$` explode; a pattern that runs out of
    /// a small match limit there is reported. (At run time such a rule costs at most its match
    /// limit per record, and the record is still scanned by every other rule.)
    static func backtrackingProblem(in rule: Rule, scratch: MatchScratch) -> Diagnostic? {
        guard let pattern = try? CompiledPattern(rule.pattern) else { return nil }
        for c in "a0 x.-_1" {
            var subject = [UInt8](repeating: UInt8(ascii: c.unicodeScalars.first!), count: 4096)
            subject.append(0x01)
            let result = subject.withUnsafeBytes { pattern.firstMatch(in: $0, scratch: scratch) }
            if case .limitExceeded = result {
                let shown = c == " " ? "spaces" : "'\(c)'"
                return Diagnostic(rule.patternLocation, rule: rule.id,
                    "pattern backtracks catastrophically: on 4,096 \(shown) and a non-matching end it ran out of 200,000 steps; "
                    + "make nested repeats possessive or atomic (a++ or (?>a+)), or bound them")
            }
        }
        return nil
    }

    /// Letters in a folded-view pattern that the folded view never contains (`á` reads as `a`,
    /// `Д` as `д`): the pattern can never match them.
    static func unreachableLetters(in rule: Rule, folder: inout FoldedText) -> [Diagnostic] {
        var seen: Set<Unicode.Scalar> = []
        var result: [Diagnostic] = []
        for scalar in rule.pattern.unicodeScalars where scalar.value >= 0x80 && scalar.properties.isAlphabetic {
            guard seen.insert(scalar).inserted else { continue }
            folder.fold(String(scalar))
            let folded = folder.string
            guard folded != String(scalar) else { continue }
            result.append(Diagnostic(rule.patternLocation, rule: rule.id,
                "the folded view never contains '\(scalar)' (it reads as '\(folded)'); write '\(folded)' in the pattern, or use view: raw"))
        }
        return result
    }
}

extension RuleLinter.Report {
    mutating func record(_ outcome: RuleLinter.ExampleOutcome) {
        examples += 1
        outcomes.append(outcome)
        if let failure = outcome.failure { failures.append(failure) }
    }
}
