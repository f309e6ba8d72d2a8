import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions

/// The output formats of `scamscan tx`.
public enum TxOutputFormat: String, CaseIterable, Sendable {
    case text, jsonl, csv
}

/// Human-readable transactions, one line per row and one indented line per hit:
///
///     export.csv:42: block 14 t0000042 u123 chargeback 1400 coins 18.06 USD
///       chargeback.gift-then-chargeback +8: purchase t0000040 of 1400 coins ... (related: t0000040, t0000041)
///
/// Every field from the export is escaped for the terminal.
public final class TxTextPrinter: TxSink {
    private let out: ByteWriter
    private let rules: [Rule]
    private let color: Bool
    private let showSource: Bool

    public init(out: ByteWriter, rules: [Rule], color: Bool, showSource: Bool) {
        self.out = out
        self.rules = rules
        self.color = color
        self.showSource = showSource
    }

    private func sgr(_ code: String) { if color { out.write("\u{1B}[\(code)m") } }

    public func write(_ tx: Transaction, source: String, classification c: TxClassification) throws {
        if showSource { out.write(escapeForTerminal(source) + ":") }
        out.write("\(tx.line): ")
        switch c.verdict {
        case .block: sgr("1;31")
        case .review: sgr("1;33")
        case .allow: break
        }
        out.write(c.verdict.rawValue)
        sgr("0")
        out.write(" \(formatScore(c.score)) \(escapeForTerminal(tx.id)) \(escapeForTerminal(tx.account)) \(tx.type.name)")
        if let coins = tx.coins { out.write(" \(coins) coins") }
        if let amount = tx.amount { out.write(" \(formatAmount(amount))\(tx.currency.isEmpty ? "" : " " + escapeForTerminal(tx.currency))") }
        if !tx.recipient.isEmpty { out.write(" -> \(escapeForTerminal(tx.recipient))") }
        if !tx.relatedID.isEmpty { out.write(" (reverses \(escapeForTerminal(tx.relatedID)))") }
        out.write("\n")
        for h in c.hits {
            out.write("  ")
            sgr("36")
            out.write(rules[h.rule].id)
            sgr("0")
            out.write(" +\(formatScore(rules[h.rule].score)): \(escapeForTerminal(h.evidence))")
            if !h.related.isEmpty { out.write(" (related: \(h.related.map(escapeForTerminal).joined(separator: ", ")))") }
            out.write("\n")
        }
    }

    public func finish(summary: TxSummary?) throws {
        guard let summary else { return }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        for (title, entries) in [("accounts", summary.accounts), ("creators", summary.creators)] {
            out.write("\(title) by risk (\(entries.count) with flagged transactions):\n")
            if entries.isEmpty { continue }
            let ranked = TxSummary.ranked(entries)
            let keyWidth = min(max(ranked.map { escapeForTerminal($0.key).count }.max() ?? 0, 7), 32)
            out.write("  \(pad("risk", 6)) \(pad("rows", 5)) \(pad("worst", 6)) \(pad(title == "accounts" ? "account" : "creator", keyWidth)) \(pad("first .. last", 44))  rules; examples\n")
            for e in ranked {
                let ids = e.rules.map { rules[$0].id }.joined(separator: ",")
                out.write("  \(pad(formatScore(e.risk), 6)) \(pad(String(e.flaggedRows), 5)) \(pad(e.worst.rawValue, 6)) \(pad(escapeForTerminal(e.key), keyWidth)) \(Timestamp.format(e.firstTime)) .. \(Timestamp.format(e.lastTime))  \(ids); \(e.examples.map(escapeForTerminal).joined(separator: ","))\n")
                try out.flushIfFull()
            }
        }
    }
}

/// JSON Lines: one object per transaction, the row's own fields first (docs/TRANSACTIONS.md):
///
///     {"file":"export.csv","line":42,"id":"t0000042","timestamp":"2026-03-04T10:00:00Z","account":"u123",
///      "type":"chargeback","coins":1400,"amount":18.06,"currency":"USD","related_id":"t0000040",
///      "score":8,"verdict":"block","hits":[{"rule":"chargeback.gift-then-chargeback",
///      "category":"chargeback","score":8,"evidence":"purchase t0000040 ...","related":["t0000040"]}]}
///
/// Fields the row does not have are left out; `time` is the timestamp read as UTC. With
/// `--summary`, one object per account and creator follows: `{"summary":"account","key":...}`.
public final class TxJSONLinesPrinter: TxSink {
    private let out: ByteWriter
    private let rules: [Rule]

    public init(out: ByteWriter, rules: [Rule]) {
        self.out = out
        self.rules = rules
    }

    private func string(_ name: String, _ value: String) {
        out.write(",\"\(name)\":")
        appendJSONString(value, to: &out.buffer)
    }

