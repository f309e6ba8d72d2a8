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
          scamscan lint --patterns folded > folded.txt && scamscan match -c -f folded.txt chat.txt

        --patterns raw|folded prints the pattern rules of one view as a `scamscan match -f` file (a `# rule-id file:line` comment, then the pattern), to measure the matcher alone on the pack's own patterns; it does not run the examples.
        """)

    @OptionGroup var rules: RuleOptions

    @Option(help: ArgumentHelp("Print the pack's patterns of one view (raw or folded) as a pattern file for `scamscan match -f`, instead of linting.", valueName: "VIEW"))
    var patterns: TextView?

    func run() throws {
        let pack = try rules.load()
        if let view = patterns { return try printPatterns(pack, view) }
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

    /// `--patterns VIEW`: one pattern per line, each after a comment naming its rule. A pattern
    /// that spans lines cannot be one line of a pattern file: it is left out and reported.
    private func printPatterns(_ pack: CompiledPack, _ view: TextView) throws {
        var text = "# The \(view.rawValue)-view patterns of the pack (scamscan lint --patterns \(view.rawValue)); for scamscan match -f\n"
        var skipped: [String] = []
        var count = 0
        for rule in pack.patternRules(view) {
            if rule.pattern.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                skipped.append("\(rule.patternLocation): \(rule.id): note: pattern spans lines, left out of the pattern file")
                continue
            }
            text += "# \(rule.id) \(rule.patternLocation)\n\(rule.pattern)\n"
            count += 1
        }
        FileHandle.standardOutput.write(Data(text.utf8))
        let summary = "scamscan lint: \(count) \(view.rawValue)-view pattern\(count == 1 ? "" : "s")\(skipped.isEmpty ? "" : ", \(skipped.count) left out (they span lines)")\n"
        FileHandle.standardError.write(Data((skipped.map { "\($0)\n" }.joined() + summary).utf8))
    }
}

