import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions

/// JSON Lines output: one object per record, fields in this order (docs/CLI.md has the same):
///
///     {"file":"chat.tsv","line":14,"timestamp":"2026-11-02T20:14:03Z","channel":"luna","user":"kai",
///      "text":"free coins at ...","score":12,"verdict":"block",
///      "hits":[{"rule":"coin_generator.free-generator","category":"coin_generator","score":8,"start":0,"end":10}],
///      "folded_by":["leet"]}
///
/// - `line` is the 1-based line number in the input; `file` is `-` for stdin.
/// - `timestamp`, `channel`, `user` are `null` when the format has none (plain text).
/// - `start`/`end` are byte offsets into the raw message text (UTF-8), also for folded-view rules.
/// - `kind` is the rule's kind: `pattern`, `domain` (lists and look-alikes), `evasion`, `handle`,
///   `signal` (behaviour over the stream) or `model` (the learned text model).
/// - `score` is what the hit added: the rule's score, or for a `model` hit its share of it.
/// - `evidence` (only for rules in code: domain lists, look-alikes, evasion, signals, the model)
///   says what the rule saw; a model hit names its probability and strongest features with
///   their weights and raw spans.
/// - `folded_by` lists the folding techniques the text needed (invisible, compat, marks,
///   confusables, leet, spacing, defang); empty for plain text.
/// - `folded` and `links` (only with `--explain`): the folded view the folded-view rules matched,
///   and the URLs, domains and @handles found in it (`kind`, folded `value`, raw `start`/`end`).
/// - `text` replaces bytes that are not valid UTF-8 with U+FFFD; then `text_base64` holds the
///   exact bytes, so offsets can still be applied.
/// - `error` (only on malformed lines) says why the line did not parse; `text` is then the whole line.
/// - `limited` (only when non-empty) lists rules whose match limit ran out on this record.
public final class JSONLinesPrinter: RecordSink {
    private let out: ByteWriter
    private let pack: CompiledPack

    public init(out: ByteWriter, pack: CompiledPack) {
        self.out = out
        self.pack = pack
    }

    public func write(_ record: ChatRecord, source: String, classification c: Classification) throws {
        out.write("{\"file\":")
        appendJSONString(source, to: &out.buffer)
        out.write(",\"line\":")
        out.write(String(record.line))
        field("timestamp", record.timestamp)
        field("channel", record.channel)
        field("user", record.user)
        out.write(",\"text\":")
        appendJSONString(record.text, to: &out.buffer)
        if !isValidUTF8(record.text) {
            out.write(",\"text_base64\":\"")
            appendBase64(record.text, to: &out.buffer)
            out.write("\"")
        }
        out.write(",\"score\":")
        out.write(formatScore(c.score))
        out.write(",\"verdict\":\"")
        out.write(c.verdict.rawValue)
        out.write("\",\"hits\":[")
        for (k, hit) in c.hits.enumerated() {
            let rule = pack.rules[hit.rule]
            if k > 0 { out.write(",") }
            out.write("{\"rule\":")
            appendJSONString(rule.id, to: &out.buffer)
            out.write(",\"category\":\"")
            out.write(rule.category.rawValue)
            out.write("\",\"kind\":\"")
            out.write(rule.kind.family)
            out.write("\",\"score\":")
            out.write(formatScore(pack.score(of: hit)))
            out.write(",\"start\":")
            out.write(String(hit.start))
            out.write(",\"end\":")
            out.write(String(hit.end))
            if let evidence = hit.evidence {
                out.write(",\"evidence\":")
                appendJSONString(evidence, to: &out.buffer)
            }
            out.write("}")
        }
        out.write("],\"folded_by\":[")
        for (k, name) in c.foldedBy.names.enumerated() {
            if k > 0 { out.write(",") }
            out.write("\"\(name)\"")
        }
        out.write("]")
        if !c.folded.isEmpty {
            out.write(",\"folded\":")
            c.folded.withUnsafeBytes { appendJSONString($0, to: &out.buffer) }
            out.write(",\"links\":[")
            for (k, link) in c.links.enumerated() {
                if k > 0 { out.write(",") }
                out.write("{\"kind\":\"\(link.kind.rawValue)\",\"value\":")
                appendJSONString(link.value, to: &out.buffer)
                out.write(",\"start\":\(link.start),\"end\":\(link.end)}")
            }
            out.write("]")
        }
        if !c.limited.isEmpty {
            out.write(",\"limited\":[")
            for (k, r) in c.limited.enumerated() {
                if k > 0 { out.write(",") }
                appendJSONString(pack.rules[r].id, to: &out.buffer)
            }
            out.write("]")
        }
        if let error = record.error {
            out.write(",\"error\":")
            appendJSONString("column \(error.column): \(error.message)", to: &out.buffer)
        }
        out.write("}\n")
    }

    private func field(_ name: String, _ value: UnsafeRawBufferPointer?) {
        out.write(",\"\(name)\":")
        if let value { appendJSONString(value, to: &out.buffer) } else { out.write("null") }
    }
}

/// Standard base64 (RFC 4648) with padding.
func appendBase64(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var i = 0
    while i + 3 <= bytes.count {
        let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
        out += [table[Int(v >> 18)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], table[Int(v & 63)]]
        i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
        let v = UInt32(bytes[i]) << 16
        out += [table[Int(v >> 18)], table[Int(v >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
    } else if rest == 2 {
        let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
        out += [table[Int(v >> 18)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], UInt8(ascii: "=")]
    }
}
