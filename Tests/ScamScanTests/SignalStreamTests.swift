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

/// The shipped behaviour signals on streams: each fires on what it names and stays quiet on
/// ordinary busy chat, copypasta and emote spam; state stays within its caps; the state file
/// survives a restart and a damaged one is refused without a crash.
@Suite struct SignalStreamTests {
    static let pack: CompiledPack = try! CompiledPack.load(directories: [InvariantsTests.root.appendingPathComponent("Rules").path])
    static let start: Int64 = 1_767_225_600_000

    /// One message: seconds after the start (`.min`: no timestamp, the clock's time), channel, user, text.
    typealias Message = (at: Int64, channel: String?, user: String?, text: String)

    /// The behaviour rules that hit each message, and its verdict.
    func run(_ messages: [Message], limits: SignalLimits = SignalLimits()) -> [(hits: [String], evidence: [String], verdict: Verdict)] {
        var state = Self.pack.makeSignalState(limits: limits)
        return run(messages, state: &state)
    }

    /// `run` carrying `state` (the caller's, as a stream's owner keeps it).
    func run(_ messages: [Message], state: inout SignalState?, clock: Clock = .fixed(start))
        -> [(hits: [String], evidence: [String], verdict: Verdict)] {
        let classifier = Classifier(pack: Self.pack)
        var c = Classification()
        return messages.map { m in
            classifier.classify(m.text, user: m.user, channel: m.channel, time: m.at == .min ? nil : Self.start + m.at * 1000,
                                state: &state, clock: clock, into: &c)
            let behaviour = c.hits.filter { Self.pack.rules[$0.rule].category == .spam }
            return (behaviour.map { Self.pack.rules[$0.rule].id }, behaviour.compactMap(\.evidence), c.verdict)
        }
    }

    @Test func aVerdictIsReproducibleFromTheInputThePackAndTheClock() throws {
        var messages: [Message] = []
        for i in 0..<40 {
            let at: Int64 = i % 3 == 0 ? .min : Int64(i)
            let text = i % 4 == 0 ? "claim free coins at coinz-gen.xyz" : "gg \(i % 6) nice play"
            messages.append((at, "live", "u\(i % 5)", text))
        }
        var a = Self.pack.makeSignalState(), b = Self.pack.makeSignalState()
        let first = run(messages, state: &a, clock: .fixed(Self.start + 10_000))
        let second = run(messages, state: &b, clock: .fixed(Self.start + 10_000))
        #expect(first.map(\.hits) == second.map(\.hits) && first.map(\.evidence) == second.map(\.evidence))
        #expect(first.contains { !$0.hits.isEmpty })
        // The states are equal too, byte for byte: the names' hash key is the pack's, not random.
        #expect(a!.encoded(savedAt: 0) == b!.encoded(savedAt: 0))
        let reloaded = try CompiledPack.load(directories: [InvariantsTests.root.appendingPathComponent("Rules").path])
        #expect(reloaded.hashKey == Self.pack.hashKey)
        var keyed = try RuleLoader.load(directories: [InvariantsTests.root.appendingPathComponent("Rules").path])
        keyed.settings.hashKey = "a deployment's own secret"
        #expect(try CompiledPack(keyed).hashKey != Self.pack.hashKey)
    }

    @Test func aRecordWithoutATimeTakesTheClockPassedIn() {
        // Three near copies with no timestamp: a repetition when the clock says they came at once,
        // none when each arrives an hour after the last (the clock is the only time they have).
        let copies: [Message] = (0..<3).map { _ in (.min, "live", "plug", "cheap coins here, dm me for the price list") }
        var together = Self.pack.makeSignalState()
        let once = run(copies, state: &together, clock: .fixed(Self.start))
        #expect(once.last?.hits.contains("behaviour.repeated-text") == true)
        var apart = Self.pack.makeSignalState()
        let hourly = copies.enumerated().map { i, m in run([m], state: &apart, clock: .fixed(Self.start + Int64(i) * 3_600_000))[0] }
        #expect(hourly.allSatisfy { !$0.hits.contains("behaviour.repeated-text") })
    }

