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

/// The parts behaviour signals are built from: the LRU table, SimHash, contact and shape traits,
/// and the rule parser's checks of signal parameters.
@Suite struct SignalPartsTests {
    @Test func lruTableMatchesAModelUnderRandomTouches() {
        var table = LRUTable(capacity: 50)
        var model: [UInt64: Int64] = [:]  // key -> last seen
        var order: [UInt64] = []  // least recent first
        var rng = SystemRandomNumberGenerator()
        var now: Int64 = 0
        for _ in 0..<20_000 {
            now += Int64.random(in: 0...3, using: &rng)
            let key = UInt64.random(in: 1...200, using: &rng) &* 0x9E37_79B9_7F4A_7C15
            let expireBefore = now - 60
            let (slot, added) = table.touch(key, now: now, expireBefore: expireBefore)
            if model[key] != nil {
                #expect(!added)
                order.removeAll { $0 == key }
            } else {
                #expect(added)
                while let oldest = order.first, model[oldest]! < expireBefore {
                    order.removeFirst()
                    model[oldest] = nil
                }
                if model.count == 50 { model[order.removeFirst()] = nil }
            }
            model[key] = max(model[key] ?? now, now)
            order.append(key)
            #expect(table.keys[slot] == key)
            #expect(table.count == model.count)
            #expect(table.count <= 50 && table.slotCount <= 50)
        }
        #expect(table.slotsOldestFirst.map { table.keys[$0] } == order)
        for (key, seen) in model {
            let slot = table.find(key)
            #expect(slot != nil && table.lastSeen[slot!] == seen)
        }
        #expect(table.evicted > 0 && table.expired > 0)
    }

    func simhash(_ text: String) -> SimHash {
        var h = SimHash()
        var folder = FoldedText()
        folder.fold(text)
        folder.bytes.withUnsafeBytes { h.compute($0) }
        return h
    }

    @Test func simhashPutsNearDuplicatesCloseAndOtherTextsFar() {
        let base = simhash("free coins for everyone at coinz-gen dot xyz")
        #expect(base.value != 0)
        #expect(SimHash.distance(base.value, simhash("free coins for everyone at coinz-gen dot xyz").value) == 0)
        // Spacing, case, punctuation and leet do not count; a small edit moves few bits.
        #expect(SimHash.distance(base.value, simhash("FREE coins for everyone at coinz gen dot xyz!!!").value) == 0)
        #expect(SimHash.distance(base.value, simhash("fr33 c0ins for everyone at coinz-gen dot xyz").value) <= 4)
        #expect(SimHash.distance(base.value, simhash("free coins for everyone at coinz-gen dot xyz pls").value) <= 10)
        let other = ["what a clutch play that was, insane", "does anyone know the name of this song",
                     "the boss has two phases, watch the tail", "gg everyone see you tomorrow at eight"]
        for text in other {
            #expect(SimHash.distance(base.value, simhash(text).value) > 12, "\(text)")
        }
        // Emote spam and short messages have few distinct shingles.
        #expect(simhash("KEKW KEKW KEKW KEKW KEKW KEKW").shingles < 12)
        #expect(simhash("lol").shingles == 1)
        #expect(simhash("!!! ...").value == 0)  // no letters: no hash
    }

