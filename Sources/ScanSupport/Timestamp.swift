/// Event times as exports write them, read into milliseconds since the Unix epoch (UTC).
///
/// Accepted: ISO-8601 / RFC 3339 date-times (`2026-03-01T12:00:05Z`, `2026-03-01 12:00:05.250+02:00`,
/// `2026-03-01T12:00`, a bare date `2026-03-01`; no zone means UTC), and epoch numbers, whose
/// unit is read from their size: up to 11 digits seconds, up to 14 milliseconds, up to 17
/// microseconds, else nanoseconds (a fraction is allowed on seconds: `1772366405.25`).
public enum Timestamp {
    /// The time in `text`, or why it is not one.
    public static func parse(_ text: UnsafeRawBufferPointer) -> Result<Int64, TimestampError> {
        guard !text.isEmpty else { return .failure(TimestampError("empty timestamp")) }
        var allDigits = true
        var dots = 0
        for b in text {
            if b == UInt8(ascii: ".") { dots += 1 } else if b < 0x30 || b > 0x39 { allDigits = false; break }
        }
        if allDigits && dots <= 1 { return epoch(text) }
        return iso(text)
    }

    public static func parse(_ text: String) -> Result<Int64, TimestampError> {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    private static func epoch(_ text: UnsafeRawBufferPointer) -> Result<Int64, TimestampError> {
        var whole: Int64 = 0
        var digits = 0
        var i = 0
        while i < text.count, text[i] != UInt8(ascii: ".") {
            let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(text[i] - 0x30))
            guard !o1, !o2 else { return .failure(TimestampError("epoch number too large")) }
            whole = next
            digits += 1
            i += 1
        }
        guard digits > 0 else { return .failure(TimestampError("expected digits before '.'")) }
        var fractionMs: Int64 = 0
        if i < text.count {
            guard digits <= 11 else { return .failure(TimestampError("a fraction is only read on epoch seconds")) }
            var scale: Int64 = 100
            i += 1
            while i < text.count {
                fractionMs += Int64(text[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        switch digits {
        case ...11: return .success(whole * 1000 + fractionMs)
        case ...14: return .success(whole)
        case ...17: return .success(whole / 1000)
        default: return .success(whole / 1_000_000)
        }
    }

    /// A cursor over the text (a struct with mutating methods: nested functions capturing a
    /// local index would cost a dynamic exclusivity check per call).
    private struct Cursor {
        let t: UnsafeRawBufferPointer
        var i = 0
        var atEnd: Bool { i == t.count }

        mutating func number(_ n: Int) -> Int64? {
            guard i + n <= t.count else { return nil }
            var v: Int64 = 0
            for k in i..<i + n {
                let b = t[k]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int64(b - 0x30)
            }
            i += n
            return v
        }

        mutating func expect(_ c: UInt8) -> Bool {
            guard i < t.count, t[i] == c else { return false }
            i += 1
            return true
        }
    }

    private static func iso(_ t: UnsafeRawBufferPointer) -> Result<Int64, TimestampError> {
        var c = Cursor(t: t)
        let shape = "use ISO-8601 like 2026-03-01T12:00:05Z, or epoch seconds/milliseconds"
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
        guard let year = c.number(4), c.expect(dash), let month = c.number(2), c.expect(dash), let day = c.number(2) else {
            return .failure(TimestampError("not a date-time: \(shape)"))
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
            return .failure(TimestampError("no such date \(year)-\(month)-\(day)"))
        }
        var ms = daysFromCivil(year, month, day) * 86_400_000
        if c.atEnd { return .success(ms) }
        guard c.expect(UInt8(ascii: "T")) || c.expect(UInt8(ascii: "t")) || c.expect(UInt8(ascii: " ")) else {
            return .failure(TimestampError("expected 'T' between date and time: \(shape)"))
        }
        guard let hour = c.number(2), c.expect(colon), let minute = c.number(2), hour < 24, minute < 60 else {
            return .failure(TimestampError("bad time of day: \(shape)"))
        }
        ms += (hour * 3600 + minute * 60) * 1000
        if c.expect(colon) {
            guard let second = c.number(2), second <= 60 else { return .failure(TimestampError("bad seconds: \(shape)")) }
            ms += second * 1000
            if c.expect(UInt8(ascii: ".")) || c.expect(UInt8(ascii: ",")) {
                var scale: Int64 = 100
                var any = false
                while c.i < t.count, t[c.i] >= 0x30 && t[c.i] <= 0x39 {
                    ms += Int64(t[c.i] - 0x30) * scale
                    scale /= 10
                    any = true
                    c.i += 1
                }
                guard any else { return .failure(TimestampError("expected digits after the decimal point")) }
            }
        }
        if c.atEnd { return .success(ms) }
        if c.expect(UInt8(ascii: "Z")) || c.expect(UInt8(ascii: "z")) {
            return c.atEnd ? .success(ms) : .failure(TimestampError("unexpected text after 'Z'"))
        }
        let sign: Int64
        if c.expect(UInt8(ascii: "+")) { sign = 1 } else if c.expect(dash) { sign = -1 } else {
            return .failure(TimestampError("unexpected text after the time: \(shape)"))
        }
        guard let oh = c.number(2) else { return .failure(TimestampError("bad zone offset; use Z, +HH:MM or +HHMM")) }
        _ = c.expect(colon)
        let om = c.atEnd ? 0 : c.number(2)
        guard let om, c.atEnd, oh < 24, om < 60 else {
            return .failure(TimestampError("bad zone offset; use Z, +HH:MM or +HHMM"))
        }
        return .success(ms - sign * (oh * 3600 + om * 60) * 1000)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `2026-03-01T12:00:05Z` (with `.250` when there are milliseconds).
    public static func format(_ ms: Int64) -> String {
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let inDay = ms - days * 86_400_000
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let s = inDay / 1000
        var out = "\(y)-\(two(m))-\(two(d))T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
        if inDay % 1000 != 0 {
            let f = inDay % 1000
            out += "." + (f < 10 ? "00" : f < 100 ? "0" : "") + "\(f)"
        }
        return out + "Z"
    }
}

public struct TimestampError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    package init(_ description: String) { self.description = description }
}

/// Durations as rules write them: `90s`, `10m`, `1h`, `30d`, `2w` (milliseconds).
public enum TxDuration {
    public static func parse(_ text: String) -> Int64? {
        guard let unit = text.last, let n = Int64(text.dropLast()), n >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        case "w": scale = 7 * 86_400_000
        default: return nil
        }
        let (ms, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow ? nil : ms
    }

    /// The shortest exact form: `30d`, `90m`, `45s`.
    public static func format(_ ms: Int64) -> String {
        if ms % 86_400_000 == 0 && ms > 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 && ms > 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 && ms > 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    /// A human form for evidence: `3d 2h`, `4m 10s`.
    public static func describe(_ ms: Int64) -> String {
        let s = max(ms, 0) / 1000
        if s >= 86_400 { return "\(s / 86_400)d" + (s % 86_400 >= 3600 ? " \(s % 86_400 / 3600)h" : "") }
        if s >= 3600 { return "\(s / 3600)h" + (s % 3600 >= 60 ? " \(s % 3600 / 60)m" : "") }
        if s >= 60 { return "\(s / 60)m" + (s % 60 > 0 ? " \(s % 60)s" : "") }
        return "\(s)s"
    }
}
