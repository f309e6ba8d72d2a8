import Testing
import Foundation
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

@Suite struct RuleLoaderTests {
    @Test func validRuleLoadsWithEveryField() throws {
        let rules = try RuleLoader.parse(yaml: ruleYAML(extra: ""), file: "t.yml")
        #expect(rules.count == 1)
        let rule = try #require(rules.first)
        #expect(rule.id == "coin_generator.free-gen")
        #expect(rule.category == .coinGenerator)
        #expect(rule.view == .folded)
        #expect(rule.score == 8)
        #expect(rule.pattern == "\\bfree\\s+coins?\\s+generator\\b")
        #expect(rule.matchExamples.map(\.text) == ["FREE COINS GENERATOR no survey", "free coin generator works!!"])
        #expect(rule.noMatchExamples.count == 2)
        #expect(rule.location == SourceLocation(file: "t.yml", line: 1, column: 3))
        #expect(rule.matchExamples[0].location.line == 8)
    }

    @Test func oneRulePerDocumentAlsoLoads() throws {
        let yaml = """
        id: other.a
        category: other
        description: a
        pattern: 'aaa'
        view: raw
        score: 1
        match: [aaa]
        no_match: [bbb]
        ---
        id: other.b
        category: other
        description: b
        pattern: 'bbb'
        view: raw
        score: 1
        match: [bbb]
        no_match: [aaa]
        """
        #expect(try RuleLoader.parse(yaml: yaml, file: "t.yml").map(\.id) == ["other.a", "other.b"])
    }

    /// Each bad rule file paired with its exact diagnostic.
    @Test(arguments: [
        (ruleYAML(extra: "  patern: 'x'"), "t.yml:13:3: coin_generator.free-gen: unknown field 'patern' (did you mean 'pattern'?); the fields are: id, kind, category, description, pattern, view, score, match, no_match, tags, references, list, list_match, max_distance, owned, public_suffixes, min_techniques, techniques, with_folded_hit, platform_names, protect_channel_owner, check, params, when, model"),
        (ruleYAML(category: "coin_generater"), "t.yml:2:13: coin_generator.free-gen: unknown category 'coin_generater' (did you mean 'coin_generator'?); the categories are: coin_generator, reseller, impersonation, phishing, giveaway, engagement_fraud, chargeback, card_testing, laundering, account_sharing, velocity, spam, other"),
        (ruleYAML(pattern: "'free (coins'"), "t.yml:4:24: coin_generator.free-gen: invalid pattern: missing closing parenthesis at offset 11 of the pattern"),
        (ruleYAML(pattern: "'a{2,1}'"), "t.yml:4:18: coin_generator.free-gen: invalid pattern: numbers out of order in {} quantifier at offset 5 of the pattern"),
        (ruleYAML(pattern: "'x*'"), "t.yml:4:13: coin_generator.free-gen: pattern matches the empty message, so it would flag every record; require at least one character"),
        (ruleYAML(id: "FreeGen"), "t.yml:1:7: FreeGen: invalid id 'FreeGen': use lowercase dotted names such as 'reseller.cheap-coins' (a-z, 0-9, '-', '_'; parts joined by '.')"),
        (ruleYAML(view: "normalised"), "t.yml:5:9: coin_generator.free-gen: unknown view 'normalised'; use 'raw' (bytes as written) or 'folded' (normalised text)"),
        (ruleYAML(score: "high"), "t.yml:6:10: coin_generator.free-gen: 'score' must be a number (e.g. score: 5), got 'high'"),
        (ruleYAML(score: "500"), "t.yml:6:10: coin_generator.free-gen: 'score' must be between -100 and 100, got 500"),
        (ruleYAML(pattern: "[a, b]"), "t.yml:4:12: coin_generator.free-gen: 'pattern' must be a string, not a list"),
    ])
    func badRuleGivesExactDiagnostic(yaml: String, expected: String) {
        #expect(diagnostics(yaml) == [expected])
    }

