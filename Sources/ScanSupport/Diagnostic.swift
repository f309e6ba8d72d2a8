/// A place in a rule file: 1-based line and column (columns count Unicode scalars, as YAML does).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// One problem found in a rule pack, printed as `FILE:LINE:COL: RULE-ID: message`.
///
/// `RULE-ID` is `-` when the problem is not inside a rule (a YAML syntax error, pack settings)
/// and the rule's position (`rule #3`) when the rule has no usable id.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var location: SourceLocation
    public var ruleID: String
    public var message: String

    public init(_ location: SourceLocation, rule ruleID: String, _ message: String) {
        self.location = location
        self.ruleID = ruleID
        self.message = message
    }

    public var description: String { "\(location): \(ruleID): \(message)" }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.location, a.message) < (b.location, b.message)
    }
}

/// Every problem of a pack, reported at once, sorted by file and position.
public struct RulePackError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
