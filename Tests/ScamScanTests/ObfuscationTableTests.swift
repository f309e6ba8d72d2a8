import Foundation
import Testing
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

/// The obfuscation table (Tests/ScamScanTests/Data/obfuscation.tsv): disguised scam messages the
/// shipped rules must catch once folded, and innocent messages folding must not turn into false
/// positives. Columns: expect (flag|pass), techniques, folded_contains, text, plain.
/// Text escapes: \u{XXXX}, \t, \\.
@Suite struct ObfuscationTableTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var line: Int
        var expect: String
        var techniques: [String]
        var foldedContains: String?
        var text: String
        var plain: String?
        var testDescription: String { "line \(line): \(text.debugDescription)" }
    }

    static let root: URL = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root
    }()

    static func unescape(_ s: Substring) -> String {
        var out = String.UnicodeScalarView()
        var it = s.unicodeScalars.makeIterator()
        while let c = it.next() {
            guard c == "\\" else { out.append(c); continue }
            switch it.next() {
            case "t": out.append("\t")
            case "\\": out.append("\\")
            case "u":
                _ = it.next()  // {
                var hex = ""
                while let h = it.next(), h != "}" { hex.unicodeScalars.append(h) }
                out.append(Unicode.Scalar(UInt32(hex, radix: 16)!)!)
            case let other?: out.append("\\"); out.append(other)
            case nil: out.append("\\")
            }
        }
        return String(out)
    }

    static let rows: [Row] = {
        let text = try! String(contentsOf: root.appendingPathComponent("Tests/ScamScanTests/Data/obfuscation.tsv"), encoding: .utf8)
        var rows: [Row] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i > 0 && !line.isEmpty {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            precondition(f.count == 5, "obfuscation.tsv line \(i + 1): \(f.count) columns, want 5")
            rows.append(Row(line: i + 1, expect: String(f[0]),
                            techniques: f[1] == "-" ? [] : f[1].split(separator: ",").map(String.init),
                            foldedContains: f[2] == "-" ? nil : unescape(f[2]), text: unescape(f[3]),
                            plain: f[4] == "-" ? nil : unescape(f[4])))
        }
        return rows
    }()

    static let pack: CompiledPack = try! CompiledPack.load(directories: [root.appendingPathComponent("Rules").path])

    @Test func theTableIsBigEnoughAndCoversEveryTechnique() {
        let flags = Self.rows.filter { $0.expect == "flag" }
        let passes = Self.rows.filter { $0.expect == "pass" }
        #expect(flags.count >= 150)
        #expect(passes.count >= 50)
        for (_, name) in FoldTechniques.named {
            #expect(flags.filter { $0.techniques.contains(name) }.count >= 10, "technique \(name)")
        }
        #expect(Set(Self.rows.map(\.expect)) == ["flag", "pass"])
    }

    func classify(_ text: String) -> Classification {
        var c = Classification()
        let classifier = Classifier(pack: Self.pack)
        Array(text.utf8).withUnsafeBytes { classifier.classify($0, into: &c) }
        return c
    }

    @Test(arguments: rows)
    func foldsAndScores(_ row: Row) {
        var folder = FoldedText()
        folder.fold(row.text)
        if let expected = row.foldedContains {
            #expect(folder.string.contains(expected), "folded: \(folder.string.debugDescription)")
        }
        let c = classify(row.text)
        let ids = c.hits.map { Self.pack.rules[$0.rule].id }
        if row.expect == "flag" {
            #expect(c.verdict != .allow, "score \(c.score), folded \(folder.string.debugDescription), hits \(ids)")
            for t in row.techniques {
                #expect(folder.techniques.names.contains(t), "technique \(t) not reported: \(folder.techniques.names)")
            }
        } else {
            #expect(c.verdict == .allow, "score \(c.score), folded \(folder.string.debugDescription), hits \(ids)")
        }
    }
}