    @Test func missingFieldsAreEachReported() {
        let yaml = """
        - id: other.x
          category: other
          description: x
        """
        #expect(diagnostics(yaml) == [
            "t.yml:1:3: other.x: missing required field 'match'",
            "t.yml:1:3: other.x: missing required field 'no_match'",
            "t.yml:1:3: other.x: missing required field 'pattern'",
            "t.yml:1:3: other.x: missing required field 'score'",
            "t.yml:1:3: other.x: missing required field 'view'",
        ])
    }

    @Test func ruleWithoutIDIsNamedByPosition() {
        let yaml = ruleYAML() + "\n- category: other\n  description: x\n  pattern: 'y'\n  view: raw\n  score: 1\n  match: [y]\n  no_match: [z]\n"
        #expect(diagnostics(yaml) == ["t.yml:14:3: rule #2: missing required field 'id'"])
    }

    @Test func examplesMustBeNonEmptyLists() {
        let yaml = """
        - id: other.x
          category: other
          description: x
          pattern: 'y'
          view: raw
          score: 1
          match: "y"
          no_match: []
        """
        #expect(diagnostics(yaml) == [
            "t.yml:7:10: other.x: 'match' must be a list (each item on its own line starting with '- ')",
            "t.yml:8:13: other.x: 'no_match' needs at least 1 item, has 0",
        ])
    }

    @Test func duplicateIDsNameTheFirstDefinition() {
        let yaml = ruleYAML() + "\n" + ruleYAML()
        #expect(diagnostics(yaml) == [
            "t.yml:14:3: coin_generator.free-gen: duplicate rule id (first defined at t.yml:1:3); rename one of them",
        ])
    }

    @Test func duplicateFieldInOneRule() {
        let yaml = ruleYAML(extra: "  score: 3")
        let found = diagnostics(yaml)
        #expect(found.count == 1)
        #expect(found.first?.contains("duplicate field 'score'") == true)
    }

    @Test func yamlSyntaxErrorNamesLineAndColumn() {
        let yaml = "- id: other.x\n  category: [other\n  description: x\n"
        let found = diagnostics(yaml)
        #expect(found.count == 1)
        let first = found.first ?? ""
        #expect(first.hasPrefix("t.yml:"))
        #expect(first.contains(": -: YAML syntax error: "))
        #expect(first.hasSuffix("check indentation, quoting and ':' after each field name"))
    }

    @Test func allErrorsOfAFileAreReportedAtOnce() {
        let yaml = ruleYAML(id: "Bad", category: "nope") + "\n" + ruleYAML(id: "other.fine", pattern: "'(x'")
        let found = diagnostics(yaml)
        #expect(found.count == 3)
        #expect(found.contains { $0.contains("invalid id 'Bad'") })
        #expect(found.contains { $0.contains("unknown category 'nope'") })
        #expect(found.contains { $0.contains("other.fine: invalid pattern") })
    }

    @Test func packDirectoryLoadsSettingsAndEveryRuleFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        write("pack: test\nthresholds:\n  review: 3\n  block: 6\n", to: dir + "/pack.yml")
        write(ruleYAML(), to: dir + "/a.yml")
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        write(ruleYAML(id: "other.second", category: "other"), to: dir + "/sub/b.yaml")
        write("not a rule file", to: dir + "/notes.txt")
        let pack = try RuleLoader.load(directories: [dir])
        #expect(pack.settings.name == "test")
        #expect(pack.settings.thresholds == Thresholds(review: 3, block: 6))
        #expect(pack.rules.map(\.id) == ["coin_generator.free-gen", "other.second"])
    }

    @Test func packSettingsAreValidated() {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        write("pack: test\nthreshold:\n  review: 9\n", to: dir + "/pack.yml")
        write(ruleYAML(), to: dir + "/a.yml")
        #expect(throws: RulePackError.self) { try RuleLoader.load(directories: [dir]) }
        do { _ = try RuleLoader.load(directories: [dir]) } catch {
            #expect(error.diagnostics.map(\.description) == [
                "\(dir)/pack.yml:2:1: -: unknown field 'threshold' (did you mean 'thresholds'?); the fields are: pack, description, version, thresholds, transaction_columns, hash_key",
            ])
        }
        write("pack: test\nthresholds:\n  review: 9\n  block: 2\n", to: dir + "/pack.yml")
        do { _ = try RuleLoader.load(directories: [dir]) } catch {
            #expect(error.diagnostics.map(\.message) == ["thresholds: 'review' (9) must not be above 'block' (2)"])
        }
    }

    @Test func missingOrEmptyDirectoriesAreErrors() {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try RuleLoader.load(directories: [dir + "/nope", dir])
            Issue.record("expected errors")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "\(dir):1:1: -: no rule files (*.yml, *.yaml) in this directory; is it a rule pack?",
                "\(dir)/nope:1:1: -: rules directory does not exist; pass an existing directory with --rules DIR",
            ])
        }
    }

    @Test func locatorPrefersEnvironmentThenWorkingDirectoryThenExecutable() throws {
        let c = RulePackLocator.candidates(executablePath: "/opt/x/.build/release/scamscan", workingDirectory: "/home/u",
                                           environment: ["SCAMSCAN_RULES": "/etc/rules"])
        #expect(Array(c.prefix(5)) == ["/etc/rules", "/home/u/Rules", "/opt/x/.build/share/scamscan/Rules",
                                       "/opt/x/.build/release/Rules", "/opt/x/.build/Rules"])
        #expect(c.contains("/opt/x/Rules"))
        #expect(c.suffix(2) == ["/usr/local/share/scamscan/Rules", "/usr/share/scamscan/Rules"])
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/share/scamscan/Rules", withIntermediateDirectories: true)
        write("pack: x\n", to: dir + "/share/scamscan/Rules/pack.yml")
        #expect(RulePackLocator.locate(executablePath: dir + "/bin/scamscan", workingDirectory: "/nonexistent",
                                       environment: [:]) == dir + "/share/scamscan/Rules")
    }
}
