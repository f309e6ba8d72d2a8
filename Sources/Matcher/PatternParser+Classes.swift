/// Character classes: `[a-z]`, `[^x]`, POSIX names, escapes inside classes, case orbits.
extension PatternParser {
    mutating func characterClass() throws(UnsupportedSyntax) -> RegexNode {
        i += 1
        var negated = false
        if peek == "^" { negated = true; i += 1 }
        var big = false
        var members: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek else { throw unsupported("an unterminated class") }
            if c == "]" && !first { i += 1; break }
            first = false
            if lookingAt("[:") {
                guard let close = (i..<s.count).first(where: { s[$0] == "]" && $0 > i + 1 && s[$0 - 1] == ":" }) else {
                    throw unsupported("an unterminated POSIX class")
                }
                i = close + 1
                big = true
                atomMatchesNewline = true  // a POSIX class may include a newline
                continue
            }
            if lookingAt("\\Q") {
                i += 2
                while i < s.count && !lookingAt("\\E") {
                    members.append(s[i].value...s[i].value)
                    i += 1
                }
                if lookingAt("\\E") { i += 2 }
                continue
            }
            var low: Unicode.Scalar
            if c == "\\" {
                switch try escapeItem(inClass: true) {
                case let .char(x): low = x
                case .node(.empty): continue
                case .node: big = true; continue
                }
            } else {
                low = c
                i += 1
            }
            // A range low-high, unless '-' is last or the end is a class escape.
            if peek == "-", let next = peek(1), next != "]" {
                let save = i
                i += 1
                var high: Unicode.Scalar?
                if next == "\\" {
                    if case let .char(x) = try escapeItem(inClass: true) { high = x }
                } else if lookingAt("[:") {
                    high = nil
                } else {
                    high = next
                    i += 1
                }
                if let high {
                    guard high.value >= low.value else { throw unsupported("a reversed range in a class") }
                    members.append(low.value...high.value)
                    continue
                }
                i = save  // '-' is a literal; the class escape follows
                members.append(low.value...low.value)
                continue
            }
            members.append(low.value...low.value)
        }
        if negated || members.contains(where: { $0.contains(0x0A) }) { atomMatchesNewline = true }
        if negated || big { return .anyChars }
        var scalars: [Unicode.Scalar] = []
        var seen: Set<UInt32> = []
        for range in members {
            if range.count > Self.maxWideClassSize { return .anyChars }
            for v in range {
                guard let scalar = Unicode.Scalar(v) else { continue }
                for x in flags.caseless ? CaseOrbits.orbit(of: scalar) : [scalar] where seen.insert(x.value).inserted {
                    scalars.append(x)
                }
                if scalars.count > Self.maxWideClassSize { return .anyChars }
            }
        }
        if scalars.isEmpty { return .anyChars }
        if scalars.count > Self.maxClassSize {
            let (bytes, shortest) = ByteSet.of(scalars)
            return .wideClass(bytes, minBytes: shortest)
        }
        return .chars(scalars)
    }
}