    @Test func repetitionFiresOnTheThirdNearCopyOnly() {
        let r = run([(0, "live", "plug", "cheap coins here, dm me for the price list"),
                     (30, "live", "plug", "CHEAP coins here!! dm me for the price list"),
                     (60, "live", "plug", "cheap coins here dm me for the pricelist")])
        #expect(r.map { $0.hits.contains("behaviour.repeated-text") } == [false, false, true])
        #expect(r[2].evidence.contains { $0.hasPrefix("3 near-identical messages from this user within 1m") })
        // Spread beyond the window, emote spam, a channel bot: quiet.
        let spread = run((0..<3).map { (Int64($0) * 700, "live", "fan", "that boss fight was insane honestly") })
        #expect(spread.allSatisfy { !$0.hits.contains("behaviour.repeated-text") })
        let emotes = run((0..<8).map { (Int64($0), "live", "fan", "KEKW KEKW KEKW") })
        #expect(emotes.allSatisfy { $0.hits.isEmpty })
        let bot = run((0..<5).map { (Int64($0) * 30, "live", "Nightbot", "Today's docket: the new game, then chat") })
        #expect(bot.allSatisfy { !$0.hits.contains("behaviour.repeated-text") })
    }

    @Test func spamWaveNeedsManyAccountsAndSomethingToActOn() {
        let text = "claim free coins for everyone at coinz-gen.xyz"
        let wave = run((0..<10).map { (Int64($0) * 3, "live", "bot\($0)", $0 % 2 == 0 ? text : text + " !!") })
        #expect(wave.map { $0.hits.contains("behaviour.spam-wave") } == [false, false, false, false, false, false, false, true, true, true])
        #expect(wave[9].evidence.contains { $0.hasPrefix("wave of 10 accounts sending near-identical text in #live within 27s") })
        // Another channel's messages do not join the wave.
        let split = run((0..<10).map { (Int64($0) * 3, $0 % 2 == 0 ? "a" : "b", "bot\($0)", text) })
        #expect(split.allSatisfy { !$0.hits.contains("behaviour.spam-wave") })
        // A copypasta wave carries nothing to act on; one account repeating is not a wave.
        let pasta = run((0..<20).map { (Int64($0) * 2, "live", "v\($0)", "this is my favourite part of the whole run honestly") })
        #expect(pasta.allSatisfy { $0.hits.isEmpty })
        let one = run((0..<10).map { (Int64($0) * 3, "live", "sameuser", text) })
        #expect(one.allSatisfy { !$0.hits.contains("behaviour.spam-wave") })
    }

    @Test func floodCountsMessagesInTheWindow() {
        let fast = run((0..<20).map { (Int64($0), "live", "flooder", "buy now \($0)") })
        #expect(fast.map { $0.hits.contains("behaviour.flood") } == Array(repeating: false, count: 19) + [true])
        #expect(fast[19].evidence.contains { $0.hasPrefix("20 messages from this user within 19s") })
        let steady = run((0..<40).map { (Int64($0) * 2, "live", "fan", "hype \($0)") })
        #expect(steady.allSatisfy { !$0.hits.contains("behaviour.flood") })
    }

    @Test func firstContactIsTheFirstMessageInEachChannel() {
        let r = run([(0, "live", "newbie", "add me on telegram @coins_plug77"),
                     (5, "live", "newbie", "add me on telegram @coins_plug77"),
                     (6, "other", "newbie", "add me on telegram @coins_plug77"),
                     (7, "live", "clipper", "https://clips.twitch.tv/FunnyMoment"),
                     (8, "live", "regular", "hi all"),
                     (60, "live", "regular", "the map is at mapgenie.xyz/zelda"),
                     (9, "live", nil, "add me on telegram @coins_plug77")])
        #expect(r.map { $0.hits.contains("behaviour.first-contact") } == [true, false, true, false, false, false, false])
        #expect(r[0].evidence.contains { $0 == "first message from this user in #live carries a telegram contact handle" })
    }

