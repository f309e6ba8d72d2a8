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
        var folder = FoldedText(steps: [.unicode])
        for (index, rule) in pack.rules.enumerated() {
            report.rules += 1
            if case .pattern = rule.kind, rule.view == .folded {
                report.failures += unreachableLetters(in: rule, folder: &folder)
            }
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
