import ScanSupport

/// A strict RFC 8259 parser for one JSON object per line that pulls out the string fields a chat
/// record needs and validates (but does not build) everything else.
///
/// Decoded values go into one reusable buffer, so parsing a line does not allocate once warm.
/// Lone UTF-16 surrogates in `\u` escapes become U+FFFD; raw bytes that are not valid UTF-8 are
/// kept as they are (the matcher handles them). Errors carry the 1-based byte column.
package struct JSONLineParser {
    /// The decoded values of the wanted fields, as ranges of `storage`.
    package private(set) var storage: [UInt8] = []
    private var keyBuffer: [UInt8] = []
    /// By slot: the value's range in `storage` and the priority of the name it came from.
    private var values: [(range: Range<Int>, priority: Int)?]
    private let wanted: [(name: [UInt8], slot: Int, priority: Int)]
    /// The slot that must be present, and the error when it is not.
    private let required: (slot: Int, message: String)?
    private static let maxDepth = 128

    /// Wants the fields named in `slots`: slot `i` takes the first of `slots[i]` present.
    package init(slots: [[String]], required: (slot: Int, message: String)? = nil) {
        var list: [(name: [UInt8], slot: Int, priority: Int)] = []
        for (slot, names) in slots.enumerated() {
            for (priority, name) in names.enumerated() { list.append((Array(name.utf8), slot, priority)) }
        }
        wanted = list
        values = Array(repeating: nil, count: slots.count)
        self.required = required
    }

    /// Wants the parts of a chat record; the text is required.
    package init(fields: FieldNames) {
        let list = (fields.names[.text] ?? []).map { "'\($0)'" }.joined(separator: " or ")
        self.init(slots: FieldNames.Part.allCases.map { fields.names[$0] ?? [] },
                  required: (FieldNames.Part.allCases.firstIndex(of: .text)!,
                             "no \(list) field with the message; name it with --field text=NAME"))
    }

    /// The range in `storage` of the value of slot `slot`, if the line had it (and it was not null).
    package func value(_ slot: Int) -> Range<Int>? { values[slot]?.range }

    /// The value of a chat record part (slots are in `FieldNames.Part.allCases` order).
    package func value(_ part: FieldNames.Part) -> Range<Int>? {
        let slot = switch part {
        case .text: 0
        case .user: 1
        case .channel: 2
        case .timestamp: 3
        }
        return values[slot]?.range
    }

    /// Every chat part found, with its range (for tests).
    var found: [FieldNames.Part: (range: Range<Int>, priority: Int)] {
        var out: [FieldNames.Part: (range: Range<Int>, priority: Int)] = [:]
        for (i, part) in FieldNames.Part.allCases.enumerated() where i < values.count {
            if let v = values[i] { out[part] = v }
        }
        return out
    }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var i = 0
        /// What running out of bytes is called in messages.
        var endName = "end of line"
        var atEnd: Bool { i >= bytes.count }
        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }
        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
        }
        func fail(_ message: String) -> RecordError { RecordError(column: i + 1, message) }
        func describe() -> String {
            guard let b = peek else { return endName }
            return b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : String(format: b)
        }
        private func String(format b: UInt8) -> Swift.String { "byte 0x" + Swift.String(b, radix: 16, uppercase: true) }
    }

    /// Checks that `bytes` hold exactly one JSON value, laid out in any way (a whole document, not
    /// one line). The error's `column` is the 1-based byte offset of the problem.
    package static func validateDocument(_ bytes: UnsafeRawBufferPointer) throws(RecordError) {
        var c = Cursor(bytes: bytes)
        c.endName = "the end of the file"
        c.skipSpace()
        try skipValue(&c, depth: 0)
        c.skipSpace()
        guard c.atEnd else { throw c.fail("unexpected \(c.describe()) after the JSON value") }
    }

    /// Parses `line`; afterwards `found` maps each part to its decoded value in `storage`.
    package mutating func parse(_ line: UnsafeRawBufferPointer) throws(RecordError) {
        storage.removeAll(keepingCapacity: true)
        for i in values.indices { values[i] = nil }
        var c = Cursor(bytes: line)
        c.skipSpace()
        guard c.peek == UInt8(ascii: "{") else { throw c.fail("expected a JSON object starting with '{', found \(c.describe())") }
        c.i += 1
        c.skipSpace()
        if c.peek == UInt8(ascii: "}") {
            c.i += 1
        } else {
            while true {
                c.skipSpace()
                guard c.peek == UInt8(ascii: "\"") else { throw c.fail("expected a field name in double quotes, found \(c.describe())") }
                keyBuffer.removeAll(keepingCapacity: true)
                try Self.string(&c, into: &keyBuffer)
                c.skipSpace()
                guard c.peek == UInt8(ascii: ":") else { throw c.fail("expected ':' after the field name, found \(c.describe())") }
                c.i += 1
                c.skipSpace()
                if let slot = wanted.first(where: { $0.name == keyBuffer }) {
                    try value(&c, slot: slot.slot, priority: slot.priority)
                } else {
                    try Self.skipValue(&c, depth: 0)
                }
                c.skipSpace()
                if c.peek == UInt8(ascii: ",") { c.i += 1; continue }
                if c.peek == UInt8(ascii: "}") { c.i += 1; break }
                throw c.fail("expected ',' or '}' after a value, found \(c.describe())")
            }
        }
        c.skipSpace()
        guard c.atEnd else { throw c.fail("unexpected \(c.describe()) after the JSON object; one object per line") }
        if let required, values[required.slot] == nil { throw RecordError(column: 1, required.message) }
    }

    private mutating func value(_ c: inout Cursor, slot: Int, priority: Int) throws(RecordError) {
        if let existing = values[slot], existing.priority <= priority {
            try Self.skipValue(&c, depth: 0)
            return
        }
        let start = storage.count
        switch c.peek {
        case UInt8(ascii: "\"")?:
            try Self.string(&c, into: &storage)
        case UInt8(ascii: "n")?:
            try Self.literal(&c, "null")
            return  // null is the same as absent
        case UInt8(ascii: "{")?, UInt8(ascii: "[")?:
            let name = wanted.first { $0.slot == slot && $0.priority == priority }.map { String(decoding: $0.name, as: UTF8.self) } ?? "?"
            throw c.fail("field '\(name)' holds an \(c.peek == UInt8(ascii: "{") ? "object" : "array"), not a string or number; name another field (--field for chat, --map for tx)")
        default:
            // numbers and booleans are kept as written (e.g. a numeric timestamp or user id)
            let tokenStart = c.i
            try Self.skipValue(&c, depth: 0)
            for k in tokenStart..<c.i { storage.append(c.bytes[k]) }
        }
        values[slot] = (start..<storage.count, priority)
    }

    private static func literal(_ c: inout Cursor, _ word: StaticString) throws(RecordError) {
        let w = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for k in 0..<w.count {
            guard c.i + k < c.bytes.count, c.bytes[c.i + k] == w[k] else {
                throw c.fail("invalid literal; expected '\(word)'")
            }
        }
        c.i += w.count
    }

    private static func skipValue(_ c: inout Cursor, depth: Int) throws(RecordError) {
        guard depth < maxDepth else { throw c.fail("nested deeper than \(maxDepth) levels") }
        switch c.peek {
        case UInt8(ascii: "\"")?:
            var sink: [UInt8] = []
            try string(&c, into: &sink, keep: false)
        case UInt8(ascii: "{")?:
            c.i += 1
            c.skipSpace()
            if c.peek == UInt8(ascii: "}") { c.i += 1; return }
            while true {
                c.skipSpace()
                guard c.peek == UInt8(ascii: "\"") else { throw c.fail("expected a field name in double quotes, found \(c.describe())") }
                var sink: [UInt8] = []
                try string(&c, into: &sink, keep: false)
                c.skipSpace()
                guard c.peek == UInt8(ascii: ":") else { throw c.fail("expected ':' after the field name, found \(c.describe())") }
                c.i += 1
                c.skipSpace()
                try skipValue(&c, depth: depth + 1)
                c.skipSpace()
                if c.peek == UInt8(ascii: ",") { c.i += 1; continue }
                if c.peek == UInt8(ascii: "}") { c.i += 1; return }
                throw c.fail("expected ',' or '}' in an object, found \(c.describe())")
            }
        case UInt8(ascii: "[")?:
            c.i += 1
            c.skipSpace()
            if c.peek == UInt8(ascii: "]") { c.i += 1; return }
            while true {
                c.skipSpace()
                try skipValue(&c, depth: depth + 1)
                c.skipSpace()
                if c.peek == UInt8(ascii: ",") { c.i += 1; continue }
                if c.peek == UInt8(ascii: "]") { c.i += 1; return }
                throw c.fail("expected ',' or ']' in an array, found \(c.describe())")
            }
        case UInt8(ascii: "t")?: try literal(&c, "true")
        case UInt8(ascii: "f")?: try literal(&c, "false")
        case UInt8(ascii: "n")?: try literal(&c, "null")
        case let b? where b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39):
            try number(&c)
        default:
            throw c.fail("expected a JSON value, found \(c.describe())")
        }
    }

    private static func number(_ c: inout Cursor) throws(RecordError) {
        func digits(_ c: inout Cursor) -> Int {
            let s = c.i
            while let b = c.peek, b >= 0x30 && b <= 0x39 { c.i += 1 }
            return c.i - s
        }
        if c.peek == UInt8(ascii: "-") { c.i += 1 }
        if c.peek == UInt8(ascii: "0") {
            c.i += 1
        } else if digits(&c) == 0 {
            throw c.fail("invalid number")
        }
        if c.peek == UInt8(ascii: ".") {
            c.i += 1
            guard digits(&c) > 0 else { throw c.fail("invalid number: digits expected after '.'") }
        }
        if c.peek == UInt8(ascii: "e") || c.peek == UInt8(ascii: "E") {
            c.i += 1
            if c.peek == UInt8(ascii: "+") || c.peek == UInt8(ascii: "-") { c.i += 1 }
            guard digits(&c) > 0 else { throw c.fail("invalid number: digits expected in the exponent") }
        }
    }

    /// Decodes a JSON string starting at the opening quote into `out` (when `keep`).
    private static func string(_ c: inout Cursor, into out: inout [UInt8], keep: Bool = true) throws(RecordError) {
        let open = c.i
        c.i += 1
        while true {
            guard let b = c.peek else {
                c.i = open
                throw c.fail("unterminated string (no closing '\"' on this line)")
            }
            c.i += 1
            switch b {
            case UInt8(ascii: "\""):
                return
            case UInt8(ascii: "\\"):
                guard let e = c.peek else { throw c.fail("unterminated escape at end of line") }
                c.i += 1
                var scalar: UInt32
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalar = UInt32(e)
                case UInt8(ascii: "b"): scalar = 0x08
                case UInt8(ascii: "f"): scalar = 0x0C
                case UInt8(ascii: "n"): scalar = 0x0A
                case UInt8(ascii: "r"): scalar = 0x0D
                case UInt8(ascii: "t"): scalar = 0x09
                case UInt8(ascii: "u"):
                    scalar = try hex4(&c)
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        // a high surrogate: combine with a following low one, else U+FFFD
                        var look = c
                        if look.peek == UInt8(ascii: "\\") {
                            look.i += 1
                            if look.peek == UInt8(ascii: "u") {
                                look.i += 1
                                if let low = try? hex4(&look), low >= 0xDC00 && low < 0xE000 {
                                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                                    c = look
                                }
                            }
                        }
                        if scalar < 0x10000 { scalar = 0xFFFD }
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        scalar = 0xFFFD
                    }
                default:
                    c.i -= 2  // point at the backslash
                    throw c.fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
                }
                if keep { Unicode.Scalar(scalar)!.appendUTF8(to: &out) }
            case 0x00..<0x20:
                c.i -= 1
                throw c.fail("control character (0x\(String(b, radix: 16, uppercase: true))) inside a string must be escaped")
            default:
                if keep { out.append(b) }
            }
        }
    }

    private static func hex4(_ c: inout Cursor) throws(RecordError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let b = c.peek else { throw c.fail("\\u needs four hex digits") }
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw c.fail("\\u needs four hex digits")
            }
            v = v << 4 | d
            c.i += 1
        }
        return v
    }
}
