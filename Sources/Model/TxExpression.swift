import ScanSupport
import Normalise

/// The condition language of `tx_condition` rules (docs/TRANSACTIONS.md, "Conditions"), in the
/// spirit of Stripe Radar's rules:
///
///     type == "purchase" and amount > 200 and account_age < 1d
///     distinct(instrument, account, 24h) >= 4
///     type in ["purchase", "decline"] and sum(amount, instrument, 24h, "purchase") >= 1000
///
/// Values are numbers (durations such as `10m` are numbers of milliseconds), strings and
/// booleans; a field the row does not have is *missing*, and every comparison with a missing
/// value is false (as SQL's NULL), so `amount > 200` is false on a gift without an amount.
/// Expressions are checked when the pack loads: unknown names, wrong argument kinds and
/// comparisons between a string and a number are errors with their column.
public indirect enum TxExpression: Hashable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case field(TxField)
    /// Milliseconds since the account's first row (this row included).
    case accountAge
    /// An aggregate over a sliding window; `slot` is its index in `TxConditionSet.aggregates`.
    case aggregate(Int)
    case not(TxExpression)
    case and(TxExpression, TxExpression)
    case or(TxExpression, TxExpression)
    case compare(TxExpression, Comparison, TxExpression)
    case inList(TxExpression, [TxExpression])
    case arithmetic(TxExpression, Arithmetic, TxExpression)
    case negate(TxExpression)
    /// `type == "x"` or `type in [...]`, folded into a bit set of `TxType.rawValue`s.
    case typeIn(UInt8)

    /// The same expression with comparisons on `type` folded into bit tests (no strings per row).
    public var optimized: TxExpression {
        func mask(_ names: [TxExpression]) -> UInt8? {
            var m: UInt8 = 0
            for n in names {
                guard case let .string(s) = n else { return nil }
                guard let t = TxType.allCases.first(where: { equalFolded($0.name, s) }) else { continue }
                m |= 1 << t.rawValue
            }
            return m
        }
        switch self {
        case let .compare(.field(.type), .eq, rhs): if let m = mask([rhs]) { return .typeIn(m) }
        case let .compare(.field(.type), .ne, rhs): if let m = mask([rhs]) { return .typeIn(~m) }
        case let .inList(.field(.type), items): if let m = mask(items) { return .typeIn(m) }
        case let .not(e): return .not(e.optimized)
        case let .and(l, r): return .and(l.optimized, r.optimized)
        case let .or(l, r): return .or(l.optimized, r.optimized)
        default: break
        }
        return self
    }

    public enum Comparison: String, Hashable, Sendable { case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=" }
    public enum Arithmetic: String, Hashable, Sendable { case add = "+", sub = "-", mul = "*", div = "/" }
}

/// An aggregate over the rows sharing the current row's `key` within `window` (the current row
/// included when it passes the type filter).
public struct TxAggregate: Hashable, Sendable {
    public enum Function: String, Hashable, Sendable { case count, sum, distinct }
    public var function: Function
    /// What is summed (coins or amount) or counted distinct; nil for count.
    public var field: TxField?
    public var key: TxField
    public var window: Int64
    /// Only rows of these types count (empty: every type).
    public var types: [TxType]

    public var description: String {
        var args: [String] = []
        if let field { args.append(field.name) }
        args += [key.name, TxDuration.format(window)]
        args += types.map { "\"\($0.name)\"" }
        return "\(function.rawValue)(\(args.joined(separator: ", ")))"
    }
}

/// A syntax or type error in a condition, at a 0-based UTF-8 offset of the condition text.
public struct TxExpressionError: Error, Hashable, Sendable {
    public var offset: Int
    public var message: String
}

/// Parses conditions, sharing one list of aggregates between all the rules of a pack (rules
/// that use the same aggregate share its state).
public struct TxExpressionParser {
    public private(set) var aggregates: [TxAggregate] = []

    public init() {}

    private enum Token: Equatable {
        case number(Double), duration(Int64), string(String), name(String), op(String), end
    }

    private enum Kind: String { case number, string, bool }

    private var tokens: [(Token, Int)] = []
    private var position = 0

