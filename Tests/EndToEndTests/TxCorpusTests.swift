import Foundation
import Testing

/// The transaction rules against labelled exports: the shipped sample, a freshly generated
/// export (labels computed by the generator, checked by an independent Python model), and
/// `scamscan test` catching a broken label or rule.
@Suite(.serialized) struct TxCorpusTests {
    let rules = repoRoot + "/Rules"

    func python(_ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Rule ids hit per transaction id (`scamscan tx --all --output jsonl`).
    func hits(_ path: String, _ extra: [String] = []) throws -> [String: Set<String>] {
        let r = try scamscan(["tx", "--rules", rules, "--all", "--output", "jsonl"] + extra + [path])
        #expect(r.status == 0, "\(r.err)")
        var out: [String: Set<String>] = [:]
        for line in r.out.split(separator: "\n") {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let ids = (o["hits"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            out[o["id"] as! String] = Set(ids)
        }
        return out
    }

    func labels(_ path: String) throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            out[String(f[0])] = f[1] == "-" ? [] : Set(f[1].split(separator: ",").map(String.init))
        }
        return out
    }

    /// Every row's rules equal its label exactly: labelled rows get exactly their rules,
    /// '-' rows and unlabelled rows none.
    func expectAgreement(_ got: [String: Set<String>], _ want: [String: Set<String>], rows: Int) {
        #expect(got.count == rows)
        var wrong: [String] = []
        for (id, rules) in got where rules != (want[id] ?? []) {
            wrong.append("\(id): got \(rules.sorted()), labelled \(want[id].map { $0.sorted() } ?? [])")
        }
        #expect(wrong.isEmpty, "\(wrong.count) rows disagree: \(wrong.prefix(10))")
        #expect(want.keys.allSatisfy { got[$0] != nil }, "every labelled id is in the export")
    }

    @Test func theShippedSampleAgreesWithItsLabelsRowByRow() throws {
        let sample = repoRoot + "/Corpus/transactions/sample.csv"
        let want = try labels(repoRoot + "/Corpus/transactions/sample.labels.tsv")
        expectAgreement(try hits(sample), want, rows: 3000)
        // The same rows under the export's column names and epoch times, mapped by the pack.
        expectAgreement(try hits(repoRoot + "/Corpus/transactions/export-sample.csv"), want, rows: 3000)
    }

    @Test func aFreshlyGeneratedExportAgreesWithTheGeneratorAndTheIndependentChecker() throws {
        let dir = temporaryDirectory()
        let csv = dir + "/gen.csv", tsv = dir + "/gen.labels.tsv", jsonl = dir + "/gen.jsonl"
        for args in [["--out", csv, "--labels", tsv], ["--out", jsonl, "--format", "jsonl", "--header", "export"]] {
            #expect(try python(["Corpus/tools/gen_transactions.py", "--rows", "20000", "--seed", "7", "--inject-every", "40"] + args) == 0)
        }
        #expect(try python(["Corpus/tools/check_tx_labels.py", csv, tsv]) == 0, "the Python model agrees with the labels")
        let want = try labels(tsv)
        #expect(want.values.filter { !$0.isEmpty }.count > 200, "patterns were injected")
        expectAgreement(try hits(csv), want, rows: 20000)
        expectAgreement(try hits(jsonl), want, rows: 20000)
    }

    @Test func theSampleIsRegeneratedByteForByte() throws {
        let dir = temporaryDirectory()
        #expect(try python(["Corpus/tools/gen_transactions.py", "--rows", "3000", "--seed", "1", "--inject-every", "35",
                            "--out", dir + "/s.csv", "--labels", dir + "/s.labels.tsv"]) == 0)
        #expect(FileManager.default.contentsEqual(atPath: dir + "/s.csv", andPath: repoRoot + "/Corpus/transactions/sample.csv"))
        #expect(FileManager.default.contentsEqual(atPath: dir + "/s.labels.tsv", andPath: repoRoot + "/Corpus/transactions/sample.labels.tsv"))
    }

    @Test func scamscanTestRunsTransactionCorporaAndCatchesRegressions() throws {
        let corpus = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: corpus + "/transactions", withIntermediateDirectories: true)
        let sample = repoRoot + "/Corpus/transactions/sample"
        try FileManager.default.copyItem(atPath: sample + ".csv", toPath: corpus + "/transactions/sample.csv")
        try FileManager.default.copyItem(atPath: repoRoot + "/Corpus/chat", toPath: corpus + "/chat")
        var labelText = try String(contentsOfFile: sample + ".labels.tsv", encoding: .utf8)
        try labelText.write(toFile: corpus + "/transactions/sample.labels.tsv", atomically: true, encoding: .utf8)
        let ok = try scamscan(["test", "--rules", rules, "--corpus", corpus])
        #expect(ok.status == 0, "\(ok.out)\(ok.err)")
        #expect(ok.out.contains("transactions \(corpus)/transactions/sample.csv: 3000 rows, 3000 as labelled; precision 1.000 recall 1.000 (TP 137 FP 0 FN 0 TN 2863)"))

        // A rule made blind (its threshold out of reach) is a regression: its rows are now missed.
        let pack = temporaryDirectory()
        try FileManager.default.removeItem(atPath: pack)
        try FileManager.default.copyItem(atPath: rules, toPath: pack)
        var yml = try String(contentsOfFile: pack + "/transactions.yml", encoding: .utf8)
        yml = yml.replacingOccurrences(of: "    count: 5\n    max_amount: 2.00", with: "    count: 50\n    max_amount: 2.00")
        yml = yml.replacingOccurrences(of: "  count: 5\n", with: "  count: 50\n")
        try yml.write(toFile: pack + "/transactions.yml", atomically: true, encoding: .utf8)
        let blind = try scamscan(["test", "--rules", pack, "--corpus", corpus, "--junit", corpus + "/j.xml"])
        #expect(blind.status == 1)
        #expect(blind.out.contains("expected card_testing.burst to hit"), "\(blind.out)")
        let junit = try String(contentsOfFile: corpus + "/j.xml", encoding: .utf8)
        #expect(junit.contains("name=\"card_testing.burst\" time=\"0\">\n      <failure"))

        // A label naming a rule that does not exist is an error with its place.
        labelText += "t0000001\tcard_testing.brust\ttypo\n"
        try labelText.write(toFile: corpus + "/transactions/sample.labels.tsv", atomically: true, encoding: .utf8)
        let typo = try scamscan(["test", "--rules", rules, "--corpus", corpus])
        #expect(typo.status == 2)
        #expect(typo.err.contains("sample.labels.tsv:533:10: -: unknown transaction rule 'card_testing.brust' (did you mean 'card_testing.burst'?)"), "\(typo.err)")
    }
}
