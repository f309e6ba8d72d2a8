import Foundation
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output
import Pipeline

/// One message with its label, for `scamscan learn`.
public struct LabelledMessage: Sendable {
    /// The message's bytes as written.
    public var text: [UInt8]
    public var scam: Bool
    /// The file it came from: the unit of the held-out-by-source evaluation.
    public var source: String
    public var line: Int
    public init(text: [UInt8], scam: Bool, source: String, line: Int) {
        self.text = text
        self.scam = scam
        self.source = source
        self.line = line
    }
}

/// Reads labelled messages from the formats `scamscan learn` accepts (docs/MODEL.md):
/// - TSV with a header naming a `label` column and a `text` (or `message`) column;
/// - JSON Lines with `label` and `text` fields, such as `scamscan chat --output jsonl` records
///   with a `label` added by a moderator (`text_base64`, when present, gives the exact bytes);
/// - a corpus folder as `scamscan test` reads it (`chat/*.tsv` with `*.labels.tsv`), with its
///   `learn/*.tsv` and its `ordinary/` chat (every line ordinary) when present;
/// - any chat file (`timestamp channel user message` TSV, JSON Lines or plain lines) given as
///   all ham or all scam (`--ham`, `--spam`).
///
/// Every record is read or reported: a bad line is a `Problem` with file, line and column.
public enum LabelledMessages {
    public struct Problem: Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(file):\(line):\(column): \(message)" }
    }

    public struct Batch: Sendable {
        public var messages: [LabelledMessage] = []
        public var problems: [Problem] = []
        public init() {}
    }

    static let hamLabels: Set<String> = ["ham", "allow", "clean", "legit", "ok", "0", "false", "no", "not_scam"]
    static let scamLabels: Set<String> = Set(["scam", "spam", "1", "true", "yes"] + RuleCategory.allCases.map(\.rawValue))

    /// Whether `label` says scam (true), ham (false) or is unknown (nil).
    public static func isScam(label: String) -> Bool? {
        let l = label.trimmingCharacters(in: .whitespaces).lowercased()
        if hamLabels.contains(l) { return false }
        if scamLabels.contains(l) { return true }
        return nil
    }

    static var labelHelp: String {
        "use ham (or allow, clean, 0) or scam (or spam, 1, or a category: \(RuleCategory.allCases.map(\.rawValue).joined(separator: ", ")))"
    }

    /// A file with a label per record (TSV with a header, or JSON Lines).
    public static func readLabelled(path: String, into batch: inout Batch) {
        guard let bytes = read(path, into: &batch) else { return }
        if looksLikeJSONLines(bytes) {
            readJSONLines(bytes, path: path, fixed: nil, into: &batch)
        } else {
            readTSV(bytes, path: path, into: &batch)
        }
    }

    /// A chat file whose every record has the label `scam` (TSV chat, JSON Lines or plain lines).
    public static func readAll(path: String, scam: Bool, into batch: inout Batch) {
        guard let bytes = read(path, into: &batch) else { return }
        if looksLikeJSONLines(bytes) {
            readJSONLines(bytes, path: path, fixed: scam, into: &batch)
            return
        }
        var lineNumber = 0
        var chatTSV = false
        forEachLine(bytes) { line in
            lineNumber += 1
            if lineNumber == 1 {
                let header = String(decoding: line, as: UTF8.self).lowercased()
                if header == "timestamp\tchannel\tuser\tmessage" { chatTSV = true; return }
            }
            var text = line
            if chatTSV {
                let fields = line.split(separator: 0x09, maxSplits: 3, omittingEmptySubsequences: false)
                guard fields.count == 4 else {
                    batch.problems.append(Problem(file: path, line: lineNumber, column: 1,
                        message: "expected 4 tab-separated fields (timestamp, channel, user, message), found \(fields.count)"))
                    return
                }
                text = fields[3]
            }
            if text.isEmpty { return }
            batch.messages.append(LabelledMessage(text: Array(text), scam: scam, source: path, line: lineNumber))
        }
    }

    /// A corpus folder: its labelled chat files, `learn/*.tsv` and `ordinary/*` (all ham).
    public static func readCorpus(path: String, into batch: inout Batch) {
        do {
            for file in try LabelledCorpus.load([path]) {
                readCorpusChat(file, into: &batch)
            }
        } catch {
            for d in error.diagnostics {
                batch.problems.append(Problem(file: d.location.file, line: d.location.line, column: d.location.column, message: d.message))
            }
        }
        let fm = FileManager.default
        for (folder, all) in [("learn", false), ("ordinary", true)] {
            let dir = (path as NSString).appendingPathComponent(folder)
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasSuffix(".tsv") || name.hasSuffix(".txt") || name.hasSuffix(".jsonl") {
                let file = (dir as NSString).appendingPathComponent(name)
                if all { readAll(path: file, scam: false, into: &batch) } else { readLabelled(path: file, into: &batch) }
            }
        }
    }

    private static func readCorpusChat(_ file: LabelledFile, into batch: inout Batch) {
        guard let bytes = read(file.path, into: &batch) else { return }
        var lineNumber = 0
        forEachLine(bytes) { line in
            lineNumber += 1
            if lineNumber == 1 { return }  // the header
            guard let label = file.labels[lineNumber] else {
                batch.problems.append(Problem(file: file.path, line: lineNumber, column: 1,
                    message: "no label row for this line in \(file.labelsPath)"))
                return
            }
            let fields = line.split(separator: 0x09, maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4 else {
                batch.problems.append(Problem(file: file.path, line: lineNumber, column: 1,
                    message: "expected 4 tab-separated fields (timestamp, channel, user, message), found \(fields.count)"))
                return
            }
            batch.messages.append(LabelledMessage(text: Array(fields[3]), scam: label.isScam, source: file.path, line: lineNumber))
        }
    }

    private static func readTSV(_ bytes: [UInt8], path: String, into batch: inout Batch) {
        var lineNumber = 0
        var labelColumn = -1, textColumn = -1, columns = 0
        forEachLine(bytes) { line in
            lineNumber += 1
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            if lineNumber == 1 {
                let names = fields.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
                columns = names.count
                labelColumn = names.firstIndex(of: "label") ?? -1
                textColumn = names.firstIndex(of: "text") ?? names.firstIndex(of: "message") ?? -1
                if labelColumn < 0 || textColumn < 0 {
                    batch.problems.append(Problem(file: path, line: 1, column: 1,
                        message: "the header must name a 'label' column and a 'text' (or 'message') column; found: \(names.joined(separator: ", ")). For chat with no labels, give the file as --ham or --spam"))
                    labelColumn = -2
                }
                return
            }
            guard labelColumn >= 0 else { return }
            if line.isEmpty { return }
            guard fields.count == columns else {
                batch.problems.append(Problem(file: path, line: lineNumber, column: 1,
                    message: "expected \(columns) tab-separated fields as in the header, found \(fields.count); a text must not contain tabs"))
                return
            }
            let label = String(decoding: fields[labelColumn], as: UTF8.self)
            guard let scam = isScam(label: label) else {
                let column = fields[..<labelColumn].reduce(1) { $0 + $1.count + 1 }
                batch.problems.append(Problem(file: path, line: lineNumber, column: column, message: "unknown label '\(label)'; \(labelHelp)"))
                return
            }
            batch.messages.append(LabelledMessage(text: Array(fields[textColumn]), scam: scam, source: path, line: lineNumber))
        }
        if lineNumber == 0 {
            batch.problems.append(Problem(file: path, line: 1, column: 1, message: "the file is empty; expected a header naming 'label' and 'text'"))
        }
    }

    /// JSON Lines: `fixed` gives every record that label, else each record's `label` field does.
    private static func readJSONLines(_ bytes: [UInt8], path: String, fixed: Bool?, into batch: inout Batch) {
        var lineNumber = 0
        forEachLine(bytes) { line in
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            func problem(_ message: String) {
                batch.problems.append(Problem(file: path, line: lineNumber, column: 1, message: message))
            }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                problem("not a JSON object; each line must be one object with 'text' and 'label' fields")
                return
            }
            var text: [UInt8]
            if let b64 = object["text_base64"] as? String, let data = Data(base64Encoded: b64) {
                text = [UInt8](data)
            } else if let t = object["text"] as? String {
                text = Array(t.utf8)
            } else {
                problem("no 'text' string field")
                return
            }
            var scam: Bool
            if let fixed {
                scam = fixed
            } else {
                guard let label = object["label"] as? String else {
                    problem("no 'label' string field; add \"label\":\"ham\" or \"label\":\"scam\" (or a category) to each record")
                    return
                }
                guard let s = isScam(label: label) else {
                    problem("unknown label '\(label)'; \(labelHelp)")
                    return
                }
                scam = s
            }
            if text.count > 1 << 20 { text = Array(text.prefix(1 << 20)) }
            batch.messages.append(LabelledMessage(text: text, scam: scam, source: path, line: lineNumber))
        }
    }

    private static func read(_ path: String, into batch: inout Batch) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let reason = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                ? (isDirectory.boolValue ? "is a folder; give it with --corpus" : "cannot be read") : "no such file"
            batch.problems.append(Problem(file: path, line: 0, column: 0, message: reason))
            return nil
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes
    }

    private static func looksLikeJSONLines(_ bytes: [UInt8]) -> Bool {
        bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "{")
    }

    /// Each line without its LF or CRLF.
    private static func forEachLine(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            body(line)
            start = end + 1
        }
    }
}