    public func write(_ tx: Transaction, source: String, classification c: TxClassification) throws {
        out.write("{\"file\":")
        appendJSONString(source, to: &out.buffer)
        out.write(",\"line\":\(tx.line)")
        for field in TxField.allCases {
            switch field {
            case .coins: if let v = tx.coins { out.write(",\"coins\":\(v)") }
            case .amount: if let v = tx.amount { out.write(",\"amount\":\(formatAmount(v))") }
            case .type: string("type", tx.type.name)
            default:
                let v = tx.text(field)
                if !v.isEmpty { string(field.name, v) }
            }
        }
        string("time", Timestamp.format(tx.time))
        out.write(",\"score\":\(formatScore(c.score)),\"verdict\":\"\(c.verdict.rawValue)\",\"hits\":[")
        for (k, h) in c.hits.enumerated() {
            if k > 0 { out.write(",") }
            out.write("{\"rule\":")
            appendJSONString(rules[h.rule].id, to: &out.buffer)
            out.write(",\"category\":\"\(rules[h.rule].category.rawValue)\",\"score\":\(formatScore(rules[h.rule].score)),\"evidence\":")
            appendJSONString(h.evidence, to: &out.buffer)
            out.write(",\"related\":[")
            for (j, id) in h.related.enumerated() {
                if j > 0 { out.write(",") }
                appendJSONString(id, to: &out.buffer)
            }
            out.write("]}")
        }
        out.write("]}\n")
    }

    public func finish(summary: TxSummary?) throws {
        guard let summary else { return }
        for (kind, entries) in [("account", summary.accounts), ("creator", summary.creators)] {
            for e in TxSummary.ranked(entries) {
                out.write("{\"summary\":\"\(kind)\"")
                string("key", e.key)
                out.write(",\"risk\":\(formatScore(e.risk)),\"flagged_rows\":\(e.flaggedRows),\"worst\":\"\(e.worst.rawValue)\",\"coins\":\(e.coins),\"rules\":[")
                out.write(e.rules.map { "\"\(rules[$0].id)\"" }.joined(separator: ","))
                out.write("]")
                string("first", Timestamp.format(e.firstTime))
                string("last", Timestamp.format(e.lastTime))
                out.write(",\"examples\":[")
                for (j, id) in e.examples.enumerated() {
                    if j > 0 { out.write(",") }
                    appendJSONString(id, to: &out.buffer)
                }
                out.write("]}\n")
                try out.flushIfFull()
            }
        }
    }
}

/// CSV (RFC 4180): the canonical columns, then `score`, `verdict`, `rules` (ids joined by `;`)
/// and `reasons` (evidence joined by ` | `). Text cells that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading `'` (OWASP CSV injection). With
/// `--summary`, the summary table instead: `kind,key,risk,flagged_rows,worst,coins,rules,first,last,examples`.
public final class TxCSVPrinter: TxSink {
    private let out: ByteWriter
    private let rules: [Rule]
    private let summaryOnly: Bool
    private var wroteHeader = false

    public init(out: ByteWriter, rules: [Rule], summaryOnly: Bool) {
        self.out = out
        self.rules = rules
        self.summaryOnly = summaryOnly
    }

    func cell(_ value: String, text: Bool = true) {
        var v = value
        if text, let first = v.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        // Bytes of the export that were not UTF-8 go back out as they came in.
        if v.unicodeScalars.contains(where: { rawByte($0) != nil }) {
            out.buffer.append(contentsOf: preservedBytes(v))
        } else {
            out.write(v)
        }
    }

    public func write(_ tx: Transaction, source: String, classification c: TxClassification) throws {
        if !wroteHeader {
            wroteHeader = true
            out.write("file,line," + TxField.allCases.map(\.name).joined(separator: ",") + ",score,verdict,rules,reasons\n")
        }
        cell(source)
        out.write(",\(tx.line)")
        for field in TxField.allCases {
            out.write(",")
            cell(tx.text(field), text: field != .coins && field != .amount)
        }
        out.write(",\(formatScore(c.score)),\(c.verdict.rawValue),")
        cell(c.hits.map { rules[$0.rule].id }.joined(separator: ";"))
        out.write(",")
        cell(c.hits.map(\.evidence).joined(separator: " | "))
        out.write("\n")
    }

    public func finish(summary: TxSummary?) throws {
        guard let summary else { return }
        out.write("kind,key,risk,flagged_rows,worst,coins,rules,first,last,examples\n")
        for (kind, entries) in [("account", summary.accounts), ("creator", summary.creators)] {
            for e in TxSummary.ranked(entries) {
                out.write(kind + ",")
                cell(e.key)
                out.write(",\(formatScore(e.risk)),\(e.flaggedRows),\(e.worst.rawValue),\(e.coins),")
                cell(e.rules.map { rules[$0].id }.joined(separator: ";"))
                out.write(",\(Timestamp.format(e.firstTime)),\(Timestamp.format(e.lastTime)),")
                cell(e.examples.joined(separator: ";"))
                out.write("\n")
                try out.flushIfFull()
            }
        }
    }
}
