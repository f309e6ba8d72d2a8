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

/// A labelled corpus: chat files with, beside each, `NAME.labels.tsv`:
///
///     line<TAB>label<TAB>verdict<TAB>note
///
/// one row per message (after a header row), `line` the message's 1-based line in the chat file,
/// `label` `ham` or a rule category, `verdict` `allow`, `review` or `block`. A corpus directory
/// holds its chat files in `chat/` (or directly); `NAME.labels.tsv` and `NAME.sources.tsv` are
/// companions, not chat.
public struct LabelledFile: Sendable {
    public struct Label: Sendable {
        public var line: Int
        /// `ham` or a category name.
        public var label: String
        public var verdict: Verdict
        public var isScam: Bool { label != "ham" }
    }
    public var path: String
    public var labelsPath: String
    /// By line.
    public var labels: [Int: Label]
}

public enum LabelledCorpus {
    /// The labelled chat files of each directory (or file), sorted by path; every problem at once.
    public static func load(_ paths: [String]) throws(RulePackError) -> [LabelledFile] {
        var files: [LabelledFile] = []
        var problems: [Diagnostic] = []
        for path in paths {
            for chat in chatFiles(path, problems: &problems) {
                let labelsPath = companion(of: chat, "labels")
                guard FileManager.default.fileExists(atPath: labelsPath) else {
                    problems.append(Diagnostic(SourceLocation(file: chat, line: 1, column: 1), rule: "-",
                        "no labels for this chat file: write \(labelsPath) with a header and one row per message: line<TAB>label<TAB>verdict<TAB>note"))
                    continue
                }
                do {
                    let text = try RuleLoader.readText(labelsPath)
                    let (labels, found) = parseLabels(text, file: labelsPath)
                    problems += found
                    files.append(LabelledFile(path: chat, labelsPath: labelsPath, labels: labels))
                } catch {
                    problems.append(Diagnostic(SourceLocation(file: labelsPath, line: 1, column: 1), rule: "-", error.message))
                }
            }
        }
        if !problems.isEmpty { throw RulePackError(problems) }
        return files
    }

    /// `chat.tsv` -> `chat.labels.tsv`.
    static func companion(of chat: String, _ kind: String) -> String {
        let ns = chat as NSString
        let base = ns.deletingPathExtension
        return base + ".\(kind).tsv"
    }

    static func chatFiles(_ path: String, problems: inout [Diagnostic]) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            problems.append(Diagnostic(SourceLocation(file: path, line: 1, column: 1), rule: "-",
                "corpus does not exist; pass a corpus directory (with chat/) or a chat file with --corpus"))
            return []
        }
        guard isDirectory.boolValue else { return [path] }
        let chatDir = (path as NSString).appendingPathComponent("chat")
        let dir = FileManager.default.fileExists(atPath: chatDir) ? chatDir : path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let chats = names.filter { name in
            let ext = (name as NSString).pathExtension
            return ["tsv", "jsonl", "txt", "log"].contains(ext) && !name.contains(".labels.") && !name.contains(".sources.")
        }.sorted().map { (dir as NSString).appendingPathComponent($0) }
        if chats.isEmpty {
            problems.append(Diagnostic(SourceLocation(file: dir, line: 1, column: 1), rule: "-",
                "no chat files (*.tsv, *.jsonl, *.txt, *.log) in this corpus directory"))
        }
        return chats
    }

    static func parseLabels(_ text: String, file: String) -> ([Int: LabelledFile.Label], [Diagnostic]) {
        var labels: [Int: LabelledFile.Label] = [:]
        var problems: [Diagnostic] = []
        let known = ["ham"] + RuleCategory.allCases.map(\.rawValue)
        for (k, row) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = k + 1
            let line = row.hasSuffix("\r") ? row.dropLast() : row
            if line.isEmpty || (number == 1 && line.hasPrefix("line\t")) || line.hasPrefix("#") { continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            func at(_ column: Int, _ message: String) {
                let col = f.prefix(column).reduce(0) { $0 + $1.utf8.count + 1 } + 1
                problems.append(Diagnostic(SourceLocation(file: file, line: number, column: col), rule: "-", message))
            }
            guard f.count >= 3 else {
                at(0, "a label row has at least 3 tab-separated fields (line, label, verdict), found \(f.count)")
                continue
            }
            guard let recordLine = Int(f[0]), recordLine > 0 else {
                at(0, "'\(f[0])' is not a line number")
                continue
            }
            let label = String(f[1])
            guard known.contains(label) else {
                var message = "unknown label '\(label)'"
                if let guess = closestMatch(to: label, in: known) { message += " (did you mean '\(guess)'?)" }
                at(1, message + "; the labels are: \(known.joined(separator: ", "))")
                continue
            }
            guard let verdict = Verdict(rawValue: String(f[2])) else {
                at(2, "unknown verdict '\(f[2])'; use allow, review or block")
                continue
            }
            if labels[recordLine] != nil {
                at(0, "line \(recordLine) is labelled twice")
                continue
            }
            labels[recordLine] = LabelledFile.Label(line: recordLine, label: label, verdict: verdict)
        }
        return (labels, problems)
    }
}
