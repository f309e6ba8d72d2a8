import Foundation
import Testing
@_spi(Testing) @testable import ScamScan
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
import Matcher

/// The invariants the fuzz targets check, on the fuzz seeds and on inputs that once looked
/// dangerous. (Fuzzing has found no violation so far; an input it finds goes in `regressions`.)
@Suite struct InvariantsTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func seeds(_ target: String) -> [[UInt8]] {
        let dir = root.appendingPathComponent("Fuzz/seeds/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: dir.appendingPathComponent($0).path).map(Array.init) }
    }

    static let regressions: [[UInt8]] = [
        [], [0x00], [0xFF], [0xC3], [0xE2, 0x80], Array("\u{200B}".utf8), Array("a\u{0301}\u{0301}\u{0301}".utf8),
        Array("f r 3 3  c 0 i n s".utf8), Array("hxxp[:]//x[.]y(.)z dot com . me / a".utf8), Array("@@@@ @a @ab.".utf8),
        Array("ﷺ ﷺ ﷺ".utf8), Array("한국어 ﬁ ß İ".utf8), Array(String(repeating: "\u{0301}", count: 100).utf8),
        Array("сосо hello σου".utf8), Array("1 1 1 1 1".utf8), Array("[.][.][.]".utf8), Array(". . . .".utf8),
    ]

    @Test func foldedViewOnSeedsAndRegressions() {
        let inputs = Self.seeds("fold") + Self.regressions
        #expect(inputs.count >= 40)
        for input in inputs { #expect(Invariants.fold(input) == nil, "\(input)") }
    }

    @Test func csvOnSeedsAndRegressions() {
        let inputs = Self.seeds("tx") + Self.regressions + [
            Array("a,b\n\"x\"\"y\",2\n\"open\n1,2\r\n".utf8), Array("\"\"\"".utf8), Array(",,,\r\r\n\"\r\"\n".utf8),
            Array(String(repeating: "\"a\",", count: 100).utf8), Array("\u{FEFF}id\n\u{FEFF}x".utf8),
        ]
        #expect(Self.seeds("tx").count >= 20)
        for input in inputs { #expect(Invariants.csv(input) == nil, "\(String(decoding: input, as: UTF8.self))") }
    }

    @Test func signalsOnSeeds() throws {
        let seeds = Self.seeds("signals")
        #expect(seeds.count >= 3)
        let classifier = Classifier(pack: try CompiledPack.load(directories: [Self.root.appendingPathComponent("Rules").path]))
        for seed in seeds + Self.regressions { #expect(Invariants.signals(seed, classifier: classifier) == nil) }
        // The state file seed is a real one: it restores.
        let file = try #require(seeds.first { $0.starts(with: Array("SCAMSIGS".utf8)) })
        var state = classifier.pack.makeSignalState()!
        try state.restore(contents: file)
    }

    @Test func chatLinesOnSeedsAndRegressions() {
        var lines: [[UInt8]] = Self.regressions
        for seed in Self.seeds("chat") { lines += seed.split(separator: 0x0A).map(Array.init) }
        lines += [Array("{\"text\":\"\\ud800\"}".utf8), Array("{\"text\":".utf8), Array("a\tb\tc\td\te".utf8), Array("\t\t\t".utf8)]
        for line in lines { #expect(Invariants.chatLine(line) == nil, "\(line)") }
    }

    @Test func prefilterAgreesWithPCRE2OnSeeds() {
        let seeds = Self.seeds("pattern")
        #expect(!seeds.isEmpty)
        for seed in seeds {
            let parts = seed.split(separator: 0, omittingEmptySubsequences: false)
            let patterns = parts.dropLast().map { String(decoding: $0, as: UTF8.self) }
            #expect(PrefilterSoundness.violation(patterns: patterns, subject: Array(parts.last!)) == nil)
        }
    }
}