    public mutating func parse(_ text: String) -> Result<TxExpression, TxExpressionError> {
        do throws(TxExpressionError) {
            tokens = try Self.tokenize(Array(text.utf8))
            position = 0
            let (e, kind) = try orExpr()
            guard case .end = tokens[position].0 else { throw error("unexpected \(describe(tokens[position].0)); join conditions with 'and' / 'or'") }
            guard kind == .bool else { throw TxExpressionError(offset: 0, message: "the condition is a \(kind.rawValue), not true/false; compare it, e.g. amount > 100") }
            return .success(e)
        } catch {
            return .failure(error)
        }
    }

    private func error(_ message: String) -> TxExpressionError {
        TxExpressionError(offset: tokens[position].1, message: message)
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case let .number(v): "number \(v)"
        case let .duration(d): "duration \(TxDuration.format(d))"
        case let .string(s): "string \"\(s)\""
        case let .name(n): "'\(n)'"
        case let .op(o): "'\(o)'"
        case .end: "end of condition"
        }
    }

    private static func tokenize(_ b: [UInt8]) throws(TxExpressionError) -> [(Token, Int)] {
        var out: [(Token, Int)] = []
        var i = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isName(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || isDigit(c) }
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            let start = i
            if isDigit(c) || (c == UInt8(ascii: ".") && i + 1 < b.count && isDigit(b[i + 1])) {
                while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: ".") { i += 1 }
                let text = String(decoding: b[start..<i], as: UTF8.self)
                guard let v = Double(text) else { throw TxExpressionError(offset: start, message: "invalid number '\(text)'") }
                if i < b.count, isName(b[i]) {
                    var j = i
                    while j < b.count, isName(b[j]) { j += 1 }
                    let unit = String(decoding: b[i..<j], as: UTF8.self)
                    guard v == v.rounded(), v < 1e15, let d = TxDuration.parse("\(Int64(v))\(unit)") else {
                        throw TxExpressionError(offset: start, message: "invalid duration '\(text)\(unit)'; write a whole number and s, m, h, d or w (e.g. 10m, 24h, 30d)")
                    }
                    out.append((.duration(d), start))
                    i = j
                } else {
                    out.append((.number(v), start))
                }
                continue
            }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                i += 1
                var s: [UInt8] = []
                while i < b.count, b[i] != c {
                    if b[i] == UInt8(ascii: "\\"), i + 1 < b.count { i += 1 }
                    s.append(b[i])
                    i += 1
                }
                guard i < b.count else { throw TxExpressionError(offset: start, message: "string never closed; end it with \(c == 0x22 ? "\"" : "'")") }
                i += 1
                out.append((.string(String(decoding: s, as: UTF8.self)), start))
                continue
            }
            if isName(c) {
                while i < b.count, isName(b[i]) { i += 1 }
                out.append((.name(String(decoding: b[start..<i], as: UTF8.self)), start))
                continue
            }
            let two = i + 1 < b.count ? String(decoding: b[i...i + 1], as: UTF8.self) : ""
            if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
                out.append((.op(two == "&&" ? "and" : two == "||" ? "or" : two), start))
                i += 2
                continue
            }
            let one = String(decoding: b[i...i], as: UTF8.self)
            if ["<", ">", "(", ")", "[", "]", ",", "+", "-", "*", "/", "!"].contains(one) {
                out.append((.op(one == "!" ? "not" : one), start))
                i += 1
                continue
            }
            if one == "=" { throw TxExpressionError(offset: start, message: "'=' is not a comparison; write '=='") }
            throw TxExpressionError(offset: start, message: "unexpected character '\(String(decoding: b[i..<min(i + 1, b.count)], as: UTF8.self))'")
        }
        out.append((.end, b.count))
        return out
    }

    private func peekWord(_ w: String) -> Bool {
        switch tokens[position].0 {
        case let .name(n): n == w
        case let .op(o): o == w
        default: false
        }
    }

    private mutating func orExpr() throws(TxExpressionError) -> (TxExpression, Kind) {
        var (left, lk) = try andExpr()
        while peekWord("or") {
            let at = position
            position += 1
            let (right, rk) = try andExpr()
            guard lk == .bool, rk == .bool else { throw TxExpressionError(offset: tokens[at].1, message: "'or' joins true/false conditions, not a \(lk == .bool ? rk.rawValue : lk.rawValue)") }
            left = .or(left, right)
            lk = .bool
        }
        return (left, lk)
    }

    private mutating func andExpr() throws(TxExpressionError) -> (TxExpression, Kind) {
        var (left, lk) = try notExpr()
        while peekWord("and") {
            let at = position
            position += 1
            let (right, rk) = try notExpr()
            guard lk == .bool, rk == .bool else { throw TxExpressionError(offset: tokens[at].1, message: "'and' joins true/false conditions, not a \(lk == .bool ? rk.rawValue : lk.rawValue)") }
            left = .and(left, right)
            lk = .bool
        }
        return (left, lk)
    }

    private mutating func notExpr() throws(TxExpressionError) -> (TxExpression, Kind) {
        if peekWord("not") {
            let at = position
            position += 1
            let (e, k) = try notExpr()
            guard k == .bool else { throw TxExpressionError(offset: tokens[at].1, message: "'not' applies to a true/false condition, not a \(k.rawValue)") }
            return (.not(e), .bool)
        }
        return try comparison()
    }

    private mutating func comparison() throws(TxExpressionError) -> (TxExpression, Kind) {
        let (left, lk) = try additive()
        if case let .op(o) = tokens[position].0, let cmp = TxExpression.Comparison(rawValue: o) {
            let at = tokens[position].1
            position += 1
            let (right, rk) = try additive()
            guard lk == rk else {
                throw TxExpressionError(offset: at, message: "cannot compare a \(lk.rawValue) with a \(rk.rawValue)")
            }
            if lk != .number && cmp != .eq && cmp != .ne {
                throw TxExpressionError(offset: at, message: "'\(o)' compares numbers; \(lk.rawValue)s take == or !=")
            }
            return (.compare(left, cmp, right), .bool)
        }
        if peekWord("in") {
            let at = tokens[position].1
            position += 1
            guard case .op("[") = tokens[position].0 else { throw error("'in' takes a list in brackets, e.g. type in [\"purchase\", \"decline\"]") }
            position += 1
            var items: [TxExpression] = []
            while true {
                if case .op("]") = tokens[position].0, items.isEmpty { break }
                let (item, k) = try additive()
                guard k == lk else { throw TxExpressionError(offset: at, message: "the list holds a \(k.rawValue), but the left side is a \(lk.rawValue)") }
                items.append(item)
                if case .op(",") = tokens[position].0 { position += 1; continue }
                break
            }
            guard case .op("]") = tokens[position].0 else { throw error("expected ',' or ']' in the list") }
            position += 1
            return (.inList(left, items), .bool)
        }
        return (left, lk)
    }

    private mutating func additive() throws(TxExpressionError) -> (TxExpression, Kind) {
        var (left, lk) = try multiplicative()
        while case let .op(o) = tokens[position].0, o == "+" || o == "-" {
            let at = tokens[position].1
            position += 1
            let (right, rk) = try multiplicative()
            guard lk == .number, rk == .number else { throw TxExpressionError(offset: at, message: "'\(o)' works on numbers") }
            left = .arithmetic(left, o == "+" ? .add : .sub, right)
        }
        return (left, lk)
    }

    private mutating func multiplicative() throws(TxExpressionError) -> (TxExpression, Kind) {
        var (left, lk) = try unary()
        while case let .op(o) = tokens[position].0, o == "*" || o == "/" {
            let at = tokens[position].1
            position += 1
            let (right, rk) = try unary()
            guard lk == .number, rk == .number else { throw TxExpressionError(offset: at, message: "'\(o)' works on numbers") }
            left = .arithmetic(left, o == "*" ? .mul : .div, right)
        }
        return (left, lk)
    }

    private mutating func unary() throws(TxExpressionError) -> (TxExpression, Kind) {
        if case .op("-") = tokens[position].0 {
            position += 1
            let (e, k) = try unary()
            guard k == .number else { throw error("'-' works on numbers") }
            return (.negate(e), .number)
        }
        return try primary()
    }

    static let numberFields: Set<TxField> = [.coins, .amount, .timestamp]
    /// The fields aggregates can group by or count distinct values of (interned by the engine).
    static let keyFields: [TxField] = [.account, .recipient, .instrument, .ip, .device, .country, .currency, .paymentMethod]

    private mutating func primary() throws(TxExpressionError) -> (TxExpression, Kind) {
        let (token, at) = tokens[position]
        switch token {
        case let .number(v):
            position += 1
            return (.number(v), .number)
        case let .duration(d):
            position += 1
            return (.number(Double(d)), .number)
        case let .string(s):
            position += 1
            return (.string(s), .string)
        case .op("("):
            position += 1
            let inner = try orExpr()
            guard case .op(")") = tokens[position].0 else { throw error("expected ')'") }
            position += 1
            return inner
        case let .name(n):
            position += 1
            if case .op("(") = tokens[position].0 { return try call(n, at: at) }
            switch n {
            case "true": return (.bool(true), .bool)
            case "false": return (.bool(false), .bool)
            case "account_age": return (.accountAge, .number)
            default: break
            }
            guard let field = TxField(name: n) else {
                var message = "unknown name '\(n)'"
                let names = TxField.allCases.map(\.name) + ["account_age", "count", "sum", "distinct"]
                if let guess = closestMatch(to: n, in: names) { message += " (did you mean '\(guess)'?)" }
                throw TxExpressionError(offset: at, message: message + "; the fields are \(TxField.allCases.map(\.name).joined(separator: ", ")), and account_age")
            }
            return (.field(field), Self.numberFields.contains(field) ? .number : .string)
        default:
            throw error("expected a value, a field or '(' but found \(describe(token))")
        }
    }

    private mutating func call(_ name: String, at: Int) throws(TxExpressionError) -> (TxExpression, Kind) {
        guard let function = TxAggregate.Function(rawValue: name) else {
            throw TxExpressionError(offset: at, message: "unknown function '\(name)'; the functions are count(KEY, WINDOW), sum(FIELD, KEY, WINDOW), distinct(FIELD, KEY, WINDOW), each with optional type names after")
        }
        position += 1  // '('
        var args: [(Token, Int)] = []
        while true {
            if case .op(")") = tokens[position].0 { break }
            args.append(tokens[position])
            position += 1
            if case .op(",") = tokens[position].0 { position += 1; continue }
            guard case .op(")") = tokens[position].0 else { throw error("expected ',' or ')' in \(name)(...); arguments are field names, a duration and type names") }
        }
        let close = tokens[position].1
        position += 1
        let usage: String = switch function {
        case .count: "count(KEY, WINDOW [, \"type\"...]), e.g. count(account, 1h, \"purchase\")"
        case .sum: "sum(FIELD, KEY, WINDOW [, \"type\"...]), e.g. sum(amount, instrument, 24h, \"purchase\")"
        case .distinct: "distinct(FIELD, KEY, WINDOW [, \"type\"...]), e.g. distinct(instrument, account, 24h)"
        }
        var k = 0
        func fieldArg() throws(TxExpressionError) -> TxField {
            guard k < args.count, case let .name(n) = args[k].0, let f = TxField(name: n) else {
                throw TxExpressionError(offset: k < args.count ? args[k].1 : close, message: "expected a field name; \(usage)")
            }
            k += 1
            return f
        }
        var field: TxField?
        if function != .count {
            let f = try fieldArg()
            if function == .sum && f != .coins && f != .amount {
                throw TxExpressionError(offset: args[k - 1].1, message: "sum() adds coins or amount, not \(f.name)")
            }
            field = f
        }
        if let field, function == .distinct, !Self.keyFields.contains(field) {
            throw TxExpressionError(offset: args[k - 1].1, message: "distinct() counts values of \(Self.keyFields.map(\.name).joined(separator: ", ")), not \(field.name)")
        }
        let key = try fieldArg()
        guard Self.keyFields.contains(key) else {
            throw TxExpressionError(offset: args[k - 1].1, message: "aggregates group by \(Self.keyFields.map(\.name).joined(separator: ", ")), not \(key.name)")
        }
        guard k < args.count, case let .duration(window) = args[k].0, window > 0 else {
            throw TxExpressionError(offset: k < args.count ? args[k].1 : close, message: "expected a window such as 10m, 24h or 30d; \(usage)")
        }
        k += 1
        var types: [TxType] = []
        while k < args.count {
            guard case let .string(s) = args[k].0, let t = TxType.allCases.first(where: { $0.name == s }) else {
                throw TxExpressionError(offset: args[k].1, message: "expected a type name in quotes (\(TxType.allCases.map { "\"\($0.name)\"" }.joined(separator: ", "))); \(usage)")
            }
            types.append(t)
            k += 1
        }
        let aggregate = TxAggregate(function: function, field: field, key: key, window: window, types: types)
        if let i = aggregates.firstIndex(of: aggregate) { return (.aggregate(i), .number) }
        aggregates.append(aggregate)
        return (.aggregate(aggregates.count - 1), .number)
    }
}
