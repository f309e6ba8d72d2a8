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

/// The Public Suffix List's algorithm on the shipped list (Rules/lists/public_suffix_list.dat),
/// and its use by phishing.lookalike-domain.
@Suite struct PublicSuffixListTests {
    static let list: PublicSuffixList = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let text = try! String(contentsOf: root.appendingPathComponent("Rules/lists/public_suffix_list.dat"), encoding: .utf8)
        return try! PublicSuffixList(text: text, path: "lists/public_suffix_list.dat")
    }()

    @Test(arguments: [
        ("twitch.amazon.com", "com", "amazon.com", false),
        ("media.discordapp.net", "net", "discordapp.net", false),
        ("www.example.co.uk", "co.uk", "example.co.uk", false),
        ("tiktok-rewards.github.io", "github.io", "tiktok-rewards.github.io", true),
        ("twitch.web.app", "web.app", "twitch.web.app", true),
        ("a.b.ngrok.io", "ngrok.io", "b.ngrok.io", true),
        // Wildcard (*.ck) and exception (!www.ck) rules.
        ("shop.example.ck", "example.ck", "shop.example.ck", false),
        ("www.ck", "ck", "www.ck", false),
        // No rule: the last label is the suffix.
        ("tiktok.notatld", "notatld", "tiktok.notatld", false),
    ])
    func splitsAtTheRegistrableDomain(host: String, suffix: String, registrable: String, privateSuffix: Bool) {
        let s = Self.list.split(host)
        #expect(s.suffix == suffix)
        #expect(s.registrable == registrable)
        #expect(s.privateSuffix == privateSuffix)
    }

    @Test func aSuffixAloneHasNoRegistrableDomain() {
        #expect(Self.list.split("co.uk").registrable == nil)
        #expect(Self.list.split("github.io").registrable == nil)
        #expect(Self.list.split("com").listed)
        #expect(!Self.list.split("tiktok.notatld").listed)
    }

    @Test func badListsAreRejectedWithTheirLine() {
        #expect(throws: PublicSuffixList.Problem.self) { try PublicSuffixList(text: "// only comments\n", path: "x") }
        do {
            _ = try PublicSuffixList(text: "com\n*.bad*\n", path: "x")
            Issue.record("a rule with a '*' inside was accepted")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test(arguments: [
        ("luna_bot subscribed with Prime. https://twitch.amazon.com/tp", false),
        ("look https://media.discordapp.net/attachments/1/2/image.png", false),
        ("claim at https://tiktok-rewards.github.io/claim", true),
        ("free bits at twitch.web.app", true),
        ("verify at https://tiktok.com.gift-claim.ru", true),
        ("Rob streams over at ťẅįṭćḧ.ťṽ/alpacapatrol", false),
        ("log in at tіktok.com now", true),  // Cyrillic і under a real suffix: a homograph
    ])
    func lookalikeDomainsUseTheListAndTheOwnedDomains(text: String, hits: Bool) throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let pack = try RuleLoader.load(directories: [root.appendingPathComponent("Rules").path])
        let classifier = Classifier(pack: try CompiledPack(pack))
        var c = Classification()
        Array(text.utf8).withUnsafeBytes { classifier.classify($0, into: &c) }
        #expect(c.hits.contains { classifier.pack.rules[$0.rule].id == "phishing.lookalike-domain" } == hits, "\(text)")
    }
}