    @Test func theBlockTestNeverRejectsANearPair() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let a = UInt64.random(in: .min ... .max, using: &rng)
            var b = a
            let flips = Int.random(in: 0...8, using: &rng)
            for _ in 0..<flips { b ^= 1 << UInt64.random(in: 0..<64, using: &rng) }
            for d in 0...6 {
                #expect(SimHash.near(a, b, within: d) == (SimHash.distance(a, b) <= d))
            }
        }
    }

    func found(_ text: String, _ want: SignalRule.Carries = [.contact, .payment]) -> String? {
        var folder = FoldedText()
        folder.fold(text)
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            (ContactFinder.scanRaw(raw, want: want) ?? ContactFinder.scanFolded(folder, raw: raw, want: want)).map {
                $0.what + " @ " + String(decoding: raw[$0.start..<$0.end], as: UTF8.self)
            }
        }
    }

    @Test func contactAndPaymentHandlesAreFoundAndOrdinaryWordsAreNot() {
        #expect(found("add me on telegram @coins_plug77") == "a telegram contact handle @ telegram @coins_plug77")
        #expect(found("whatsapp +1 (415) 555-0199 for coins") == "a phone number @ +1 (415) 555-0199")
        #expect(found("send to $coinplug22 now") == "a cashtag @ $coinplug22")
        #expect(found("pay 0x52908400098527886E0F7030069857D2E4169EE7 ok")?.hasPrefix("a wallet address") == true)
        #expect(found("my venmo is dave_77 thanks") == "a venmo payment handle @ venmo is dave_77")
        #expect(found("I love telegram stickers") == nil)
        #expect(found("that costs $4.99 on steam") == nil)
        #expect(found("1 $BTC to one lucky winner") == nil)  // a ticker, not a cashtag
        #expect(found("score was 12 34 56") == nil)
        #expect(found("call me at 555 0199") == nil)  // 7 digits: not a full number
        #expect(found("send to $coinplug22", [.contact]) == nil)  // only what is asked for
    }

    func shape(_ text: String) -> ShapeStats {
        var s = ShapeStats()
        Array(text.utf8).withUnsafeBytes { s.compute($0) }
        return s
    }

    @Test func shapeCountsDistinctWordsMarksAndSymbols() {
        let shout = shape("FREE COINS FOR EVERYONE CLICK NOW")
        #expect(shout.letters == 28 && shout.upper == 28)
        // An emote repeated counts once.
        let emotes = shape("KEKW KEKW KEKW KEKW KEKW KEKW KEKW")
        #expect(emotes.letters == 4 && emotes.upper == 4)
        #expect(shape("h\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}i").maxMarks == 5)
        #expect(shape("người ướt").maxMarks <= 2)
        let symbols = shape("$$$ !!! ok")
        #expect(symbols.symbols == 6 && symbols.visible == 8 && symbols.length == 10)
        #expect(shape("\u{FF}\u{80}bad").length == 5)  // invalid UTF-8 bytes count, never trap
    }

    @Test func signalParametersAreCheckedWithLocations() {
        func rule(_ kind: String, _ params: String) -> String {
            """
            - id: behaviour.t
              kind: \(kind)
              category: spam
              description: d
              score: 1
            \(params)
              match: ["<a> x"]
              no_match: ["<a> y"]
            """
        }
        #expect(diagnostics(rule("shape", "")).contains { $0.contains("a shape rule needs 'params' with at least one check") })
        #expect(diagnostics(rule("shape", "  params: {min_letters: 10}")).contains { $0.contains("needs at least one check: max_caps_ratio") })
        #expect(diagnostics(rule("flood", "  params: {messages: 500}")).contains { $0.contains("t.yml:6:22") && $0.contains("'messages' must be between 2 and 64, got 500") })
        #expect(diagnostics(rule("spam_wave", "  params: {carries: [links]}")).contains { $0.contains("unknown 'links' in 'carries'; choose from: link, contact, payment, rule_hit") })
        #expect(diagnostics(rule("first_contact", "  params: {carries: [rule_hit]}")).contains { $0.contains("choose from: link, contact, payment") })
        #expect(diagnostics(rule("repetition", "  params: {window: soon}")).contains { $0.contains("'window' must be a duration such as 30s") })
        #expect(diagnostics(rule("repetition", "  params: {windw: 1m}")).contains { $0.contains("unknown field 'windw' (did you mean 'window'?)") })
        #expect(diagnostics(rule("mention_spam", "  params: {mentions: 0, repeats: 0}")).contains { $0.contains("does nothing") })
        #expect(diagnostics(rule("repeatition", "")).contains { $0.contains("unknown kind 'repeatition' (did you mean 'repetition'?)") })
    }

    @Test func lintSaysWhichMessageOfAConversationExampleMisbehaved() throws {
        let yaml = """
        - id: behaviour.flood
          kind: flood
          category: spam
          description: d
          score: 2
          params: {window: 30s, messages: 3}
          match:
            - "x2 <a> hi"
            - "x4 <a> hi"
            - "+soon <a> hi"
          no_match:
            - "x4 <b> hi"
        """
        let failures = RuleLinter.check(try compile(yaml)).failures.map(\.message)
        #expect(failures == [
            "'match' example: the rule did not hit the last message (message 2); fix the parameters or the example",
            "'match' example is not a conversation: line 1: '+soon' is not a gap such as +30s or +2m; write one message per line as [+GAP] [xN] [#channel] [<user>] text",
            "'no_match' example: the rule hit message 3 of 4; fix the parameters or the example",
        ])
        // "x4" hits messages 3 and 4: a match example that hit earlier says so.
        let early = yaml.replacingOccurrences(of: "- \"x4 <a> hi\"", with: "- \"x3 <a> hi\\n+1m <a> bye\"")
        #expect(RuleLinter.check(try compile(early)).failures.map(\.message).contains(
            "'match' example: the rule did not hit the last message (message 4), though it hit message 3; fix the parameters or the example"))
    }

    @Test func conversationExamplesAreParsedAndBadOnesExplained() throws {
        let lines = try SignalExamples.parse("+30s x3 #live <bob> hi there\n<amy> yo").get()
        #expect(lines.count == 2)
        #expect(lines[0].gap == 30_000 && lines[0].repeats == 3 && lines[0].channel == "live" && lines[0].user == "bob" && lines[0].text == "hi there")
        #expect(lines[1].gap == 1000 && lines[1].channel == nil && lines[1].user == "amy")
        #expect(throws: SignalExampleError.self) { try SignalExamples.parse("+soon <a> hi").get() }
        #expect(throws: SignalExampleError.self) { try SignalExamples.parse("x5000 <a> hi").get() }
        #expect(throws: SignalExampleError.self) { try SignalExamples.parse("#live <a>").get() }
    }
}
