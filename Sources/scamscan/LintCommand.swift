import ArgumentParser
import Foundation
import ScamScan

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate rule packs and run every rule's own examples.",
        discussion: """
        Loads each pack and reports every problem as FILE:LINE:COL: RULE-ID: message (YAML syntax, unknown or missing fields, duplicate ids, unknown categories, PCRE2 compile errors with the offset in the pattern), then checks that each rule matches all of its 'match:' examples and none of its 'no_match:' examples.

        Exit status: 0 when the pack is valid and every example passes, 1 when an example fails, 2 when the pack does not load.

        Examples:
          scamscan lint
          scamscan lint --rules Rules --rules my-rules/
        """)

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let pack = try rules.load()
        let report = RuleLinter.check(pack)
        // Rules the prefilter cannot skip: not errors, but each costs a PCRE2 run per record.
        var notes = ""
        for (rule, reason) in pack.alwaysRunRules {
            let r = pack.rules[rule]
            let why = reason.split(separator: ";").first.map(String.init) ?? reason  // the rest is how `match` copes
            notes += "\(r.patternLocation): \(r.id): note: runs on every record: \(why)\n"
        }
        if !notes.isEmpty { FileHandle.standardError.write(Data(notes.utf8)) }
        // The model files: load already refused a foreign, truncated, corrupt or other-version
        // file; here what they are, and what makes a sound file useless.
        var modelProblems: [String] = []
        for (index, spec) in pack.modelRules {
            let r = pack.rules[index]
            print("\(r.patternLocation): \(r.id): model \(spec.path): \(spec.model.summary)")
            for p in spec.model.problems { modelProblems.append("\(r.patternLocation): \(r.id): model \(spec.path): \(p); retrain it with `scamscan learn`") }
        }
        let settings = Set(pack.modelRules.map(\.spec.model.features))
        if settings.count > 1 {
            notes = "scamscan lint: note: the \(pack.modelRules.count) model rules use \(settings.count) feature settings, so each message is featurised \(settings.count) times; train them with the same --bits and seed\n"
            FileHandle.standardError.write(Data(notes.utf8))
        }
        if !modelProblems.isEmpty {
            FileHandle.standardError.write(Data((modelProblems.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
        if report.failures.isEmpty {
            print("scamscan lint: \(report.rules) rules, \(report.examples) examples: all pass")
            return
        }
        var text = report.failures.map { "\($0)\n" }.joined()
        let patternProblems = report.outcomes.filter { $0.kind == "pattern" && $0.failure != nil }.count
        let failedExamples = report.failures.count - patternProblems
        text += "scamscan lint: \(failedExamples) of \(report.examples) examples failed"
            + (patternProblems > 0 ? ", \(patternProblems) pattern problem\(patternProblems == 1 ? "" : "s")" : "")
            + " in \(report.rules) rules\n"
        FileHandle.standardError.write(Data(text.utf8))
        throw ExitCode(1)
    }
}
