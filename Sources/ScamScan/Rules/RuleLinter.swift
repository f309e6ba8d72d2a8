import Matcher

/// Runs every rule's own examples: each `match:` example must match the rule's pattern in the
/// rule's view, each `no_match:` example must not.
public enum RuleLinter {
    public struct Report: Sendable {
        public var failures: [Diagnostic] = []
        public var rules = 0
        public var examples = 0
    }

    public static func check(_ pack: CompiledPack) -> Report {
        var report = Report()
        let classifier = Classifier(pack: pack)
        for (index, rule) in pack.rules.enumerated() {
            report.rules += 1
            for example in rule.matchExamples {
                report.examples += 1
                switch classifier.ruleMatches(index, example.text) {
                case .match: break
                case .noMatch:
                    report.failures.append(Diagnostic(example.location, rule: rule.id,
                        "'match' example did not match (view \(rule.view.rawValue)): \"\(escapeForTerminal(example.text))\"; fix the pattern or the example"))
                case let .limitExceeded(error), let .error(error):
                    report.failures.append(Diagnostic(example.location, rule: rule.id,
                        "'match' example gave up: \(error.message); the pattern backtracks too much, bound its repeats"))
                }
            }
            for example in rule.noMatchExamples {
                report.examples += 1
                switch classifier.ruleMatches(index, example.text) {
                case .noMatch: break
                case let .match(start, end):
                    let matched = String(decoding: Array(example.text.utf8)[start..<end], as: UTF8.self)
                    report.failures.append(Diagnostic(example.location, rule: rule.id,
                        "'no_match' example matched \"\(escapeForTerminal(matched))\" at bytes \(start)-\(end) (view \(rule.view.rawValue)): \"\(escapeForTerminal(example.text))\"; tighten the pattern or fix the example"))
                case let .limitExceeded(error), let .error(error):
                    report.failures.append(Diagnostic(example.location, rule: rule.id,
                        "'no_match' example gave up: \(error.message); the pattern backtracks too much, bound its repeats"))
                }
            }
        }
        return report
    }
}
