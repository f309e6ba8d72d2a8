/// Parses PCRE2 pattern syntax into the `RegexNode` tree that literal extraction needs.
///
/// It follows PCRE2 10.42: inline flags (`(?i)`, `(?-i)`, `(?i:...)`, `(?x)` and their scope
/// rules: a flag set inside a group lasts to the end of the group, across `|`), every group
/// kind, alternation, classes (ranges, escapes, POSIX names), escapes, `\Q..\E`, quantifiers
/// (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, lazy and possessive), anchors and `\b`.
/// What it does not model (recursion, conditionals, callouts, backtracking verbs, `(?xx)`)
/// throws `UnsupportedSyntax`: the pattern then runs on every record. Never wrong, only slower.
struct PatternParser {
    let s: [Unicode.Scalar]
    var i = 0
    private static let maxDepth = 200
    /// A class larger than this (after case expansion) is treated as "any character".
    static let maxClassSize = 32
    /// Up to this many members a class is enumerated into a `.wideClass` byte set.
    static let maxWideClassSize = 4096

    struct Flags {
        var caseless: Bool
        var extended = false
        var dotAll = false
    }
    var flags: Flags
    /// Why the pattern may behave differently on a buffer of lines than on each line alone
    /// (it can match `\n`, or anchors to the subject), or nil when it is line-safe: compiled
    /// with PCRE2_MULTILINE it then matches a buffer exactly where it matches its lines.
    var lineUnsafe: String?

    mutating func unsafeForLines(_ why: String) {
        if lineUnsafe == nil { lineUnsafe = why }
    }
    /// Set while parsing one atom that can match `\n` (`\s`, `[^x]`, `\p{..}`, `.` under (?s)).
    var atomMatchesNewline = false
    /// Scalar ranges of such atoms. In the buffer variant each is wrapped as `(?:(?!\n)ATOM)`:
    /// on a line (which has no `\n`) that changes nothing; on a buffer it keeps matches inside lines.
    var newlineAtoms: [Range<Int>] = []

    /// The pattern rewritten so that no atom can match `\n` (see `newlineAtoms`).
    var lineBoundedPattern: String {
        var out = s
        for r in newlineAtoms.reversed() {
            out.insert(")", at: r.upperBound)
            out.insert(contentsOf: "(?:(?!\\n)".unicodeScalars, at: r.lowerBound)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: out)
        return String(view)
    }

    init(_ pattern: String, caseless: Bool) {
        s = Array(pattern.unicodeScalars)
        flags = Flags(caseless: caseless)
    }

    static func parse(_ pattern: String, caseless: Bool) throws(UnsupportedSyntax) -> RegexNode {
        try parseWithLineSafety(pattern, caseless: caseless).node
    }

    /// The tree, and why the pattern is not line-safe (nil when it is).
    /// The tree; the pattern to run over whole buffers with PCRE2_MULTILINE (equivalent to the
    /// pattern on each line alone), or why there is none.
    static func parseWithLineSafety(_ pattern: String, caseless: Bool) throws(UnsupportedSyntax)
        -> (node: RegexNode, bufferPattern: Result<String, UnsupportedSyntax>)
    {
        var p = PatternParser(pattern, caseless: caseless)
        if p.s.starts(with: Array("(*".unicodeScalars)) {
            throw p.unsupported("a leading (*VERB) option")
        }
        let node = try p.alternation(depth: 0)
        if p.i < p.s.count { throw p.unsupported("an unmatched ')'") }
        if let why = p.lineUnsafe { return (node, .failure(UnsupportedSyntax(reason: why, offset: 0))) }
        return (node, .success(p.lineBoundedPattern))
    }

    func unsupported(_ what: String) -> UnsupportedSyntax {
        UnsupportedSyntax(reason: "\(what) is not understood by the literal prefilter", offset: i)
    }

