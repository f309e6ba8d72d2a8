import ScanSupport

/// A URL, bare domain or @handle found in a message's folded text.
public struct Link: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case url, domain, handle
    }
    public var kind: Kind
    /// The whole item, as a byte range of the folded text (a URL with its path).
    public var start: Int
    public var end: Int
    /// The host of a URL or domain, or the name of a handle (without `@`), in the folded text.
    public var nameStart: Int
    public var nameEnd: Int
}

/// Finds URLs (`http://`, `https://`), bare domains (labels ending in a known top-level domain,
/// with an optional path) and @handles in folded text, where case is folded and defanged links
/// are already restored. The `@` of an email address is not a handle, and its domain is not a link.
public enum LinkExtractor {
    /// Appends the links of `bytes` to `links`.
    /// - Complexity: O(n); a text without `.` or `@` is one scan.
    public static func extract(_ bytes: [UInt8], into links: inout [Link]) {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            let boundary = i == 0 || !(isWordByte(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: ".")
                                       || bytes[i - 1] == UInt8(ascii: "/") || bytes[i - 1] == UInt8(ascii: "-"))
            if b == UInt8(ascii: "@") && boundary {
                var j = i + 1
                while j < n && (isHandleByte(bytes[j])) { j += 1 }
                while j > i + 1 && bytes[j - 1] == UInt8(ascii: ".") { j -= 1 }
                if j - (i + 1) >= 2 {
                    links.append(Link(kind: .handle, start: i, end: j, nameStart: i + 1, nameEnd: j))
                    i = j
                    continue
                }
            }
            if b == UInt8(ascii: "@") && !boundary {
                // An email address: skip its domain.
                i += 1
                while i < n && (isLabelByte(bytes[i]) || bytes[i] == UInt8(ascii: ".")) { i += 1 }
                continue
            }
            if b == UInt8(ascii: "h") && boundary, let hostStart = schemeEnd(bytes, at: i) {
                var hostEnd = hostStart
                while hostEnd < n && (isLabelByte(bytes[hostEnd]) || bytes[hostEnd] == UInt8(ascii: ".") || bytes[hostEnd] >= 0x80) {
                    hostEnd += 1
                }
                while hostEnd > hostStart && bytes[hostEnd - 1] == UInt8(ascii: ".") { hostEnd -= 1 }
                let end = pathEnd(bytes, from: hostEnd)
                if hostEnd > hostStart {
                    links.append(Link(kind: .url, start: i, end: end, nameStart: hostStart, nameEnd: hostEnd))
                }
                i = max(end, i + 1)
                continue
            }
            if isLabelByte(b) && b != UInt8(ascii: "-") && boundary {
                var j = i
                var dots = 0
                var lastDot = -1
                while j < n && (isLabelByte(bytes[j]) || bytes[j] == UInt8(ascii: ".")) {
                    if bytes[j] == UInt8(ascii: ".") {
                        if j + 1 < n && bytes[j + 1] == UInt8(ascii: ".") { break }  // "..." ends a host
                        dots += 1
                        lastDot = j
                    }
                    j += 1
                }
                var hostEnd = j
                while hostEnd > i && bytes[hostEnd - 1] == UInt8(ascii: ".") {
                    hostEnd -= 1
                    dots -= 1
                    lastDot = -1
                    for k in stride(from: hostEnd - 1, through: i, by: -1) where bytes[k] == UInt8(ascii: ".") {
                        lastDot = k
                        break
                    }
                }
                let nextIsWord = hostEnd < n && (isWordByte(bytes[hostEnd]) || bytes[hostEnd] == UInt8(ascii: "@"))
                if dots >= 1, lastDot > i, !nextIsWord, isTopLevelDomain(bytes, (lastDot + 1)..<hostEnd) {
                    let end = pathEnd(bytes, from: hostEnd)
                    links.append(Link(kind: .domain, start: i, end: end, nameStart: i, nameEnd: hostEnd))
                    i = end
                    continue
                }
                i = max(j, i + 1)
                continue
            }
            i += 1
        }
    }

    /// After `http://` or `https://` at `i`: where the host starts.
    private static func schemeEnd(_ bytes: [UInt8], at i: Int) -> Int? {
        guard i + 7 <= bytes.count, bytes[i] == UInt8(ascii: "h"), bytes[i + 1] == UInt8(ascii: "t"),
              bytes[i + 2] == UInt8(ascii: "t"), bytes[i + 3] == UInt8(ascii: "p") else { return nil }
        var j = i + 4
        if bytes[j] == UInt8(ascii: "s") { j += 1 }
        guard j + 3 <= bytes.count, bytes[j] == UInt8(ascii: ":"), bytes[j + 1] == UInt8(ascii: "/"),
              bytes[j + 2] == UInt8(ascii: "/") else { return nil }
        return j + 3
    }

    /// The end of a path, query or port after a host: up to white space.
    private static func pathEnd(_ bytes: [UInt8], from hostEnd: Int) -> Int {
        guard hostEnd < bytes.count, bytes[hostEnd] == UInt8(ascii: "/") || bytes[hostEnd] == UInt8(ascii: ":")
                || bytes[hostEnd] == UInt8(ascii: "?") else { return hostEnd }
        var end = hostEnd
        while end < bytes.count && bytes[end] > 0x20 && bytes[end] != UInt8(ascii: "\"") && bytes[end] != UInt8(ascii: "<")
                && bytes[end] != UInt8(ascii: ">") { end += 1 }
        // Trailing sentence punctuation is not part of the link.
        while end > hostEnd + 1, let last = Optional(bytes[end - 1]),
              last == UInt8(ascii: ".") || last == UInt8(ascii: ",") || last == UInt8(ascii: "!") || last == UInt8(ascii: ")") {
            end -= 1
        }
        return end
    }
}

@inline(__always)
private func isHandleByte(_ b: UInt8) -> Bool {
    (b &- 0x61) < 26 || (b &- 0x30) < 10 || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b >= 0x80
}
