import Foundation
import Matcher
import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output

/// A `-f` pattern file: one PCRE2 pattern per line; blank lines and lines starting with `#`
/// are skipped. Each pattern keeps its own inline flags.
public struct PatternFile: Sendable {
    public struct Entry: Sendable {
        public var pattern: String
        public var file: String
        public var line: Int
        public init(pattern: String, file: String, line: Int) {
            self.pattern = pattern
            self.file = file
            self.line = line
        }
    }
    public var entries: [Entry] = []

    public init() {}

    /// Reads `path` (`-` is standard input), appending its patterns.
    public mutating func read(_ path: String) throws(UsageError) {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw UsageError("\(path): cannot read the pattern file (check that it exists and is readable)") }
        guard let text = String(data: data, encoding: .utf8) else { throw UsageError("\(path): the pattern file is not valid UTF-8") }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            entries.append(Entry(pattern: String(line), file: path, line: index + 1))
        }
    }

    /// Compiles every pattern, reporting every one that fails as `FILE:LINE: message`.
    public func compile(caseless: Bool) throws(RulePackError) -> [CompiledPattern] {
        var compiled: [CompiledPattern] = []
        var diagnostics: [Diagnostic] = []
        for entry in entries {
            do {
                compiled.append(try CompiledPattern(entry.pattern, options: caseless ? .caseless : []))
            } catch {
                let column = 1 + error.scalarOffset(in: entry.pattern)
                diagnostics.append(Diagnostic(SourceLocation(file: entry.file, line: entry.line, column: column), rule: "-",
                                              "invalid pattern: \(error.message) at offset \(error.offset ?? 0)"))
            }
        }
        if !diagnostics.isEmpty { throw RulePackError(diagnostics) }
        return compiled
    }
}
