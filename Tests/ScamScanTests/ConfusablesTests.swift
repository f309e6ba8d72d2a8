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

/// The skeleton against Unicode's own data: every mapping of confusables.txt, read here from the
/// file the table was generated from.
@Suite struct ConfusablesTests {
    static let mappings: [(source: Unicode.Scalar, target: String, line: Int)] = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let text = try! String(contentsOf: root.appendingPathComponent("ThirdParty/unicode/confusables.txt"), encoding: .utf8)
        var result: [(Unicode.Scalar, String, Int)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let data = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = data.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, !fields[0].isEmpty else { continue }
            let scalars = { (hex: String) -> String in
                String(String.UnicodeScalarView(hex.split(separator: " ").map { Unicode.Scalar(UInt32($0, radix: 16)!)! }))
            }
            let source = scalars(fields[0]).unicodeScalars
            result.append((source.first!, scalars(fields[1]), number + 1))
        }
        return result
    }()

    @Test func theFileHasEveryMapping() {
        #expect(Self.mappings.count == 6311)
    }

    /// UTS #39: skeleton(X) = NFD(map(NFD(X))). For a source that NFD leaves alone that is the
    /// NFD of its target; a source that decomposes is mapped through its decomposition.
    @Test func skeletonAgreesWithEveryMapping() {
        let table = FoldTable.shared
        var wrong: [String] = []
        for (source, target, line) in Self.mappings {
            let s = String(source)
            let nfd = s.decomposedStringWithCanonicalMapping
            // (Swift's == on strings is canonical equivalence; compare the scalars.)
            let expected = nfd.unicodeScalars.elementsEqual(s.unicodeScalars)
                ? target.decomposedStringWithCanonicalMapping
                : table.skeleton(nfd)
            let got = table.skeleton(s)
            if got.unicodeScalars.elementsEqual(expected.unicodeScalars) == false {
                wrong.append("line \(line): U+\(String(source.value, radix: 16, uppercase: true))")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10)) (\(wrong.count) in all)")
    }

    @Test func skeletonsOfConfusableStringsAreEqual() {
        let table = FoldTable.shared
        #expect(table.skeleton("раураl") == table.skeleton("paypal"))   // Cyrillic р а у
        #expect(table.skeleton("tiktok") != table.skeleton("tiktak"))
        #expect(table.skeleton("ｔｉｋｔｏｋ") != table.skeleton("tiktok"))  // width is NFKC, not UTS #39
        #expect(table.skeleton("rn") == table.skeleton("m"))
        // Hangul decomposes by arithmetic, then each jamo maps: final ᆫ (U+11AB) reads as initial ᄂ (U+1102).
        #expect(table.skeleton("한").unicodeScalars.map(\.value) == [0x1112, 0x1161, 0x1102])
    }

    @Test func canonicalReorderingSortsMarksStably() {
        // a + dot below (ccc 220) after acute (ccc 230) must come first in NFD.
        let table = FoldTable.shared
        let s = "a\u{0301}\u{0323}"
        #expect(table.skeleton(s).unicodeScalars.map(\.value) == [0x61, 0x323, 0x301])
    }
}
