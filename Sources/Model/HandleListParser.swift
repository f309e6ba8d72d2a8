import ScanSupport
import Normalise

/// Reads a protected-handle list: one handle per line (`creator`, `@creator`), or
/// `channel: handle handle ...` for handles protected only in that channel; `#` starts a comment.
enum HandleListParser {
    struct Problem {
        var location: SourceLocation
        var message: String
    }

    static func parse(_ text: String, path: String, file: String) -> (HandleList, [Problem]) {
        var global: [HandleList.Listed] = []
        var channels: [String: [HandleList.Listed]] = [:]
        var problems: [Problem] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var content = Substring(line)
            if let hash = content.firstIndex(of: "#") { content = content[..<hash] }
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "," })
            guard let first = words.first else { continue }
            func column(of word: Substring) -> Int { line.utf8.distance(from: line.startIndex, to: word.startIndex) + 1 }
            var channel: String?
            var handles = words[...]
            if first.hasSuffix(":") {
                channel = String(first.dropLast()).lowercased()
                handles = words.dropFirst()
                if channel!.isEmpty || handles.isEmpty {
                    problems.append(Problem(location: SourceLocation(file: file, line: lineNumber, column: column(of: first)),
                        message: "write 'channel: handle ...' with a channel name and at least one handle"))
                    continue
                }
            }
            for word in handles {
                let handle = word.hasPrefix("@") ? word.dropFirst() : word
                if let problem = handleProblem(handle) {
                    problems.append(Problem(location: SourceLocation(file: file, line: lineNumber, column: column(of: word)),
                        message: "'\(word)' is not a handle: \(problem); write one handle per line, or 'channel: handle ...'"))
                    continue
                }
                let listed = HandleList.Listed(handle: String(handle), line: lineNumber)
                if let channel { channels[channel, default: []].append(listed) } else { global.append(listed) }
            }
        }
        return (HandleList(path: path, global: global, channels: channels), problems)
    }

    static func handleProblem(_ handle: Substring) -> String? {
        if handle.isEmpty { return "it is empty" }
        if handle.utf8.count > 64 { return "it is longer than 64 bytes" }
        for s in handle.unicodeScalars where !(s.properties.isAlphabetic || s.properties.numericType != nil
                                               || s == "_" || s == "." || s == "-") {
            return "it contains '\(s.escaped(asASCII: false))'"
        }
        return nil
    }
}

/// What is wrong with a `--protect` value (`NAME`, `@NAME` or `CHANNEL:NAME`), or nil when it can
/// be a handle: a name of letters, digits, '_', '.' and '-', at most 64 bytes.
public func protectedHandleProblem(_ spec: String) -> String? {
    var name = Substring(spec)
    if let colon = spec.firstIndex(of: ":") {
        let channel = spec[..<colon]
        name = spec[spec.index(after: colon)...]
        if channel.isEmpty { return "the channel before ':' is empty; write CHANNEL:NAME or NAME" }
        if channel.contains(where: \.isWhitespace) { return "the channel '\(channel)' contains a space; a channel name is one word" }
    }
    if name.hasPrefix("@") { name = name.dropFirst() }
    if let problem = HandleListParser.handleProblem(name) { return "'\(name)' is not a handle: \(problem)" }
    return nil
}
