/// Escapes: `\d`, `\x{..}`, `\Q..\E`, backreferences, anchors.
extension PatternParser {
    enum Escaped {
        case char(Unicode.Scalar)
        case node(RegexNode)
    }

    /// What `\s` matches under UTF + UCP in PCRE2 10.42: tab to carriage return, space, U+0085,
    /// U+00A0, U+1680, U+180E, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 (26).
    /// Enumerated, `c\s[o0]` gives atoms ("c o", ...) where "any character" gave none; a test
    /// checks the list against PCRE2 itself over every scalar.
    static let whitespace: [Unicode.Scalar] = {
        let values: [UInt32] = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x180E]
            + Array(0x2000...0x200A) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
        return values.map { Unicode.Scalar($0)! }
    }()

    mutating func escape() throws(UnsupportedSyntax) -> RegexNode {
        let quoted = lookingAt("\\Q")
        let node = try escapeNode()
        if case let .chars(cs) = node, cs.contains("\n") { atomMatchesNewline = true }
        if quoted && atomMatchesNewline { unsafeForLines("a newline inside \\Q...\\E") }
        return node
    }

    mutating func escapeNode() throws(UnsupportedSyntax) -> RegexNode {
        if lookingAt("\\Q") {
            i += 2
            var items: [RegexNode] = []
            while i < s.count && !lookingAt("\\E") {
                items.append(literal(s[i]))
                i += 1
            }
            if lookingAt("\\E") { i += 2 }
            if items.isEmpty { return .empty }
            return items.count == 1 ? items[0] : .concat(items)
        }
        switch try escapeItem(inClass: false) {
        case let .char(c): return literal(c)
        case let .node(n): return n
        }
    }

    /// One escape at `i` (which is `\`).
    mutating func escapeItem(inClass: Bool) throws(UnsupportedSyntax) -> Escaped {
        i += 1
        guard let c = peek else { throw unsupported("a '\\' at the end") }
        i += 1
        switch c {
        case "d", "w", "S", "h", "V":
            return .node(.anyChars)
        case "s":
            atomMatchesNewline = true
            return .node(inClass ? .anyChars : .chars(Self.whitespace))
        case "D", "W", "H", "v":
            atomMatchesNewline = true
            return .node(.anyChars)
        case "R", "X", "C":
            unsafeForLines("'\\\(c)' can match a line end with what precedes it")
            return .node(.anyChars)
        case "p", "P":
            atomMatchesNewline = true
            if peek == "{" {
                while let d = peek, d != "}" { i += 1 }
                guard peek == "}" else { throw unsupported("an unterminated \\p{...}") }
                i += 1
            } else if peek != nil {
                i += 1
            }
            return .node(.anyChars)
        case "b" where inClass: return .char("\u{08}")
        case "b", "B", "A", "z", "Z", "G", "K":
            if inClass { throw unsupported("'\\\(c)' inside a class") }
            if c == "A" || c == "z" || c == "Z" || c == "G" { unsafeForLines("'\\\(c)' anchors to the whole subject") }
            return .node(.empty)
        case "E": return .node(.empty)
        case "a": return .char("\u{07}")
        case "e": return .char("\u{1B}")
        case "f": return .char("\u{0C}")
        case "n": return .char("\n")
        case "r": return .char("\r")
        case "t": return .char("\t")
        case "c":
            guard let x = peek, x.isASCII else { throw unsupported("a '\\c' without a character") }
            i += 1
            let upper = x.value >= 0x61 && x.value <= 0x7A ? x.value - 0x20 : x.value
            return .char(Unicode.Scalar(upper ^ 0x40)!)
        case "x":
            if peek == "{" {
                return .char(try braced(radix: 16))
            }
            var value: UInt32 = 0
            var n = 0
            while n < 2, let d = peek, let v = hexValue(d) {
                value = value * 16 + v
                n += 1
                i += 1
            }
            return .char(Unicode.Scalar(value) ?? "\u{0}")
        case "o":
            guard peek == "{" else { throw unsupported("a '\\o' without braces") }
            return .char(try braced(radix: 8))
        case "0":
            var value: UInt32 = 0
            var n = 0
            while n < 2, let d = peek, ("0"..."7").contains(d) {
                value = value * 8 + (d.value - 0x30)
                n += 1
                i += 1
            }
            return .char(Unicode.Scalar(value)!)
        case "1"..."9":
            // A backreference (or, in odd cases, an octal character): either way some text.
            while let d = peek, ("0"..."9").contains(d) { i += 1 }
            if inClass { throw unsupported("a digit escape inside a class") }
            return .node(.anyChars)
        case "g":
            if peek == "<" || peek == "'" { throw unsupported("a \\g subroutine call") }
            if peek == "{" {
                while let d = peek, d != "}" { i += 1 }
                guard peek == "}" else { throw unsupported("an unterminated \\g{...}") }
                i += 1
            } else {
                if peek == "-" || peek == "+" { i += 1 }
                while let d = peek, ("0"..."9").contains(d) { i += 1 }
            }
            return .node(.anyChars)
        case "k":
            guard let open = peek, open == "<" || open == "'" || open == "{" else { throw unsupported("a '\\k' without a name") }
            try skipName(until: open == "<" ? ">" : open == "{" ? "}" : "'")
            return .node(.anyChars)
        case "N":
            if lookingAt("{U+") {
                i += 3
                var value: UInt32 = 0
                while let d = peek, let v = hexValue(d) { value = value &* 16 &+ v; i += 1 }
                guard peek == "}", let scalar = Unicode.Scalar(value) else { throw unsupported("a bad \\N{U+...}") }
                i += 1
                return .char(scalar)
            }
            return .node(.anyChars)
        default:
            if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                throw unsupported("the escape '\\\(c)'")
            }
            return .char(c)
        }
    }

    func hexValue(_ d: Unicode.Scalar) -> UInt32? {
        switch d {
        case "0"..."9": return d.value - 0x30
        case "a"..."f": return d.value - 0x61 + 10
        case "A"..."F": return d.value - 0x41 + 10
        default: return nil
        }
    }

    mutating func braced(radix: UInt32) throws(UnsupportedSyntax) -> Unicode.Scalar {
        i += 1
        var value: UInt32 = 0
        while let d = peek, d != "}" {
            guard let v = hexValue(d), v < radix else { throw unsupported("a bad digit in an escape") }
            value = min(value &* radix &+ v, 0x110000)
            i += 1
        }
        guard peek == "}", let scalar = Unicode.Scalar(value) else { throw unsupported("a bad character escape") }
        i += 1
        return scalar
    }
}