    @Test func mentionSpamInOneMessageOrAcrossMessages() {
        let many = run([(0, "live", "pinger", "@anna @bob @carl @dina @eve free coins in my bio")])
        #expect(many[0].hits == ["behaviour.mention-spam"] && many[0].evidence == ["5 different @mentions in one message"])
        let pest = run((0..<4).map { (Int64($0) * 10, "live", "pest", "@streamer look \($0)") })
        #expect(pest.map { $0.hits.contains("behaviour.mention-spam") } == [false, false, false, true])
        let mod = run((0..<4).map { (Int64($0) * 100, "live", "mod", "@anna thanks \($0)") })
        #expect(mod.allSatisfy { $0.hits.isEmpty })
    }

    @Test func shapeAloneNeverFlagsAMessage() {
        let r = run([(0, "live", "loud", "WHAT A PLAY THAT WAS ABSOLUTELY INCREDIBLE STUFF"),
                     (1, "live", "z", "h\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}\u{0306}ello")])
        #expect(r[0].hits == ["behaviour.shouting"] && r[1].hits == ["behaviour.zalgo"])
        #expect(r.allSatisfy { $0.verdict == .allow })
    }

    /// Reads a TSV chat file of the test data (header, then timestamp, channel, user, message).
    static func tsv(_ name: String) -> [Message] {
        let path = InvariantsTests.root.appendingPathComponent("Tests/ScamScanTests/Data/\(name)").path
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
            let ms = try! Timestamp.parse(String(f[0])).get()
            return ((ms - start) / 1000, String(f[1]), String(f[2]), String(f[3]))
        }
    }

    func behaviourCounts(_ results: [(hits: [String], evidence: [String], verdict: Verdict)]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for r in results { for h in r.hits { counts[h, default: 0] += 1 } }
        return counts
    }

    @Test func ordinaryBusyChatIsNotFlaggedAndRarelyTripsASignal() {
        let messages = Self.tsv("rechat-busy.tsv")
        #expect(messages.count > 10_000)
        let with = run(messages)
        let without = Classifier(pack: Self.pack)
        var c = Classification()
        for (m, r) in zip(messages, with) {
            without.classify(m.text, user: m.user, channel: m.channel, into: &c)
            // The signals never change a verdict here: real chat stays as the message rules judge it.
            #expect(r.verdict == c.verdict, "\(m.user ?? ""): \(m.text)")
        }
        let counts = behaviourCounts(with)
        #expect(counts["behaviour.spam-wave", default: 0] == 0)
        #expect(counts["behaviour.flood", default: 0] == 0)
        #expect(counts["behaviour.mention-spam", default: 0] == 0)
        #expect(counts["behaviour.zalgo", default: 0] == 0)
        // A viewer who pastes the same line four times, a first message with a link: real, rare.
        #expect(counts["behaviour.repeated-text", default: 0] + counts["behaviour.first-contact", default: 0] <= messages.count / 1000)
        // Shouting is common in live chat; it scores 1 and never flags alone (checked above).
        #expect(counts["behaviour.shouting", default: 0] <= messages.count / 100)
    }

    @Test func copypastaWavesAndEmoteSpamAreNotFlagged() {
        let messages = Self.tsv("copypasta-waves.tsv")
        #expect(messages.count > 1000)
        let results = run(messages)
        let counts = behaviourCounts(results)
        #expect(counts["behaviour.spam-wave", default: 0] == 0)
        #expect(counts["behaviour.flood", default: 0] == 0)
        #expect(counts["behaviour.repeated-text", default: 0] == 0)
        #expect(counts["behaviour.zalgo", default: 0] == 0)
        #expect(results.allSatisfy { $0.verdict == .allow })
    }

    @Test func stateNeverExceedsItsCaps() {
        var limits = SignalLimits()
        limits.maxUsers = 500
        limits.maxChannels = 20
        var state: SignalState? = Self.pack.makeSignalState(limits: limits)
        let classifier = Classifier(pack: Self.pack)
        var c = Classification()
        var rng = SystemRandomNumberGenerator()
        for i in 0..<30_000 {
            let user = "u\(UInt32.random(in: 0..<20_000, using: &rng))"
            let channel = "c\(UInt32.random(in: 0..<200, using: &rng))"
            classifier.classify("message number \(i) from \(user) with some words in it", user: user, channel: channel,
                                time: Self.start + Int64(i) * 10, state: &state, clock: .fixed(Self.start), into: &c)
            if i % 1000 == 0 || i == 29_999 {
                let z = state!.sizes
                #expect(z.users <= 500 && z.channels <= 20 && z.pairs <= 500)
                #expect(state!.allocated.userEntries <= 500 * state!.userRing)
                #expect(state!.allocated.channelEntries <= 20 * state!.channelRing)
            }
        }
        #expect(state!.sizes.users == 500 && state!.sizes.evicted > 0)
    }

    @Test func aSavedStateCarriesAWaveAcrossARestart() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = "claim free coins for everyone at coinz-gen.xyz"
        var first = Self.pack.makeSignalState()
        _ = run((0..<5).map { (Int64($0) * 3, "live", "bot\($0)", text) }, state: &first)
        try first!.save(to: dir + "/s", savedAt: Self.start)
        var restarted = Self.pack.makeSignalState()
        try restarted!.restore(from: dir + "/s")
        let after = run((5..<8).map { (Int64($0) * 3, "live", "bot\($0)", text) }, state: &restarted)
        #expect(after.map { $0.hits.contains("behaviour.spam-wave") } == [false, false, true])
        // Without the state, the same three messages are no wave.
        let fresh = run((5..<8).map { (Int64($0) * 3, "live", "bot\($0)", text) })
        #expect(fresh.allSatisfy { !$0.hits.contains("behaviour.spam-wave") })
        // Saving what was restored gives the same bytes (but for the save time).
        try restarted!.save(to: dir + "/t", savedAt: Self.start)
        var again = Self.pack.makeSignalState()!
        try again.restore(from: dir + "/t")
        try again.save(to: dir + "/u", savedAt: Self.start + 5000)
        var a = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/t")))
        var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/u")))
        #expect(a.count == b.count && a.count > 100)
        for i in 28..<36 { a[i] = 0; b[i] = 0 }  // savedAt
        #expect(a.dropLast(8) == b.dropLast(8))
    }

    @Test func damagedOrForeignStateFilesAreRefusedWithAReason() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = Self.pack.makeSignalState()
        _ = run((0..<50).map { (Int64($0), "live", "u\($0 % 7)", "some message number \($0) in the chat") }, state: &c)
        try c!.save(to: dir + "/good", savedAt: Self.start)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/good")))
        func refused(_ bytes: [UInt8], rules: [(rule: Int, spec: SignalRule)] = Self.pack.signalRules) -> String? {
            try! Data(bytes).write(to: URL(fileURLWithPath: dir + "/bad"))
            var state = SignalState(rules: rules, key: Self.pack.hashKey)
            do throws(StateFileError) {
                try state.restore(from: dir + "/bad")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refused(good) == nil)
        #expect(refused(Array(good.prefix(good.count - 20)))?.contains("damaged") == true)
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        #expect(refused(flipped)?.contains("checksum does not match") == true)
        #expect(refused(Array("hello".utf8))?.contains("not a scamscan state file") == true)
        var version = good
        version[8] = 9
        #expect(refused(version) == "state file version 9; this scamscan reads version 1")
        var other = Self.pack.signalRules
        for i in other.indices where other[i].spec.signal == .flood { other[i].spec.count = 40 }
        #expect(refused(good, rules: other)?.contains("written with other signal settings") == true)
        #expect(refused([])?.contains("not a scamscan state file") == true)
        // Random damage: always refused or restored, never a trap.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = good
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            case 1: for _ in 0..<4 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            default: bytes += (0..<Int.random(in: 1..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            _ = refused(bytes)
        }
    }
}
