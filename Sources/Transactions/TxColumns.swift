import ScanSupport
import Stream
import Model

/// Which input column (or JSON key) holds each canonical field.
///
/// A field takes, in order: the column named by `--map FIELD=COLUMN`; a column with the field's
/// canonical name (any case); the first of the pack's aliases for it (`transaction_columns` in
/// `pack.yml`) that the header has.
public struct TxColumnMap: Hashable, Sendable {
    /// `--map` entries: field → the column name to read it from.
    public var explicit: [TxField: String] = [:]
    /// The pack's aliases: field → other names exports use for it.
    public var aliases: [TxField: [String]] = [:]

    public init(explicit: [TxField: String] = [:], aliases: [TxField: [String]] = [:]) {
        self.explicit = explicit
        self.aliases = aliases
    }

    /// Applies one `--map FIELD=COLUMN`.
    public mutating func set(_ spec: String) throws(UsageError) {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        let all = TxField.allCases.map(\.name).joined(separator: ", ")
        guard parts.count == 2, !parts[1].isEmpty else {
            throw UsageError("--map takes FIELD=COLUMN (e.g. --map account=user_id), got '\(spec)'; the fields are: \(all)")
        }
        guard let field = TxField(name: parts[0]) else {
            var message = "--map: unknown field '\(parts[0])'"
            if let guess = closestMatch(to: parts[0], in: TxField.allCases.map(\.name)) { message += " (did you mean '\(guess)'?)" }
            throw UsageError(message + "; the fields are: \(all)")
        }
        explicit[field] = parts[1]
    }

    /// The names to look for, most preferred first.
    public func names(for field: TxField) -> [String] {
        if let name = explicit[field] { return [name] }
        return [field.name] + (aliases[field] ?? [])
    }

    /// The column index of every field in `header` (nil: absent), or the problem with the header.
    public func resolve(header: [String]) -> Result<[Int?], TxSchemaError> {
        var lowered: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            let key = name.trimmingSpaces.lowercased()
            if lowered[key] == nil { lowered[key] = i }
        }
        var result = [Int?](repeating: nil, count: TxField.allCases.count)
        var problems: [String] = []
        for field in TxField.allCases {
            if let name = explicit[field] {
                guard let i = lowered[name.lowercased()] else {
                    problems.append("--map \(field.name)=\(name): there is no column '\(name)'")
                    continue
                }
                result[field.rawValue] = i
                continue
            }
            result[field.rawValue] = names(for: field).lazy.compactMap { lowered[$0.lowercased()] }.first
        }
        for field in TxField.required where result[field.rawValue] == nil && explicit[field] == nil {
            let tried = names(for: field).map { "'\($0)'" }.joined(separator: ", ")
            problems.append("missing required column '\(field.name)' (looked for \(tried)); name it with --map \(field.name)=COLUMN")
        }
        guard problems.isEmpty else {
            let found = header.map { "'\(escapeForTerminal($0))'" }.joined(separator: ", ")
            return .failure(TxSchemaError(problems.joined(separator: "; ") + ". The columns found: " + found))
        }
        return .success(result)
    }
}