    var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }
    func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
    func lookingAt(_ text: String) -> Bool {
        var k = i
        for c in text.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    private mutating func alternation(depth: Int) throws(UnsupportedSyntax) -> RegexNode {
        guard depth < Self.maxDepth else { throw unsupported("nesting deeper than \(Self.maxDepth) groups") }
        var branches = [try concatenation(depth: depth)]
        while peek == "|" {
            i += 1
            branches.append(try concatenation(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation(depth: Int) throws(UnsupportedSyntax) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek {
            if flags.extended {
                if c.properties.isPatternWhitespace { i += 1; continue }
                if c == "#" {
                    while let d = peek, d != "\n" { i += 1 }
                    continue
                }
            }
            if c == "|" || c == ")" { break }
            let atomStart = i
            atomMatchesNewline = false
            var atom: RegexNode
            switch c {
            case "(":
                guard let group = try group(depth: depth) else { continue }
                atom = group
            case "[":
                atom = try characterClass()
            case ".":
                i += 1
                if flags.dotAll { atomMatchesNewline = true }
                atom = .anyChars
            case "^", "$":
                i += 1
                atom = .empty
            case "\\":
                atom = try escape()
            case "*", "+", "?":
                throw unsupported("a quantifier with nothing to repeat")
            case "{" where peek(1) == ",":
                throw unsupported("'{,' (text in PCRE2 10.42, a quantifier from 10.43)")
            case "{" where quantifierBounds() != nil:
                throw unsupported("a quantifier with nothing to repeat")
            default:
                i += 1
                if c == "\n" { atomMatchesNewline = true }
                atom = literal(c)
            }
            if atomMatchesNewline && c != "(" { newlineAtoms.append(atomStart..<i) }
            atomMatchesNewline = false
            atom = try quantified(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .concat(items)
    }

    func literal(_ c: Unicode.Scalar) -> RegexNode {
        flags.caseless ? .chars(CaseOrbits.orbit(of: c)) : .chars([c])
    }

    /// `{n}`, `{n,}` or `{n,m}` at `i` (PCRE2 10.42 syntax; anything else is a literal `{`).
    private func quantifierBounds() -> (min: Int, max: Int?, length: Int)? {
        guard peek == "{" else { return nil }
        var k = i + 1
        func number() -> Int? {
            var value = 0
            var digits = 0
            while k < s.count, ("0"..."9").contains(s[k]) {
                value = min(value * 10 + Int(s[k].value - 0x30), 1_000_000)
                digits += 1
                k += 1
            }
            return digits > 0 ? value : nil
        }
        guard let low = number() else { return nil }
        if k < s.count, s[k] == "}" { return (low, low, k + 1 - i) }
        guard k < s.count, s[k] == "," else { return nil }
        k += 1
        if k < s.count, s[k] == "}" { return (low, nil, k + 1 - i) }
        guard let high = number(), k < s.count, s[k] == "}" else { return nil }
        return (low, high, k + 1 - i)
    }

    private mutating func quantified(_ atom: RegexNode) throws(UnsupportedSyntax) -> RegexNode {
        var node = atom
        while let c = peek {
            var bounds: (Int, Int?)
            switch c {
            case "*": bounds = (0, nil); i += 1
            case "+": bounds = (1, nil); i += 1
            case "?": bounds = (0, 1); i += 1
            case "{":
                if peek(1) == "," { throw unsupported("'{,' (text in PCRE2 10.42, a quantifier from 10.43)") }
                guard let q = quantifierBounds() else { return node }
                if let max = q.max, max < q.min { throw unsupported("a {n,m} quantifier with m < n") }
                bounds = (q.min, q.max)
                i += q.length
            default:
                return node
            }
            if peek == "?" || peek == "+" { i += 1 }  // lazy or possessive: same language
            node = .repeated(node, min: bounds.0, max: bounds.1)
            if flags.extended {
                while let w = peek, w.properties.isPatternWhitespace { i += 1 }
            }
        }
        return node
    }

    /// A group at `i` (which is `(`); nil for groups that only set flags or are comments.
    private mutating func group(depth: Int) throws(UnsupportedSyntax) -> RegexNode? {
        let start = i
        i += 1
        if peek == "*" { throw unsupported("a (*VERB)") }
        guard peek == "?" else { return try groupBody(depth: depth, scoped: true) }
        i += 1
        guard let c = peek else { throw unsupported("an unterminated group") }
        switch c {
        case "#":
            while let d = peek, d != ")" { i += 1 }
            guard peek == ")" else { throw unsupported("an unterminated comment") }
            i += 1
            return nil
        case ":", ">", "|":
            i += 1
            return try groupBody(depth: depth, scoped: true)
        case "=", "!":
            i += 1
            _ = try groupBody(depth: depth, scoped: true)
            return .empty  // lookahead: consumes nothing
        case "<" where peek(1) == "=" || peek(1) == "!":
            i += 2
            _ = try groupBody(depth: depth, scoped: true)
            return .empty  // lookbehind
        case "<", "'":
            try skipName(until: c == "<" ? ">" : "'")
            return try groupBody(depth: depth, scoped: true)
        case "P":
            if peek(1) == "<" {
                i += 1
                try skipName(until: ">")
                return try groupBody(depth: depth, scoped: true)
            }
            if peek(1) == "=" {  // (?P=name) backreference
                i += 1
                try skipName(until: ")")
                return .anyChars
            }
            throw unsupported("a (?P> subroutine call")
        case "(":
            throw unsupported("a conditional group")
        case "C":
            throw unsupported("a callout")
        case "R", "&", "+", "0"..."9":
            throw unsupported("recursion or a subroutine call")
        case "-" where peek(1).map({ ("0"..."9").contains($0) }) ?? false:
            throw unsupported("a relative subroutine call")
        default:
            // Option letters: (?imnsxUJ-imnsx) or (?^...) then ')' or ':'.
            var set = true
            var newFlags = flags
            while let f = peek, f != ")" && f != ":" {
                switch f {
                case "-": set = false
                case "^":
                    newFlags.caseless = false
                    newFlags.extended = false
                    newFlags.dotAll = false
                    unsafeForLines("(?^) turns off multi-line mode")
                case "i": newFlags.caseless = set
                case "s": newFlags.dotAll = set
                case "m" where !set: unsafeForLines("(?-m) turns off multi-line mode")
                case "x":
                    if peek(1) == "x" { throw unsupported("the (?xx) option") }
                    newFlags.extended = set
                case "m", "n", "U", "J": break
                default:
                    i = start
                    throw unsupported("the group syntax '(?\(f)'")
                }
                i += 1
            }
            guard let end = peek else { throw unsupported("an unterminated option group") }
            i += 1
            if end == ")" {
                flags = newFlags  // lasts to the end of the enclosing group
                return nil
            }
            let outer = flags
            flags = newFlags
            defer { flags = outer }
            let body = try alternation(depth: depth + 1)
            guard peek == ")" else { throw unsupported("a missing ')'") }
            i += 1
            return body
        }
    }

    mutating func skipName(until end: Unicode.Scalar) throws(UnsupportedSyntax) {
        i += 1
        while let c = peek, c != end { i += 1 }
        guard peek == end else { throw unsupported("an unterminated group name") }
        i += 1
    }

    /// The rest of a group up to its `)`; flags set inside do not leak out.
    private mutating func groupBody(depth: Int, scoped: Bool) throws(UnsupportedSyntax) -> RegexNode {
        let outer = flags
        defer { flags = outer }
        let body = try alternation(depth: depth + 1)
        guard peek == ")" else { throw unsupported("a missing ')'") }
        i += 1
        return body
    }
}
