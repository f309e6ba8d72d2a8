import ScanSupport

/// The input formats of `scamscan chat`.
public enum ChatFormat: String, CaseIterable, Sendable {
    /// One message per line.
    case plain
    /// `timestamp<TAB>channel<TAB>user<TAB>message`; an identical header line is skipped.
    case tsv
    /// One JSON object per line; field names set by `FieldNames`.
    case jsonl
    /// Decided from the first non-empty line of each input: `{` means jsonl, exactly four
    /// tab-separated fields mean tsv, anything else plain.
    case auto

    /// The format of an input whose first non-empty line is `line`.
    public static func detect(_ line: UnsafeRawBufferPointer) -> ChatFormat {
        var tabs = 0
        var firstNonSpace: UInt8?
        for b in line {
            if firstNonSpace == nil && b != 0x20 && b != 0x09 { firstNonSpace = b }
            if b == 0x09 { tabs += 1 }
        }
        if firstNonSpace == UInt8(ascii: "{") { return .jsonl }
        if tabs == 3 { return .tsv }
        return .plain
    }
}

/// Which JSON fields hold a record's parts; each part takes the first name present.
public struct FieldNames: Hashable, Sendable {
    public enum Part: String, CaseIterable, Sendable { case text, user, channel, timestamp }
    public var names: [Part: [String]] = [
        .text: ["text", "message"], .user: ["user"], .channel: ["channel"], .timestamp: ["timestamp"],
    ]
    public init() {}

    /// Applies `part=name[,name...]` (e.g. `text=body`), replacing that part's names.
    public mutating func set(_ spec: String) throws(UsageError) {
        let pieces = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard pieces.count == 2, let part = Part(rawValue: pieces[0]) else {
            throw UsageError("--field takes PART=NAME with PART one of text, user, channel, timestamp (e.g. --field text=body), got '\(spec)'")
        }
        let names = pieces[1].split(separator: ",").map(String.init).filter { !$0.isEmpty }
        guard !names.isEmpty else { throw UsageError("--field \(part.rawValue)= needs a field name (e.g. --field \(part.rawValue)=body)") }
        self.names[part] = names
    }
}

/// One chat record as slices of bytes, valid only while the reader hands it out.
public struct ChatRecord {
    public var line: Int
    public var text: UnsafeRawBufferPointer
    public var timestamp: UnsafeRawBufferPointer?
    public var channel: UnsafeRawBufferPointer?
    public var user: UnsafeRawBufferPointer?
    /// Set when the line did not parse in its format: the whole line is then scanned as plain
    /// text (so a malformed line cannot hide a scam) and the problem is reported.
    public var error: RecordError?

    public init(line: Int, text: UnsafeRawBufferPointer) {
        self.line = line
        self.text = text
    }
}

/// Why a line did not parse, and where (1-based byte column).
public struct RecordError: Error, Hashable, Sendable {
    public var column: Int
    public var message: String
    public init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }
}
