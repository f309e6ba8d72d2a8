import ScanSupport
import Normalise

/// Reads a domain list file: one domain per line, `#` starts a comment, blank lines are skipped,
/// a leading `*.` is allowed (the list matches subdomains anyway, unless `list_match: exact`).
enum DomainListParser {
    struct Problem {
        var location: SourceLocation
        var message: String
    }

    static func parse(_ text: String, file: String) -> ([String], [Problem]) {
        var domains: [String] = []
        var problems: [Problem] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var content = line
            if let hash = content.firstIndex(of: "#") { content = content[..<hash] }
            let leading = content.prefix { $0 == " " || $0 == "\t" }.count
            var entry = String(content).trimmingWhitespace().lowercased()
            if entry.hasSuffix("\r") { entry.removeLast() }
            if entry.isEmpty { continue }
            if entry.hasPrefix("*.") { entry.removeFirst(2) }
            if entry.hasSuffix(".") { entry.removeLast() }
            if let problem = domainProblem(entry) {
                problems.append(Problem(location: SourceLocation(file: file, line: lineNumber, column: leading + 1),
                                        message: "'\(entry)' is not a domain: \(problem); write one domain per line, such as bit.ly"))
                continue
            }
            domains.append(entry)
        }
        return (domains, problems)
    }

    /// Why `entry` is not a domain name, or nil.
    static func domainProblem(_ entry: String) -> String? {
        let labels = entry.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count < 2 { return "it has no dot" }
        for label in labels {
            if label.isEmpty { return "it has an empty label" }
            if label.utf8.count > 63 { return "a label is longer than 63 bytes" }
            for s in label.unicodeScalars where !(s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_") {
                return "it contains '\(s.escaped(asASCII: false))' (a URL? keep only the host)"
            }
        }
        return nil
    }
}
