/// Chat text is hostile: before it reaches a terminal, every byte that could move the cursor,
/// change colours, set the window title, make a link (OSC 8) or reorder text is made visible.
///
/// Escaped: C0 controls and DEL as `\t`, `\n`, `\r`, `\e` or `\xHH`; C1 controls and the bidi
/// controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) as `\u{XXXX}`; bytes that are
/// not valid UTF-8 (and the scalars `decodePreservingBytes` keeps them as) as `\xHH`. Everything else, including emoji and other scripts, is printed.
package func appendTerminalEscaped(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
    var i = 0
    while i < text.count {
        let b = text[i]
        if b >= 0x20 && b < 0x7F {
            out.append(b)
            i += 1
            continue
        }
        guard let (scalar, length) = decodeScalar(text, at: i) else {
            appendHexEscape(b, to: &out)
            i += 1
            continue
        }
        if let raw = rawByte(scalar) {
            // A byte of an export field that was not UTF-8 (see decodePreservingBytes).
            appendHexEscape(raw, to: &out)
        } else if needsTerminalEscape(scalar) {
            switch scalar.value {
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x1B: out += [0x5C, UInt8(ascii: "e")]
            case 0..<0x80: appendHexEscape(UInt8(scalar.value), to: &out)
            default: out += Array("\\u{\(String(scalar.value, radix: 16, uppercase: true))}".utf8)
            }
        } else {
            for k in 0..<length { out.append(text[i + k]) }
        }
        i += length
    }
}

@inline(__always)
func needsTerminalEscape(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0..<0x20, 0x7F, 0x80..<0xA0, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
}

private func appendHexEscape(_ b: UInt8, to out: inout [UInt8]) {
    let hex = Array("0123456789ABCDEF".utf8)
    out += [0x5C, UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)]]
}

/// `text` made safe for a terminal (see `appendTerminalEscaped`).
public func escapeForTerminal(_ text: String) -> String {
    var out: [UInt8] = []
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { appendTerminalEscaped(UnsafeRawBufferPointer($0), to: &out) }
    return String(decoding: out, as: UTF8.self)
}

/// Appends `text` as a JSON string (with quotes), per RFC 8259: `"` and `\` escaped, control
/// characters as `\n`, `\t`, ... or `\u00XX`, DEL and C1 controls and bidi controls as `\uXXXX`
/// too (so `jq` output stays readable); bytes that are not valid UTF-8 (and the scalars
/// `decodePreservingBytes` keeps them as) become U+FFFD.
package func appendJSONString(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var i = 0
    while i < text.count {
        let b = text[i]
        if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C {
            out.append(b)
            i += 1
            continue
        }
        guard let (scalar, length) = decodeScalar(text, at: i) else {
            out += [0xEF, 0xBF, 0xBD]  // U+FFFD
            i += 1
            continue
        }
        switch scalar.value {
        case 0x22: out += [0x5C, 0x22]
        case 0x5C: out += [0x5C, 0x5C]
        case 0x0A: out += [0x5C, UInt8(ascii: "n")]
        case 0x0D: out += [0x5C, UInt8(ascii: "r")]
        case 0x09: out += [0x5C, UInt8(ascii: "t")]
        case rawByteScalarBase...0x10FFFF: out += [0xEF, 0xBF, 0xBD]  // an export byte that was not UTF-8
        default:
            if needsTerminalEscape(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            } else {
                for k in 0..<length { out.append(text[i + k]) }
            }
        }
        i += length
    }
    out.append(UInt8(ascii: "\""))
}

package func appendJSONString(_ text: String, to out: inout [UInt8]) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { appendJSONString(UnsafeRawBufferPointer($0), to: &out) }
}

/// A score as people write it: `8`, `4.5`, `-2`.
public func formatScore(_ score: Double) -> String {
    if score == score.rounded(), abs(score) < 1e15 { return String(Int(score)) }
    var s = String((score * 100).rounded() / 100)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}
