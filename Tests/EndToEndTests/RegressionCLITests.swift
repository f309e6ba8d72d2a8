import Foundation
import Testing

/// `scamscan test`, `explain` and `tune` as a rule author and a CI job run them.
@Suite(.serialized) struct RegressionCLITests {
    let rules = repoRoot + "/Rules"
    /// Labelled chat and transactions, without the ordinary chat (its own test below).
    let corpus = labelledCorpus

    /// A copy of the shipped pack to change.
    func packCopy() throws -> String {
        let dir = temporaryDirectory()
        try FileManager.default.copyItem(atPath: rules, toPath: dir + "/Rules")
        return dir + "/Rules"
    }

    @Test func shippedPackPassesWithItsNumbers() throws {
        let corpus = repoRoot + "/Corpus"
        let r = try scamscan(["test", "--rules", rules, "--corpus", corpus])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("examples: 1186 of 151 rules, all pass"))
        #expect(r.out.contains("corpus \(corpus)/chat/sample.tsv: 513 records, 513 as labelled"))
        #expect(r.out.contains("overall: precision 1.000 recall 1.000 F1 1.000 (TP 112 FP 0 FN 0 TN 401)"))
        // What the model adds, with the warning that it was trained on this very file.
        #expect(r.out.contains("model model.text (model.ssm, "))
        #expect(r.out.contains("trained on \(corpus)/chat/sample.tsv, so these are training figures"), "\(r.out)")
        #expect(r.out.contains("  rules alone:     precision ") && r.out.contains("  model alone:     precision ")
                && r.out.contains("  rules and model: precision 1.000 recall 1.000"))
        #expect(r.out.contains("  the model adds "))
        #expect(r.out.contains("rules never firing on the corpus: "))
        #expect(r.out.contains("rules firing only with another: "))
        // The false-alarm measure on the shipped real chat.
        #expect(r.out.contains("ordinary chat: 9 files, 17869 messages, every flag a false alarm: "), "\(r.out)")
        #expect(r.out.hasSuffix("scamscan test: ok\n"))
        // Run from the repository, the corpus is found by itself, and nothing has regressed from
        // the committed baseline (verdicts, metrics, false alarms on ordinary chat).
        let gate = try scamscan(["test", "--baseline", "Corpus/baseline.json"], directory: repoRoot)
        #expect(gate.status == 0, "\(gate.out)\(gate.err)")
        #expect(gate.out.contains("baseline: 0 new failures"))
    }

    @Test func junitValidatesAgainstTheSchema() throws {
        let dir = temporaryDirectory()
        let file = dir + "/results.xml"
        let r = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--junit", file])
        #expect(r.status == 0)
        let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let tool = try #require(xmllint, "xmllint is needed to validate JUnit XML: install libxml2-utils (make test does)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["--noout", "--schema", repoRoot + "/Tests/EndToEndTests/Data/junit.xsd", file]
        let pipe = Pipe()
        p.standardError = pipe
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "\(message)")
        let xml = try String(contentsOfFile: file, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"rule examples\" tests=\"1186\" failures=\"0\""))
        #expect(xml.contains("classname=\"corpus.sample.tsv\" name=\"ham (401 records)\""))
        // A schema that cannot fail proves nothing: a broken file must be rejected.
        try xml.replacingOccurrences(of: "tests=\"1186\"", with: "tests=\"many\"").write(toFile: file, atomically: true, encoding: .utf8)
        let bad = Process()
        bad.executableURL = URL(fileURLWithPath: tool)
        bad.arguments = ["--noout", "--schema", repoRoot + "/Tests/EndToEndTests/Data/junit.xsd", file]
        bad.standardError = Pipe()
        try bad.run()
        bad.waitUntilExit()
        #expect(bad.terminationStatus != 0)
    }

    @Test func aWeakenedRuleIsReportedAsARegressionAgainstTheBaseline() throws {
        let pack = try packCopy()
        let baseline = (pack as NSString).deletingLastPathComponent + "/baseline.json"
        let write = try scamscan(["test", "--rules", pack, "--corpus", corpus, "--baseline", baseline, "--update-baseline"])
        #expect(write.status == 0 && write.out.contains("baseline written to \(baseline)"))
        let same = try scamscan(["test", "--rules", pack, "--corpus", corpus, "--baseline", baseline])
        #expect(same.status == 0 && same.out.contains("baseline: 0 new failures, 0 fixed, 0 other verdict changes"))
        // The change under review: the coin generator rules and the text model lose their teeth.
        for name in ["coin_generator.yml", "model.yml"] {
            let file = pack + "/" + name
            let yaml = try String(contentsOfFile: file, encoding: .utf8)
            try yaml.replacingOccurrences(of: #"(?m)^  score: [0-9.]+$"#, with: "  score: 0.5", options: .regularExpression)
                .write(toFile: file, atomically: true, encoding: .utf8)
        }
        let junit = (pack as NSString).deletingLastPathComponent + "/results.xml"
        let r = try scamscan(["test", "--rules", pack, "--corpus", corpus, "--baseline", baseline, "--junit", junit])
        #expect(r.status == 1)
        #expect(r.out.contains("NOW MISSED"), "\(r.out)")
        #expect(r.out.contains("block -> allow"), "\(r.out)")
        #expect(r.out.contains("coin_generator.free-coin-generator 8 -> 0.5"), "the rule responsible, with its score change")
        #expect(r.out.contains("DROP recall fell from 1.000"))
        #expect(r.out.hasSuffix("scamscan test: FAILED\n"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<failure message=\""), "the regression is a JUnit failure")
        // Past the tolerance nothing fails on metrics, but records that passed and fail now still do.
        let tolerant = try scamscan(["test", "--rules", pack, "--corpus", corpus, "--baseline", baseline, "--tolerance", "1"])
        #expect(tolerant.status == 1 && !tolerant.out.contains("DROP"))
    }

    @Test func aFailingExampleFailsAndJsonlSaysWhy() throws {
        let pack = try packCopy()
        let file = pack + "/other.yml"
        var yaml = try String(contentsOfFile: file, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "    - \"fr33 c.o.i.n.s generator\"\n", with: "    - \"fr33 c.o.i.n.s generator\"\n    - \"a perfectly innocent line\"\n")
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try scamscan(["test", "--rules", pack, "--corpus", corpus, "--output", "jsonl"])
        #expect(r.status == 1)
        let objects = r.out.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let example = try #require(objects.first { $0["type"] as? String == "example" })
        #expect(example["text"] as? String == "a perfectly innocent line")
        #expect((example["message"] as? String)?.contains("'match' example did not match") == true)
        let summary = try #require(objects.last)
        #expect(summary["type"] as? String == "summary" && summary["failed"] as? Bool == true && summary["failed_examples"] as? Int == 1)
        #expect(objects.contains { $0["type"] as? String == "category" && $0["category"] as? String == "phishing" })
        #expect(objects.contains { $0["type"] as? String == "rule" && $0["rule"] as? String == "other.scam-warning" && $0["so"] as? Double == 0 })
    }

    @Test func badCorporaAreErrorsWithTheirLocation() throws {
        let dir = temporaryDirectory()
        try "hello\n".write(toFile: dir + "/chat.txt", atomically: true, encoding: .utf8)
        let missing = try scamscan(["test", "--rules", rules, "--corpus", dir])
        #expect(missing.status == 2)
        #expect(missing.err.contains("\(dir)/chat.txt:1:1: -: no labels for this chat file: write \(dir)/chat.labels.tsv"))
        try "line\tlabel\tverdict\tnote\n1\tspma\tallow\tx\n1\tham\tmaybe\n".write(toFile: dir + "/chat.labels.tsv", atomically: true, encoding: .utf8)
        let bad = try scamscan(["test", "--rules", rules, "--corpus", dir])
        #expect(bad.status == 2)
        #expect(bad.err.contains("\(dir)/chat.labels.tsv:2:3: -: unknown label 'spma' (did you mean 'spam'?)"))
        #expect(bad.err.contains("\(dir)/chat.labels.tsv:3:7: -: unknown verdict 'maybe'; use allow, review or block"))
        try "line\tlabel\tverdict\tnote\n1\tham\tallow\tx\n5\tham\tallow\tno such line\n".write(toFile: dir + "/chat.labels.tsv", atomically: true, encoding: .utf8)
        let gap = try scamscan(["test", "--rules", rules, "--corpus", dir])
        #expect(gap.status == 1 && gap.out.contains("MISSING \(dir)/chat.txt:5: labelled, but the file has no record on that line"))
        let notJSON = try scamscan(["test", "--rules", rules, "--corpus", corpus, "--baseline", dir + "/chat.txt"])
        #expect(notJSON.status == 2 && notJSON.err.contains("not a scamscan baseline"))
    }

    @Test func explainSaysWhyEachRuleHitOrNot() throws {
        let r = try scamscan(["explain", "--rules", rules, "--channel", "lunapaints", "--user", "lunaa.paints", "fr33 c0ins at tikt0k(.)com"])
        #expect(r.status == 0)
        #expect(r.out.contains("folded:  free coins at tiktok.com\n"))
        #expect(r.out.contains("folded_by: leet, defang\n"))
        #expect(r.out.contains("verdict: block, score "))
        #expect(r.out.contains("  +5 impersonation.lookalike-handle [impersonation] (handle_lookalike) \"\" at 0-0: author @lunaa.paints imitates @lunapaints"))
        #expect(r.out.contains("  +2.5 coin_generator.free-coins-mention [coin_generator] (folded) \"fr33 c0ins\" at 0-10\n"))
        #expect(r.out.contains("  chargeback.carding: skipped by the prefilter: the folded text lacks OR(\"carding\""))
        #expect(r.out.contains(": PCRE2 ran on the folded text: no match\n"))
        #expect(r.out.contains("  phishing.known-phishing-domain: no host on lists/phishing-domains.txt (hosts: tiktok.com)\n"))
        let hitsOnly = try scamscan(["explain", "--rules", rules, "--hits-only"], stdin: "hello\n")
        #expect(hitsOnly.out == "message: hello\nfolded:  hello\nfolded_by: -\nverdict: allow, score 0 (review at 4, block at 8)\nhits (0):\n\n")
    }

    @Test func aRiseOfFalseAlarmsOnOrdinaryChatFailsAgainstTheBaseline() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: corpus + "/chat", toPath: dir + "/chat")
        try FileManager.default.createDirectory(atPath: dir + "/ordinary", withIntermediateDirectories: true)
        try "gg\nnice run\nwhat song is this\n".write(toFile: dir + "/ordinary/a.txt", atomically: true, encoding: .utf8)
        let baseline = dir + "/baseline.json"
        let write = try scamscan(["test", "--rules", rules, "--corpus", dir, "--baseline", baseline, "--update-baseline"])
        #expect(write.status == 0, "\(write.err)")
        #expect(write.out.contains("ordinary chat: 1 file, 3 messages, every flag a false alarm: 0 flagged (0.000%), 0 blocked (0.000%)"))
        #expect(try String(contentsOfFile: baseline, encoding: .utf8).contains("\"ordinary\":{"))
        // A change that flags ordinary chat: here, the chat itself changes to carry a scam.
        try "gg\nnice run\nFREE COINS GENERATOR no human verification at coinz.xyz\n".write(toFile: dir + "/ordinary/a.txt", atomically: true, encoding: .utf8)
        let junit = dir + "/j.xml"
        let r = try scamscan(["test", "--rules", rules, "--corpus", dir, "--baseline", baseline, "--junit", junit])
        #expect(r.status == 1, "\(r.out)")
        #expect(r.out.contains("ordinary chat: 1 file, 3 messages, every flag a false alarm: 1 flagged (33.333%), 1 blocked (33.333%)"))
        #expect(r.out.contains("  RISE ordinary chat flag rate rose from 0.000% to 33.333% (tolerance 0.000)"))
        #expect(r.out.contains("  RISE ordinary chat block rate rose from 0.000% to 33.333%"))
        #expect(r.out.contains("  ORDINARY coin_generator."), "\(r.out)")
        #expect(r.out.hasSuffix("scamscan test: FAILED\n"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"ordinary chat\" tests=\"1\" failures=\"1\""))
        // --verbose names the flagged message; JSON Lines carries the rates.
        let verbose = try scamscan(["test", "--rules", rules, "--corpus", dir, "--verbose"])
        #expect(verbose.out.contains("  FLAG \(dir)/ordinary/a.txt:3 block "))
        let json = try scamscan(["test", "--rules", rules, "--corpus", dir, "--output", "jsonl"])
        #expect(json.out.contains("{\"type\":\"ordinary\",\"files\":1,\"messages\":3,\"flagged\":1,\"blocked\":1,"))
        // A tolerance above the rise lets it pass.
        let tolerant = try scamscan(["test", "--rules", rules, "--corpus", dir, "--baseline", baseline, "--tolerance", "0.5"])
        #expect(tolerant.status == 0, "\(tolerant.out)")
    }

    @Test func tuneReportsHeldOutFiguresAndRefusesAWorseFit() throws {
        let pack = try packCopy()
        let before = try String(contentsOfFile: pack + "/coin_generator.yml", encoding: .utf8)
        let r = try scamscan(["tune", "--rules", pack, "--corpus", corpus, "--lambda", "0.05"])
        #expect(r.status == 0)
        #expect(r.out.contains("513 labelled records; the fit is judged by 5-fold cross-validation"))
        #expect(r.out.contains("held out, current scores: precision 1.000 recall 1.000"))
        // The hand-set scores catch every labelled scam; scores fitted without each fold do not.
        #expect(r.out.contains("held out, fitted scores: precision "))
        #expect(r.out.contains("WARNING: the fitted scores do worse than the current ones on the held-out folds"), "\(r.out)")
        #expect(r.out.contains("note: model.text was trained on \(corpus)/chat/sample.tsv: its fit here is optimistic"), "\(r.out)")
        #expect(r.out.contains(" -> "))
        #expect(try String(contentsOfFile: pack + "/coin_generator.yml", encoding: .utf8) == before)
        // --write refuses a worse fit and changes nothing.
        let refused = try scamscan(["tune", "--rules", pack, "--corpus", corpus, "--lambda", "0.05", "--write"])
        #expect(refused.status == 1 && refused.out.contains("not written: the fit does worse on the held-out folds (--force writes it anyway)"))
        #expect(try String(contentsOfFile: pack + "/coin_generator.yml", encoding: .utf8) == before)
        let w = try scamscan(["tune", "--rules", pack, "--corpus", corpus, "--lambda", "0.05", "--write", "--force"])
        #expect(w.status == 0 && w.out.contains("rewrote the scores in"))
        #expect(try String(contentsOfFile: pack + "/coin_generator.yml", encoding: .utf8) != before)
        // The rewritten pack still loads, with the suggested scores.
        let lint = try scamscan(["lint", "--rules", pack])
        #expect(lint.status != 2, "\(lint.err)")
        let again = try scamscan(["tune", "--rules", pack, "--corpus", corpus, "--lambda", "0.05"])
        #expect(again.out.contains("suggested scores, fitted on all 513 records (0 of 151 rules change)"), "\(again.out)")
        let bad = try scamscan(["tune", "--rules", pack, "--corpus", corpus, "--force"])
        #expect(bad.status == 64 || bad.status == 2)
        #expect(bad.err.contains("--force only applies with --write"))
    }
}
