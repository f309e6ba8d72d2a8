/// Decodes one UTF-8 scalar at `i` of `bytes`, strictly (no overlongs, no surrogates, <= U+10FFFF).
/// Returns nil for an invalid or truncated sequence: the caller treats that one byte as invalid.
///
/// - Complexity: O(1).
@inline(__always)
package func decodeScalar(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (scalar: Unicode.Scalar, length: Int)? {
    let count = bytes.count
    let b0 = bytes[i]
    if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
    func cont(_ k: Int) -> UInt32? {
        guard i + k < count else { return nil }
        let b = bytes[i + k]
        return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
    }
    if b0 >= 0xC2 && b0 <= 0xDF {
        guard let c1 = cont(1) else { return nil }
        return Unicode.Scalar((UInt32(b0 & 0x1F) << 6) | c1).map { ($0, 2) }
    }
    if b0 >= 0xE0 && b0 <= 0xEF {
        guard let c1 = cont(1), let c2 = cont(2) else { return nil }
        let v = (UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2
        guard v >= 0x800 else { return nil }  // overlong
        return Unicode.Scalar(v).map { ($0, 3) }  // nil for surrogates
    }
    if b0 >= 0xF0 && b0 <= 0xF4 {
        guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return nil }
        let v = (UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
        guard v >= 0x10000 else { return nil }
        return Unicode.Scalar(v).map { ($0, 4) }
    }
    return nil
}

/// Whether every byte is ASCII, eight bytes at a time.
/// - Complexity: O(n), no allocation.
@inline(__always)
package func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    let n = bytes.count
    while i + 8 <= n {
        if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        i += 8
    }
    while i < n {
        if bytes[i] >= 0x80 { return false }
        i += 1
    }
    return true
}

/// Whether `bytes` is valid UTF-8.
public func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    if isASCII(bytes) { return true }
    var i = 0
    while i < bytes.count {
        guard let (_, length) = decodeScalar(bytes, at: i) else { return false }
        i += length
    }
    return true
}

extension Unicode.Scalar {
    /// Appends the UTF-8 encoding of this scalar.
    @inline(__always)
    package func appendUTF8(to out: inout [UInt8]) {
        let v = value
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}

/// Export fields are bytes, and Swift strings hold only valid UTF-8: a byte that is not part of
/// valid UTF-8 is kept as the scalar U+10FF00 + byte (the last 256 code points of Supplementary
/// Private Use Area-B), so that keys stay distinct, text output can show it as `\xHH` as `chat`
/// does, and CSV output can write the byte back. (A genuine U+10FFxx in the input is shown the
/// same way; nothing assigns those code points.)
let rawByteScalarBase: UInt32 = 0x10FF00

/// `bytes` as a string, valid UTF-8 as it is and each invalid byte as U+10FF00 + byte.
/// - Complexity: O(n); ASCII and valid UTF-8 take the fast path.
package func decodePreservingBytes(_ bytes: UnsafeRawBufferPointer) -> String {
    if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
    if let valid = String(validating: bytes, as: UTF8.self) { return valid }
    var scalars = String.UnicodeScalarView()
    var i = 0
    while i < bytes.count {
        if let (scalar, length) = decodeScalar(bytes, at: i) {
            scalars.append(scalar)
            i += length
        } else {
            scalars.append(Unicode.Scalar(rawByteScalarBase + UInt32(bytes[i]))!)
            i += 1
        }
    }
    return String(scalars)
}

/// The byte a scalar from `decodePreservingBytes` stands for, if it stands for one.
@inline(__always)
package func rawByte(_ scalar: Unicode.Scalar) -> UInt8? {
    scalar.value >= rawByteScalarBase ? UInt8(truncatingIfNeeded: scalar.value - rawByteScalarBase) : nil
}

/// The bytes `text` was decoded from by `decodePreservingBytes`.
package func preservedBytes(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        if let b = rawByte(scalar) { out.append(b) } else { out.append(contentsOf: String(scalar).utf8) }
    }
    return out
}
