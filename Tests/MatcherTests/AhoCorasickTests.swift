import Testing
@testable import Matcher

@Suite struct AhoCorasickTests {
    @Test func findsEveryOccurrenceCaseInsensitivelyForASCII() {
        let ac = AhoCorasick(atoms: [Array("he".utf8), Array("she".utf8), Array("his".utf8), Array("hers".utf8), Array("é".utf8)])
        var events: [Int32] = []
        Array("uSHErs É é".utf8).withUnsafeBytes { ac.scan($0, into: &events) }
        // "É" (C3 89) is not "é" (C3 A9): only ASCII folds in the table.
        let found = stride(from: 0, to: events.count, by: 2).map { "\(events[$0])@\(events[$0 + 1])" }
        #expect(found == ["1@4", "0@4", "3@6", "4@12"])
    }

    @Test func noMatchAcrossLines() {
        let ac = AhoCorasick(atoms: [Array("abc".utf8)])
        var events: [Int32] = []
        Array("ab\nc abc".utf8).withUnsafeBytes { ac.scan($0, into: &events) }
        #expect(events == [0, 8])
    }
}
