import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions

/// Human-readable output, one line per record:
///
///     [FILE:]LINE: VERDICT SCORE RULE-ID[,RULE-ID...] [#CHANNEL] [<USER>] MESSAGE
///
/// e.g. `sample.tsv:14: block 12 coin_generator.free-generator,phishing.shortener #luna <kai> free coins at ...`
/// A record no rule hit shows `-` for the rules. Chat text is escaped for the terminal
/// (see `appendTerminalEscaped`); with colour, matched spans are highlighted.
public final class TextPrinter: RecordSink {
    private let out: ByteWriter
    private let pack: CompiledPack
    private let color: Bool
    private let showSource: Bool
    private let explain: Bool
    private var spans: [(Int, Int)] = []

    /// With `explain`, each record is followed by indented lines: the folded view and the
    /// techniques it needed, the links and handles found in it, then each hit with its score, view or kind, the raw text it
    /// matched and its evidence.
    public init(out: ByteWriter, pack: CompiledPack, color: Bool, showSource: Bool, explain: Bool = false) {
        self.out = out
        self.pack = pack
        self.color = color
        self.showSource = showSource
        self.explain = explain
    }

    private func sgr(_ code: String) {
        if color { out.write("\u{1B}[\(code)m") }
    }

    public func write(_ record: ChatRecord, source: String, classification c: Classification) throws {
        if showSource {
            sgr("35")
            var name: [UInt8] = []
            name.append(contentsOf: source.utf8)
            name.withUnsafeBytes { appendTerminalEscaped($0, to: &out.buffer) }
            sgr("0")
            out.write(":")
        }
        sgr("32")
        out.write(String(record.line))
        sgr("0")
        out.write(": ")
        switch c.verdict {
        case .block: sgr("1;31")
        case .review: sgr("1;33")
        case .allow: break
        }
        out.write(c.verdict.rawValue)
        sgr("0")
        out.write(" ")
        out.write(formatScore(c.score))
        out.write(" ")
        if c.hits.isEmpty {
            out.write("-")
        } else {
            sgr("36")
            for (k, hit) in c.hits.enumerated() {
                if k > 0 { out.write(",") }
                out.write(pack.rules[hit.rule].id)
            }
            sgr("0")
        }
        if let channel = record.channel, channel.count > 0 {
            out.write(" #")
            appendTerminalEscaped(channel, to: &out.buffer)
        }
        if let user = record.user, user.count > 0 {
            out.write(" <")
            appendTerminalEscaped(user, to: &out.buffer)
            out.write(">")
        }
        out.write(" ")
        writeText(record.text, hits: c.hits)
        out.write(0x0A)
        if explain { writeExplanation(record.text, c) }
    }

    private func writeExplanation(_ text: UnsafeRawBufferPointer, _ c: Classification) {
        out.write("    folded: ")
        c.folded.withUnsafeBytes { appendTerminalEscaped($0, to: &out.buffer) }
        out.write("\n    folded_by: ")
        out.write(c.foldedBy.isEmpty ? "-" : c.foldedBy.names.joined(separator: ", "))
        out.write(0x0A)
        if !c.links.isEmpty {
            out.write("    links: ")
            for (k, link) in c.links.enumerated() {
                if k > 0 { out.write(", ") }
                out.write(link.kind.rawValue + " " + (link.kind == .handle ? "@" : ""))
                let bytes = Array(link.value.utf8)
                bytes.withUnsafeBytes { appendTerminalEscaped($0, to: &out.buffer) }
            }
            out.write(0x0A)
        }
        for hit in c.hits {
            let rule = pack.rules[hit.rule]
            let score = pack.score(of: hit)
            out.write("    ")
            out.write(score >= 0 ? "+" : "")
            out.write(formatScore(score))
            out.write(" ")
            out.write(rule.id)
            if case .pattern = rule.kind {
                out.write(" (\(rule.view.rawValue)) ")
            } else {
                out.write(" (\(rule.kind.name)) ")
            }
            out.write("\"")
            let start = min(max(hit.start, 0), text.count)
            let end = min(max(hit.end, start), text.count)
            appendTerminalEscaped(UnsafeRawBufferPointer(rebasing: text[start..<end]), to: &out.buffer)
            out.write("\" at \(hit.start)-\(hit.end)")
            if let evidence = hit.evidence {
                out.write(": ")
                let bytes = Array(evidence.utf8)
                bytes.withUnsafeBytes { appendTerminalEscaped($0, to: &out.buffer) }
            }
            out.write(0x0A)
        }
    }

    /// Writes the message, highlighting the union of the hit spans when colour is on. A model
    /// hit's span is only where its strongest feature sits (a word or a few characters), not a
    /// match, so it is left to the evidence and not highlighted.
    private func writeText(_ text: UnsafeRawBufferPointer, hits: [RuleHit]) {
        guard color, !hits.isEmpty else {
            appendTerminalEscaped(text, to: &out.buffer)
            return
        }
        spans.removeAll(keepingCapacity: true)
        for hit in hits where hit.end > hit.start {
            if case .model = pack.rules[hit.rule].kind { continue }
            spans.append((hit.start, hit.end))
        }
        spans.sort { $0.0 < $1.0 }
        var at = 0
        for (s, e) in spans {
            let start = max(s, at)
            guard e > start else { continue }
            appendTerminalEscaped(UnsafeRawBufferPointer(rebasing: text[at..<start]), to: &out.buffer)
            sgr("1;31")
            appendTerminalEscaped(UnsafeRawBufferPointer(rebasing: text[start..<e]), to: &out.buffer)
            sgr("0")
            at = e
        }
        appendTerminalEscaped(UnsafeRawBufferPointer(rebasing: text[at..<text.count]), to: &out.buffer)
    }
}
