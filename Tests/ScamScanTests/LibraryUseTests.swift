import Foundation
import ScamScan
import Testing

/// README's library example, through the public API only (this file imports ScamScan plainly).
@Suite struct LibraryUseTests {
    @Test func theReadmeExampleClassifiesWithTheCallersStateAndClock() throws {
        let pack = try CompiledPack.load(directories: [InvariantsTests.root.appendingPathComponent("Rules").path])
        let classifier = Classifier(pack: pack)
        var state = pack.makeSignalState()
        #expect(state != nil, "the shipped pack has behaviour signals")
        var c = Classification()
        classifier.classify("free coins at coinz-gen.xyz", user: "fan1", channel: "live",
                            time: nil, state: &state, clock: .wall, into: &c)
        #expect(c.verdict == .block)
        #expect(c.hits.contains { pack.rules[$0.rule].id.hasPrefix("coin_generator.") })
        // Ordinary chat through the same state stays allowed.
        classifier.classify("gg that was close", user: "fan2", channel: "live", time: nil, state: &state, clock: .wall, into: &c)
        #expect(c.verdict == .allow && c.hits.isEmpty)
    }
}