public struct TxSchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Turns the fields of one row into a `Transaction`, or says which field is wrong and how.
public enum TxDecoder {
    /// `field(f)` gives the bytes of field `f` (nil when the input has no such column).
    public static func decode(line: Int, _ field: (TxField) -> UnsafeRawBufferPointer?) -> Result<Transaction, TxRowError> {
        func text(_ f: TxField) -> String {
            guard let bytes = field(f), !bytes.isEmpty else { return "" }
            return decodePreservingBytes(trim(bytes))
        }
        for f in TxField.required {
            guard let bytes = field(f), !trim(bytes).isEmpty else {
                return .failure(TxRowError(field: f, "empty '\(f.name)'; every row needs \(TxField.required.map(\.name).joined(separator: ", "))"))
            }
        }
        let typeBytes = trim(field(.type)!)
        guard let type = TxType(text: typeBytes) else {
            return .failure(TxRowError(field: .type,
                "unknown type '\(escapeForTerminal(String(decoding: typeBytes, as: UTF8.self)))'; the types are \(TxType.allCases.map(\.name).joined(separator: ", "))"))
        }
        let stamp = trim(field(.timestamp)!)
        let time: Int64
        switch Timestamp.parse(stamp) {
        case let .success(t): time = t
        case let .failure(e):
            return .failure(TxRowError(field: .timestamp, "\(e) in '\(escapeForTerminal(String(decoding: stamp, as: UTF8.self)))'"))
        }
        var coins: Int64?
        if let bytes = field(.coins), !trim(bytes).isEmpty {
            guard let v = wholeNumber(trim(bytes)) else {
                return .failure(TxRowError(field: .coins, "coins must be a whole number of at most 15 digits, got '\(escapeForTerminal(String(decoding: bytes, as: UTF8.self)))'"))
            }
            coins = v
        }
        var amount: Double?
        if let bytes = field(.amount), !trim(bytes).isEmpty {
            guard let v = decimal(trim(bytes)) else {
                return .failure(TxRowError(field: .amount, "amount must be a decimal number such as 12.99, got '\(escapeForTerminal(String(decoding: bytes, as: UTF8.self)))'"))
            }
            amount = v
        }
        return .success(Transaction(
            line: line, time: time, type: type, id: text(.id), account: text(.account), coins: coins, amount: amount,
            currency: text(.currency), paymentMethod: text(.paymentMethod), instrument: text(.instrument),
            country: text(.country), ip: text(.ip), device: text(.device), recipient: text(.recipient),
            relatedID: text(.relatedID)))
    }

    @inline(__always)
    static func trim(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var s = 0, e = b.count
        while s < e, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
        return s == 0 && e == b.count ? b : UnsafeRawBufferPointer(rebasing: b[s..<e])
    }

    /// A whole number of up to 15 digits (a quadrillion coins), so sums over many rows stay far
    /// from overflow; `1500.0` counts as whole.
    static func wholeNumber(_ b: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        var negative = false
        if b.first == UInt8(ascii: "-") || b.first == UInt8(ascii: "+") { negative = b[0] == UInt8(ascii: "-"); i = 1 }
        guard i < b.count else { return nil }
        var v: Int64 = 0
        var digits = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                for k in (i + 1)..<b.count where b[k] != UInt8(ascii: "0") { return nil }
                break
            }
            guard c >= 0x30 && c <= 0x39, digits < 15 else { return nil }
            v = v * 10 + Int64(c - 0x30)
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -v : v
    }

    static func decimal(_ b: UnsafeRawBufferPointer) -> Double? {
        var i = 0
        var negative = false
        if b.first == UInt8(ascii: "-") || b.first == UInt8(ascii: "+") { negative = b[0] == UInt8(ascii: "-"); i = 1 }
        var whole: Int64 = 0
        var digits = 0
        while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
            guard digits < 15 else { return nil }
            whole = whole * 10 + Int64(b[i] - 0x30)
            digits += 1
            i += 1
        }
        var fraction: Int64 = 0
        var scale: Int64 = 1
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var fdigits = 0
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                if fdigits < 9 { fraction = fraction * 10 + Int64(b[i] - 0x30); scale *= 10 }
                fdigits += 1
                i += 1
            }
            digits += fdigits
        }
        guard digits > 0 else { return nil }
        if i < b.count {
            // an exponent (1e3) is rare in exports but valid JSON
            guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E"),
                  let text = Optional(String(decoding: b, as: UTF8.self)), let v = Double(text) else { return nil }
            return v
        }
        let v = Double(whole) + Double(fraction) / Double(scale)
        return negative ? -v : v
    }
}

/// Why a row could not be read as a transaction.
public struct TxRowError: Error, Hashable, Sendable {
    public var field: TxField
    public var message: String
    init(field: TxField, _ message: String) {
        self.field = field
        self.message = message
    }
}
