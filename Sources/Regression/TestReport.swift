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

/// Writes what `scamscan test` found: a summary that fits a CI log, JSON Lines, or JUnit XML.
public struct TestReport {
    public let run: RegressionRun
    public let diff: BaselineDiff?
    public let ruleCount: Int
    /// Labelled transaction exports (`transactions/` in a corpus).
    public let transactions: [TxCorpusResult]

    public init(run: RegressionRun, diff: BaselineDiff?, ruleCount: Int, transactions: [TxCorpusResult] = []) {
        self.run = run
        self.diff = diff
        self.ruleCount = ruleCount
        self.transactions = transactions
    }

    /// Failing examples, and records not as labelled (only new ones when there is a baseline).
    public var failed: Bool {
        if !run.failedExamples.isEmpty || !run.missing.isEmpty { return true }
        if transactions.contains(where: { !$0.passed }) { return true }
        if let diff { return diff.isRegression }
        return !run.mismatches.isEmpty
    }

    // MARK: - Text

    public func text(verbose: Bool = false) -> String {
        var out = ""
        let ex = run.examples
        let failedExamples = run.failedExamples
        out += "examples: \(ex.examples) of \(ruleCount) rules, \(failedExamples.isEmpty ? "all pass" : "\(failedExamples.count) FAILED")\n"
        for f in failedExamples { out += "  FAIL \(f.failure!)\n" }
        let files = Dictionary(grouping: run.records, by: \.file)
        for (file, records) in files.sorted(by: { $0.key < $1.key }) {
            let wrong = records.filter { $0.problem != nil }
            out += "corpus \(file): \(records.count) records, \(records.count - wrong.count) as labelled\n"
            if diff == nil {
                for r in wrong.prefix(verbose ? Int.max : 20) { out += "  MISMATCH \(describe(r)): \(r.problem!)\n" }
                if !verbose && wrong.count > 20 { out += "  ... \(wrong.count - 20) more (--verbose lists all)\n" }
            }
        }
        for (file, line) in run.missing { out += "  MISSING \(file):\(line): labelled, but the file has no record on that line\n" }
        let m = run.metrics
        out += "overall: " + confusionLine(m.overall) + "\n"
        if !m.categories.isEmpty {
            out += "by category: a row counts labelled records. labelled: records labelled CAT; TP: labelled CAT and flagged\n"
            out += "with a CAT rule among the hits; FP: flagged with a CAT rule but labelled ham or another category; FN:\n"
            out += "labelled CAT but not flagged with a CAT rule. '-': undefined (nothing labelled, or nothing predicted).\n"
            out += "  category          labelled    TP    FP    FN  precision  recall     F1\n"
            for (name, c) in m.categories.sorted(by: { $0.key < $1.key }) {
                out += "  " + name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%9d %5d %5d %5d", c.tp + c.fn, c.tp, c.fp, c.fn)
                    + pad(c.definedPrecision, 11) + pad(c.definedRecall, 8) + pad(c.definedF1, 7) + "\n"
            }
        }
        let never = m.rules.filter { $0.so == nil }.map(\.rule)
        out += "rules never firing on the corpus: \(never.count)\(never.isEmpty ? "" : ": " + never.prefix(verbose ? Int.max : 12).joined(separator: ", "))\(!verbose && never.count > 12 ? ", ..." : "")\n"
        let redundant = m.rules.filter { $0.alwaysWith != nil }
        out += "rules firing only with another: \(redundant.count)\(redundant.isEmpty ? "" : ": " + redundant.prefix(verbose ? Int.max : 8).map { "\($0.rule) (with \($0.alwaysWith!))" }.joined(separator: ", "))\(!verbose && redundant.count > 8 ? ", ..." : "")\n"
        let hamHeavy = m.rules.filter { ($0.so ?? 1) < 0.5 && $0.hamHits > 0 }
        if !hamHeavy.isEmpty {
            out += "rules firing more on ham than scam (S/O < 0.5): " + hamHeavy.map { "\($0.rule) (S/O \(fixed3($0.so!)), \($0.hamHits) ham)" }.joined(separator: ", ") + "\n"
        }
        if verbose {
            out += "  rule                                              scam  ham    S/O\n"
            for r in m.rules where r.so != nil {
                out += "  " + r.rule.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "%6d %4d  %5.3f\n", r.scamHits, r.hamHits, r.so!)
            }
        }
        if let model = run.model, !run.records.isEmpty {
            for m in model.models {
                out += "model \(m.rule) (\(m.path), \(m.messages) messages from \(m.sources) sources)"
                out += m.trainedOn.isEmpty ? ":\n"
                    : ": trained on \(m.trainedOn.joined(separator: ", ")), so these are training figures; `scamscan learn --evaluate-only` gives held-out ones\n"
            }
            out += "  rules alone:     " + confusionLine(model.rulesAlone) + "\n"
            out += "  model alone:     " + confusionLine(model.modelAlone) + "\n"
            out += "  rules and model: " + confusionLine(model.both) + "\n"
            out += "  the model adds \(model.scamsAdded) scams caught and \(model.falseAlarmsAdded) false alarms, and raises \(model.raisedToBlock) from review to block\n"
        }
        if let o = run.ordinary {
            out += "ordinary chat: \(o.files.count) file\(o.files.count == 1 ? "" : "s"), \(o.messages) messages, every flag a false alarm: "
                + "\(o.flagged) flagged (\(percent(o.flagRate))), \(o.blocked) blocked (\(percent(o.blockRate)))\n"
            if !o.trainedOn.isEmpty {
                out += "  note: the text model was trained on \(o.trainedOn.count == o.files.count ? "all" : "\(o.trainedOn.count) of") these files, so its part in these figures is in-sample; real chat it never saw flags more (docs/MODEL.md)\n"
            }
            let byRule = o.rulesByFlags
            if !byRule.isEmpty {
                let shown = byRule.prefix(verbose ? Int.max : 10)
                out += "  rules flagging it (flagged/blocked): " + shown.map { "\($0.rule) \($0.count.flagged)/\($0.count.blocked)" }.joined(separator: ", ")
                    + (byRule.count > shown.count ? ", ... (--verbose lists all, with the messages)" : "") + "\n"
            }
            if verbose {
                for f in o.flags {
                    out += "  FLAG \(f.file):\(f.line) \(f.verdict.rawValue) \(f.rules.joined(separator: ",")) \"\(escapeForTerminal(String(f.text.prefix(80))))\"\n"
                }
            }
        }
        for t in transactions {
            out += "transactions \(t.file): \(t.rows) rows, \(t.rows - t.mismatches.count) as labelled; "
                + String(format: "precision %.3f recall %.3f (TP %d FP %d FN %d TN %d)", t.precision, t.recall, t.tp, t.fp, t.fn, t.tn) + "\n"
            if t.badRows > 0 { out += "  \(t.badRows) bad rows (reported above)\n" }
            for m in t.mismatches.prefix(verbose ? Int.max : 20) {
                out += "  MISMATCH \(t.file):\(m.line) \(m.id): \(m.problem) [\(m.hits.joined(separator: ","))]\n"
            }
            if !verbose && t.mismatches.count > 20 { out += "  ... \(t.mismatches.count - 20) more (--verbose lists all)\n" }
            for id in t.missing { out += "  MISSING \(id): labelled, but the export has no such transaction\n" }
            if verbose {
                for (rule, r) in t.rules.sorted(by: { $0.key < $1.key }) { out += "  \(rule): \(r.hit) of \(r.expected) expected rows hit\n" }
            }
        }
        if let diff {
            out += "baseline: \(diff.newFailures.count) new failures, \(diff.fixed.count) fixed, \(diff.otherChanges.count) other verdict changes\n"
            for c in diff.newlyMissed { out += "  NOW MISSED \(describeChange(c))\n" }
            for c in diff.newlyFlagged { out += "  NOW FLAGGED \(describeChange(c))\n" }
            for c in diff.newFailures where !diff.newlyMissed.contains(where: { $0.record == c.record }) && !diff.newlyFlagged.contains(where: { $0.record == c.record }) {
                out += "  NEW FAILURE \(describeChange(c)): \(c.record.problem ?? "")\n"
            }
            for c in diff.fixed { out += "  FIXED \(describeChange(c))\n" }
            if verbose { for c in diff.otherChanges { out += "  CHANGED \(describeChange(c))\n" } }
            for d in diff.drops { out += "  DROP \(d)\n" }
            for r in diff.ordinaryRises { out += "  RISE \(r)\n" }
            for (id, was, now) in diff.ordinaryRules { out += "  ORDINARY \(id) flags \(now) ordinary messages (baseline \(was))\n" }
        }
        out += failed ? "scamscan test: FAILED\n" : "scamscan test: ok\n"
        return out
    }

    private func confusionLine(_ c: Confusion) -> String {
        "precision \(c.definedPrecision.map(fixed3) ?? "-") recall \(c.definedRecall.map(fixed3) ?? "-") F1 \(c.definedF1.map(fixed3) ?? "-") (TP \(c.tp) FP \(c.fp) FN \(c.fn) TN \(c.tn))"
    }

    /// A figure right-aligned in `width` columns, or "-" when undefined.
    private func pad(_ value: Double?, _ width: Int) -> String {
        let text = value.map(fixed3) ?? "-"
        return String(repeating: " ", count: max(1, width - text.count)) + text
    }

    private func describe(_ r: RecordOutcome) -> String {
        "\(r.file):\(r.line) [\(r.label ?? "unlabelled")] \(r.verdict.rawValue) \(formatScore(r.score)) \(r.rules.isEmpty ? "-" : r.rules.joined(separator: ",")) \"\(escapeForTerminal(String(r.text.prefix(80))))\""
    }

    private func describeChange(_ c: BaselineDiff.Change) -> String {
        let sign = c.scoreChange >= 0 ? "+" : ""
        var s = "\(c.record.file):\(c.record.line) [\(c.record.label ?? "unlabelled")] \(c.before.verdict.rawValue) -> \(c.record.verdict.rawValue), score \(formatScore(c.before.score)) -> \(formatScore(c.record.score)) (\(sign)\(formatScore(c.scoreChange)))"
        if !c.rulesLost.isEmpty { s += ", lost \(c.rulesLost.joined(separator: ","))" }
        if !c.rulesGained.isEmpty { s += ", gained \(c.rulesGained.joined(separator: ","))" }
        if !c.rulesRescored.isEmpty {
            s += ", re-scored " + c.rulesRescored.map { "\($0.0) \(formatScore($0.1)) -> \(formatScore($0.2))" }.joined(separator: ", ")
        }
        return s + ": \"\(escapeForTerminal(String(c.record.text.prefix(80))))\""
    }

    // MARK: - JSON Lines

    /// One object per line: `example` (failing ones), `record` (each not as labelled), `category`,
    /// `rule`, `change` (with a baseline), and a final `summary`.
    public func jsonl() -> String {
        var out: [String] = []
        func obj(_ fields: [(String, Any?)]) -> String {
            var parts: [String] = []
            for (k, v) in fields {
                guard let v else { continue }
                var buffer: [UInt8] = []
                switch v {
                case let s as String: appendJSONString(s, to: &buffer)
                case let d as Double: buffer += Array((d.isFinite ? formatScore(d) : "null").utf8)
                case let i as Int: buffer += Array(String(i).utf8)
                case let b as Bool: buffer += Array((b ? "true" : "false").utf8)
                case let a as [String]:
                    buffer += Array("[".utf8)
                    for (n, s) in a.enumerated() {
                        if n > 0 { buffer.append(UInt8(ascii: ",")) }
                        appendJSONString(s, to: &buffer)
                    }
                    buffer += Array("]".utf8)
                default: continue
                }
                var key: [UInt8] = []
                appendJSONString(k, to: &key)
                parts.append(String(decoding: key, as: UTF8.self) + ":" + String(decoding: buffer, as: UTF8.self))
            }
            return "{" + parts.joined(separator: ",") + "}"
        }
        for e in run.failedExamples {
            out.append(obj([("type", "example"), ("rule", e.rule), ("kind", e.kind), ("ordinal", e.ordinal), ("text", e.text),
                            ("message", e.failure!.description)]))
        }
        for r in run.mismatches {
            out.append(obj([("type", "record"), ("file", r.file), ("line", r.line), ("label", r.label), ("expected", r.expected?.rawValue),
                            ("verdict", r.verdict.rawValue), ("score", r.score), ("rules", r.rules), ("problem", r.problem), ("text", r.text)]))
        }
        for (name, c) in run.metrics.categories.sorted(by: { $0.key < $1.key }) {
            out.append(obj([("type", "category"), ("category", name), ("tp", c.tp), ("fp", c.fp), ("fn", c.fn), ("tn", c.tn),
                            ("precision", c.definedPrecision ?? .nan), ("recall", c.definedRecall ?? .nan), ("f1", c.definedF1 ?? .nan)]))
        }
        for r in run.metrics.rules {
            out.append(obj([("type", "rule"), ("rule", r.rule), ("scam_hits", r.scamHits), ("ham_hits", r.hamHits), ("so", r.so),
                            ("always_with", r.alwaysWith)]))
        }
        if let model = run.model {
            for (name, c) in [("rules", model.rulesAlone), ("model", model.modelAlone), ("both", model.both)] {
                out.append(obj([("type", "model"), ("scorer", name), ("tp", c.tp), ("fp", c.fp), ("fn", c.fn), ("tn", c.tn),
                                ("precision", c.precision), ("recall", c.recall), ("f1", c.f1),
                                ("trained_on", name == "rules" ? nil : model.models.flatMap(\.trainedOn))]))
            }
        }
        if let diff {
            for (kind, list) in [("now_missed", diff.newlyMissed), ("now_flagged", diff.newlyFlagged), ("new_failure", diff.newFailures), ("fixed", diff.fixed)] {
                for c in list {
                    out.append(obj([("type", "change"), ("change", kind), ("file", c.record.file), ("line", c.record.line),
                                    ("label", c.record.label), ("before", c.before.verdict.rawValue), ("after", c.record.verdict.rawValue),
                                    ("score_before", c.before.score), ("score_after", c.record.score),
                                    ("rules_lost", c.rulesLost), ("rules_gained", c.rulesGained),
                                    ("rules_rescored", c.rulesRescored.map { "\($0.0) \(formatScore($0.1)) -> \(formatScore($0.2))" }),
                                    ("text", c.record.text)]))
                }
            }
            for d in diff.drops { out.append(obj([("type", "drop"), ("message", d)])) }
            for r in diff.ordinaryRises { out.append(obj([("type", "rise"), ("message", r)])) }
        }
        if let o = run.ordinary {
            for (id, c) in o.rulesByFlags {
                out.append(obj([("type", "ordinary_rule"), ("rule", id), ("flagged", c.flagged), ("blocked", c.blocked)]))
            }
            for f in o.flags {
                out.append(obj([("type", "ordinary_flag"), ("file", f.file), ("line", f.line), ("verdict", f.verdict.rawValue), ("rules", f.rules), ("text", f.text)]))
            }
            out.append(obj([("type", "ordinary"), ("files", o.files.count), ("messages", o.messages), ("flagged", o.flagged), ("blocked", o.blocked),
                            ("flag_rate", o.flagRate), ("block_rate", o.blockRate)]))
        }
        for t in transactions {
            for m in t.mismatches {
                out.append(obj([("type", "transaction"), ("file", t.file), ("line", m.line), ("id", m.id),
                                ("expected", m.labelled ? (m.expected.isEmpty ? ["-"] : m.expected) : nil), ("rules", m.hits),
                                ("verdict", m.verdict.rawValue), ("problem", m.problem)]))
            }
            out.append(obj([("type", "transactions"), ("file", t.file), ("rows", t.rows), ("bad_rows", t.badRows), ("tp", t.tp),
                            ("fp", t.fp), ("fn", t.fn), ("tn", t.tn), ("precision", t.precision), ("recall", t.recall),
                            ("missing", t.missing.count)]))
        }
        let o = run.metrics.overall
        out.append(obj([("type", "summary"), ("rules", ruleCount), ("examples", run.examples.examples),
                        ("failed_examples", run.failedExamples.count), ("records", run.records.count),
                        ("mismatches", run.mismatches.count), ("missing", run.missing.count), ("tp", o.tp), ("fp", o.fp), ("fn", o.fn), ("tn", o.tn),
                        ("precision", o.precision), ("recall", o.recall), ("f1", o.f1), ("failed", failed)]))
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - JUnit XML

    /// JUnit XML as Jenkins, GitLab and GitHub reporters read it (the Ant/Surefire schema): a
    /// suite of rule examples with a test case per example, and per corpus file a suite with a
    /// test case per label class (failing with the records not as labelled).
    public func junit(seconds: Double) -> String {
        var suites: [String] = []
        var totalTests = 0
        var totalFailures = 0
        // Rule examples.
        var cases: [String] = []
        var failures = 0
        for e in run.examples.outcomes {
            var c = "    <testcase classname=\"\(xml("rules." + e.rule))\" name=\"\(xml("\(e.kind) \(e.ordinal): \(e.text)"))\" time=\"0\""
            if let f = e.failure {
                failures += 1
                c += ">\n      <failure message=\"\(xml(f.message))\" type=\"\(e.kind == "pattern" ? "pattern" : "example")\">\(xml(f.description))</failure>\n    </testcase>"
            } else {
                c += "/>"
            }
            cases.append(c)
        }
        suites.append(suite("rule examples", tests: cases.count, failures: failures, seconds: seconds, cases: cases))
        totalTests += cases.count
        totalFailures += failures
        // Corpus files, a case per label class.
        let files = Dictionary(grouping: run.records, by: \.file)
        for (file, records) in files.sorted(by: { $0.key < $1.key }) {
            var cases: [String] = []
            var failures = 0
            let classes = Dictionary(grouping: records, by: { $0.label ?? "unlabelled" })
            for (label, group) in classes.sorted(by: { $0.key < $1.key }) {
                let baselineFailures = diff.map { d in Set(d.newFailures.map { "\($0.record.file):\($0.record.line)" }) }
                let wrong = group.filter { r in
                    guard r.problem != nil else { return false }
                    if let baselineFailures { return baselineFailures.contains("\(r.file):\(r.line)") }
                    return true
                }
                let name = "\(label) (\(group.count) record\(group.count == 1 ? "" : "s"))"
                var c = "    <testcase classname=\"\(xml("corpus." + ((file as NSString).lastPathComponent)))\" name=\"\(xml(name))\" time=\"0\""
                if !wrong.isEmpty {
                    failures += 1
                    let lines = wrong.map { "\(file):\($0.line): \($0.problem!) [\($0.rules.joined(separator: ","))] \($0.text)" }
                    c += ">\n      <failure message=\"\(xml("\(wrong.count) of \(group.count) \(label) records not as labelled"))\" type=\"corpus\">\(xml(lines.joined(separator: "\n")))</failure>\n    </testcase>"
                } else {
                    c += "/>"
                }
                cases.append(c)
            }
            suites.append(suite("corpus \(file)", tests: cases.count, failures: failures, seconds: 0, cases: cases))
            totalTests += cases.count
            totalFailures += failures
        }
        // Ordinary chat: one case, failing when its flag or block rate rose above the baseline.
        if let o = run.ordinary {
            let name = "flag rate \(percent(o.flagRate)), block rate \(percent(o.blockRate)) on \(o.messages) messages"
            var c = "    <testcase classname=\"ordinary\" name=\"\(xml(name))\" time=\"0\""
            let rises = diff?.ordinaryRises ?? []
            if !rises.isEmpty {
                let rules = (diff?.ordinaryRules ?? []).map { "\($0.0): \($0.1) -> \($0.2) flagged" }
                c += ">\n      <failure message=\"\(xml(rises.joined(separator: "; ")))\" type=\"ordinary\">\(xml((rises + rules).joined(separator: "\n")))</failure>\n    </testcase>"
            } else {
                c += "/>"
            }
            suites.append(suite("ordinary chat", tests: 1, failures: rises.isEmpty ? 0 : 1, seconds: 0, cases: [c]))
            totalTests += 1
            totalFailures += rises.isEmpty ? 0 : 1
        }
        // Transaction exports: a case per rule expected, one for '-' rows, one for unlabelled rows.
        for t in transactions {
            var cases: [String] = []
            var failures = 0
            let classname = xml("transactions." + (t.file as NSString).lastPathComponent)
            var groups: [(String, [TxCorpusMismatch], Int)] = t.rules.sorted(by: { $0.key < $1.key }).map { rule, r in
                (rule, t.mismatches.filter { $0.labelled && $0.expected.contains(rule) && !$0.hits.contains(rule) }, r.expected)
            }
            groups.append(("no rule on '-' rows", t.mismatches.filter { $0.labelled && $0.expected.isEmpty }, 0))
            groups.append(("unlabelled rows not flagged", t.mismatches.filter { !$0.labelled }, 0))
            if t.badRows > 0 || !t.missing.isEmpty {
                groups.append(("every labelled row read (\(t.badRows) bad, \(t.missing.count) missing)", [], -1))
            }
            for (name, wrong, _) in groups {
                var c = "    <testcase classname=\"\(classname)\" name=\"\(xml(name))\" time=\"0\""
                if !wrong.isEmpty || name.hasPrefix("every labelled") {
                    failures += 1
                    let lines = wrong.map { "\(t.file):\($0.line) \($0.id): \($0.problem) [\($0.hits.joined(separator: ","))]" } + t.missing.map { "missing \($0)" }
                    c += ">\n      <failure message=\"\(xml("\(max(wrong.count, 1)) rows not as labelled"))\" type=\"transactions\">\(xml(lines.joined(separator: "\n")))</failure>\n    </testcase>"
                } else {
                    c += "/>"
                }
                cases.append(c)
            }
            suites.append(suite("transactions \(t.file)", tests: cases.count, failures: failures, seconds: 0, cases: cases))
            totalTests += cases.count
            totalFailures += failures
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"scamscan test\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"0\" time=\"\(String(format: "%.3f", seconds))\">\n"
            + suites.joined(separator: "\n") + "\n</testsuites>\n"
    }

    /// JUnit XML for a run that could not start (the pack, corpus or baseline failed to load):
    /// one failing test case per problem, so CI shows this run's failure, not an older report.
    public static func junit(loadFailures problems: [String], seconds: Double) -> String {
        let list = problems.isEmpty ? ["scamscan test could not start"] : problems
        let cases = list.enumerated().map { k, problem in
            "    <testcase classname=\"load\" name=\"\(xml("problem \(k + 1)"))\" time=\"0\">\n"
                + "      <failure message=\"\(xml(problem))\" type=\"load\">\(xml(problem))</failure>\n    </testcase>"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"scamscan test\" tests=\"\(cases.count)\" failures=\"\(cases.count)\" errors=\"0\" time=\"\(String(format: "%.3f", seconds))\">\n"
            + "  <testsuite name=\"loading the rule pack, corpus and baseline\" tests=\"\(cases.count)\" failures=\"\(cases.count)\" errors=\"0\" skipped=\"0\" time=\"\(String(format: "%.3f", seconds))\">\n"
            + cases.joined(separator: "\n") + "\n  </testsuite>\n</testsuites>\n"
    }

    private func suite(_ name: String, tests: Int, failures: Int, seconds: Double, cases: [String]) -> String {
        "  <testsuite name=\"\(xml(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(String(format: "%.3f", seconds))\">\n"
            + cases.joined(separator: "\n") + (cases.isEmpty ? "" : "\n") + "  </testsuite>"
    }
}

/// Text for an XML attribute or element: the five entities escaped, and characters XML 1.0
/// cannot hold (C0 controls but tab and newline, U+FFFE/FFFF, lone surrogates) written as
/// `\u{XXXX}`, so chat text cannot break the file.
func xml(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for s in text.unicodeScalars {
        switch s {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n": out.unicodeScalars.append(s)
        default:
            if s.value < 0x20 || s.value == 0x7F || s.value == 0xFFFE || s.value == 0xFFFF {
                out += "\\u{\(String(s.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
    }
    return out
}
