import ArgumentParser
import Foundation
import ScamScan

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain the verdict on a message: its folded view, each rule and why it hit or not, each score.",
        discussion: """
        For each message (the arguments, or else each line of standard input): the message and its folded view, the folding techniques and links found, the verdict with its score and the pack's thresholds, each rule that hit with its score, view or kind, the text it matched and its evidence, then every other rule and why it did not hit (skipped by the prefilter because a literal it needs is absent, PCRE2 found no match, or what a rule in code looked at). Text is escaped for the terminal.

        Examples:
          scamscan explain 'fr33 c0ins at t . me / plug'
          scamscan explain --channel lunapaints --user lunaa.paints 'send gifts here'
        """)

    @OptionGroup var rules: RuleOptions

    @Option(help: "The author, for handle look-alike rules.")
    var user: String?

    @Option(help: "The channel, for handle look-alike rules (its owner is protected).")
    var channel: String?

    @Flag(help: "Show only the rules that hit.")
    var hitsOnly = false

    @Argument(help: "Messages to explain (default: each line of standard input).")
    var messages: [String] = []

    func run() throws {
        let pack = try rules.load()
        let classifier = Classifier(pack: pack)
        var signals = pack.makeSignalState()  // the messages are one stream, in order
        var inputs = messages
        if inputs.isEmpty { while let line = readLine(strippingNewline: true) { inputs.append(line) } }
        var out = ""
        for message in inputs {
            let e = classifier.explain(message, user: user, channel: channel, state: &signals, clock: .wall)
            let c = e.classification
            out += "message: \(escapeForTerminal(message))\n"
            if let user { out += "author:  @\(escapeForTerminal(user))\(channel.map { " in #\(escapeForTerminal($0))" } ?? "")\n" }
            out += "folded:  \(escapeForTerminal(String(decoding: c.folded, as: UTF8.self)))\n"
            out += "folded_by: \(c.foldedBy.isEmpty ? "-" : c.foldedBy.names.joined(separator: ", "))\n"
            if !c.links.isEmpty {
                out += "links:   " + c.links.map { "\($0.kind.rawValue) \($0.kind == .handle ? "@" : "")\(escapeForTerminal($0.value))" }.joined(separator: ", ") + "\n"
            }
            let t = classifier.thresholds
            out += "verdict: \(c.verdict.rawValue), score \(formatScore(c.score)) (review at \(formatScore(t.review)), block at \(formatScore(t.block)))\n"
            let bytes = Array(message.utf8)
            out += "hits (\(c.hits.count)):\n"
            for entry in e.entries {
                guard let hit = entry.hit else { continue }
                let rule = pack.rules[entry.rule]
                let how = { if case .pattern = rule.kind { return rule.view.rawValue } else { return rule.kind.name } }()
                let s = min(max(hit.start, 0), bytes.count), end = min(max(hit.end, s), bytes.count)
                out += "  \(pack.score(of: hit) >= 0 ? "+" : "")\(formatScore(pack.score(of: hit))) \(rule.id) [\(rule.category.rawValue)] (\(how)) \"\(escapeForTerminal(String(decoding: bytes[s..<end], as: UTF8.self)))\" at \(hit.start)-\(hit.end)"
                if let evidence = hit.evidence { out += ": \(escapeForTerminal(evidence))" }
                out += "\n"
            }
            if !hitsOnly {
                out += "not hit (\(e.entries.count - c.hits.count)):\n"
                for entry in e.entries where entry.hit == nil {
                    out += "  \(pack.rules[entry.rule].id): \(escapeForTerminal(entry.reason ?? ""))\n"
                }
            }
            out += "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
