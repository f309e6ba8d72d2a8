import ScanSupport

/// Steps 2-4 of folding: byte passes over the text after the Unicode step (ASCII rewrites; other
/// bytes are copied). Each pass scans without writing until it finds its first change, so text
/// without the trick costs one read.
extension FoldedText {
    // MARK: - Pass plumbing

    /// The raw span of input byte `i` of the current pass.
    @inline(__always)
    func inStart(_ i: Int) -> Int32 { rawStart.isEmpty ? Int32(i) : rawStart[i] }
    @inline(__always)
    func inEnd(_ i: Int) -> Int32 { rawEnd.isEmpty ? Int32(i + 1) : rawEnd[i] }

    /// Starts writing the pass's output with input bytes `0..<upTo` copied unchanged.
    mutating func beginPass(upTo: Int) {
        outBytes.removeAll(keepingCapacity: true)
        outStart.removeAll(keepingCapacity: true)
        outEnd.removeAll(keepingCapacity: true)
        for i in 0..<upTo { copy(i) }
        passBegun = true
    }

    @inline(__always)
    mutating func copy(_ i: Int) {
        outBytes.append(bytes[i])
        outStart.append(inStart(i))
        outEnd.append(inEnd(i))
    }

    /// Writes `b` standing for input bytes `from..<to`.
    @inline(__always)
    mutating func put(_ b: UInt8, from: Int, to: Int) {
        outBytes.append(b)
        outStart.append(inStart(from))
        outEnd.append(inEnd(to - 1))
    }

    /// Makes the pass's output the current text.
    mutating func endPass(_ technique: FoldTechniques) {
        guard passBegun else { return }
        passBegun = false
        swap(&bytes, &outBytes)
        swap(&rawStart, &outStart)
        swap(&rawEnd, &outEnd)
        techniques.insert(technique)
    }

    // MARK: - Step 2: spaced letters

    /// Joins a message spaced out as a whole, in any script: when three quarters of its
    /// space-separated tokens (six or more) are one character each, a single space between two
    /// such characters (an operator such as `=` is not one) is dropped and a wider gap becomes
    /// one space. `п р о д а ю  м о н е т ы` is `продаю монеты`, `t w i t c h . t v / x` is
    /// `twitch.tv/x`; a last character with punctuation after it joins too (`b i t s?` is `bits?`).
    /// Leading and trailing
    /// spaces, and the space next to a longer token (`❤️`, `100`), stay as written.
    /// `joinSpacedLetters` handles a spaced word inside ordinary text, ASCII only.
    /// - Returns: whether it changed the text.
    /// - Complexity: O(n).
    mutating func joinSpacedMessage() -> Bool {
        let n = bytes.count
        /// Whether the token `from..<to` (no spaces) is one UTF-8 character.
        func single(_ from: Int, _ to: Int) -> Bool {
            let lead = bytes[from]
            let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            return to - from == length
        }
        /// A one-character token that a spaced word is made of: not an operator (`= + * & | < > ~ ^`),
        /// which stands between words (`1000 f o l l o w e r s = $3`).
        func joinable(_ from: Int, _ to: Int) -> Bool {
            single(from, to) && !"=+*&|<>~^".utf8.contains(bytes[from])
        }
        /// A spaced word's last character with the punctuation after it (`s?` of `b i t s?`,
        /// `e,` of `p r i c e,`): it joins the character before, and ends the word.
        func punctuated(_ from: Int, _ to: Int) -> Bool {
            var end = to
            while end > from + 1 && ",.?!:;)".utf8.contains(bytes[end - 1]) { end -= 1 }
            return end < to && to - end <= 3 && joinable(from, end) && !",.?!:;)".utf8.contains(bytes[from])
        }
        var tokens = 0
        var singles = 0
        var i = 0
        while i < n {
            while i < n && bytes[i] == 0x20 { i += 1 }
            guard i < n else { break }
            let start = i
            while i < n && bytes[i] != 0x20 { i += 1 }
            tokens += 1
            if single(start, i) || punctuated(start, i) { singles += 1 }
        }
        guard singles >= 6, singles * 4 >= tokens * 3 else { return false }
        beginPass(upTo: 0)
        var previousSingle = false
        i = 0
        while i < n {
            if bytes[i] != 0x20 {
                let start = i
                while i < n && bytes[i] != 0x20 { copy(i); i += 1 }
                previousSingle = joinable(start, i)
                continue
            }
            var gapEnd = i
            while gapEnd < n && bytes[gapEnd] == 0x20 { gapEnd += 1 }
            var next = gapEnd
            while next < n && bytes[next] != 0x20 { next += 1 }
            if i == 0 || gapEnd == n {
                for k in i..<gapEnd { copy(k) }
            } else if gapEnd - i == 1 && previousSingle && (joinable(gapEnd, next) || punctuated(gapEnd, next)) {
                // one space inside a spaced word: dropped
            } else {
                put(0x20, from: i, to: gapEnd)
            }
            i = gapEnd
        }
        endPass(.spacing)
        return true
    }

    /// Joins runs of at least three single letters (or leet digits), at least two of them letters,
    /// separated by the same 1-3 separator bytes (space . - _ * | / ~ + ,): `f r e e`, `c-o-i-n-s`,
    /// `f. r. e. e`. A different separator ends the run, and a run of spaces before or after it
    /// becomes one: `f r e e  c o i n s` is `free coins`.
    /// - Complexity: O(n).
    mutating func joinSpacedLetters() {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            guard isLeetOrLetter(b) || (b &- 0x30) < 10, i == 0 || !isAlphanumeric(bytes[i - 1]), i + 1 < n, isSeparator(bytes[i + 1]) else {
                if passBegun { copy(i) }
                i += 1
                continue
            }
            positions.removeAll(keepingCapacity: true)
            positions.append(i)
            var sepStart = -1
            var sepLength = 0
            var j = i + 1
            while j < n {
                var k = j
                while k < n && isSeparator(bytes[k]) && k - j < 3 { k += 1 }
                if k == j || (k < n && isSeparator(bytes[k])) { break }
                if sepStart < 0 {
                    sepStart = j
                    sepLength = k - j
                } else if k - j != sepLength || !sameBytes(sepStart, j, sepLength) {
                    break
                }
                guard k < n, isLeetOrLetter(bytes[k]) || (bytes[k] &- 0x30) < 10, k + 1 == n || !isAlphanumeric(bytes[k + 1]) else { break }
                positions.append(k)
                j = k + 1
            }
            var letters = 0
            var digits = 0
            var plainDigits = 0
            for p in positions {
                if (bytes[p] &- 0x61) < 26 { letters += 1 } else { digits += 1 }
                if (bytes[p] &- 0x30) < 10 && leetLetter(bytes[p]) == 0 { plainDigits += 1 }
            }
            // Between the wide gaps of a spaced-out message ("f o l l o w  m e  t o  1 0 0"),
            // two letters make a word too, and digits a number; not in "a b", "i m" or "1 2 3".
            var spacedPair = false
            if positions.count >= 2 && (digits == 0 || letters == 0) && sepLength == 1 && bytes[sepStart] == UInt8(ascii: " ") {
                let end = positions[positions.count - 1] + 1
                let wideBefore = i == 0 || (i >= 2 && bytes[i - 1] == UInt8(ascii: " ") && bytes[i - 2] == UInt8(ascii: " "))
                let wideAfter = end == n || (end + 1 < n && bytes[end] == UInt8(ascii: " ") && bytes[end + 1] == UInt8(ascii: " "))
                spacedPair = wideBefore && wideAfter && (i > 0 || end < n)
            }
            if (positions.count >= 3 && letters >= 2 && plainDigits == 0) || spacedPair {
                if !passBegun { beginPass(upTo: i) }
                // And the wider gap before it: "me  f o r" is "me for".
                if outBytes.count >= 2 && outBytes[outBytes.count - 1] == UInt8(ascii: " ")
                    && outBytes[outBytes.count - 2] == UInt8(ascii: " ") {
                    var first = outBytes.count - 1
                    while first > 0 && outBytes[first - 1] == UInt8(ascii: " ") { first -= 1 }
                    let end = outEnd[outEnd.count - 1]
                    outBytes.removeSubrange((first + 1)...)
                    outStart.removeSubrange((first + 1)...)
                    outEnd.removeSubrange((first + 1)...)
                    outEnd[first] = end
                }
                for p in positions { copy(p) }
                i = positions[positions.count - 1] + 1
                // The wider gap that ends a spaced word is one space: "f r e e  c o i n s".
                var gap = i
                while gap < n && bytes[gap] == UInt8(ascii: " ") { gap += 1 }
                if gap - i >= 2 {
                    put(UInt8(ascii: " "), from: i, to: gap)
                    i = gap
                }
            } else {
                if passBegun { copy(i) }
                i += 1
            }
        }
        endPass(.spacing)
    }

    private func sameBytes(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        for k in 0..<count where bytes[a + k] != bytes[b + k] { return false }
        return true
    }

    // MARK: - Step 3: leet

    /// In each token of ASCII letters, digits, `@` and `$` that holds at least two letters, the leet
    /// characters become letters: 0 o, 1 i (l next to another 1 or before i), 3 e, 4 a, 5 s, 7 t, @ a, $ s.
    /// Left alone: @mentions (a token starting with `@`), a leading `$` (cashtags), the `@` of an
    /// email address, any digit run holding a digit that is not leet (`user123`, `2fa`), and digit
    /// runs that read as quantities or "for" (see `isQuantity`).
    /// - Complexity: O(n).
    mutating func foldLeet() {
        let n = bytes.count
        var i = 0
        while i < n {
            guard isTokenByte(bytes[i]) || isLeetMark(bytes[i]) else {
                if passBegun { copy(i) }
                i += 1
                continue
            }
            var scanEnd = i
            while scanEnd < n && (isTokenByte(bytes[scanEnd]) || isLeetMark(bytes[scanEnd])) { scanEnd += 1 }
            // A trailing ! or | is punctuation (gift!!), not a letter.
            var end = scanEnd
            while end > i && isLeetMark(bytes[end - 1]) { end -= 1 }
            if scanEnd - i == 1 && (bytes[i] == UInt8(ascii: "!") || bytes[i] == UInt8(ascii: "1"))
                && (i == 0 || !isWordByte(bytes[i - 1])) && isContraction(after: scanEnd) {
                // A lone ! or 1 before 'm, 'll, 'd or 've is I (!'m, 1'll).
                if !passBegun { beginPass(upTo: i) }
                put(UInt8(ascii: "i"), from: i, to: i + 1)
                i = scanEnd
                continue
            }
            if end == i {
                if passBegun { for k in i..<scanEnd { copy(k) } }
                i = scanEnd
                continue
            }
            var letters = 0
            var leet = 0
            var marks = 0
            for k in i..<end {
                let b = bytes[k]
                if (b &- 0x61) < 26 { letters += 1 } else if isLeetMark(b) { marks += 1 } else if leetLetter(b) != 0 { leet += 1 }
            }
            let wholeToken = (i == 0 || !isWordByte(bytes[i - 1])) && (end == n || bytes[end] < 0x80)
            if wholeToken && bytes[i] != UInt8(ascii: "@") && (letters >= 1 || marks >= 1) && letters < end - i
                && readsAsWord(i, end) {
                // The whole token reads as a word (7h3, 93t, 11nk, w1|l, f0|l0w): write that reading.
                if !passBegun { beginPass(upTo: i) }
                for k in i..<end { put(wordReading[k - i], from: k, to: k + 1) }
                if passBegun { for k in end..<scanEnd { copy(k) } }
                i = scanEnd
                continue
            }
            if letters < 2 || leet == 0 || bytes[i] == UInt8(ascii: "@") || !wholeToken {
                if passBegun { for k in i..<scanEnd { copy(k) } }
                i = scanEnd
                continue
            }
            var k = i
            while k < end {
                let b = bytes[k]
                var replacement: UInt8 = 0
                if (b &- 0x30) < 10 {
                    // A digit run with a non-leet digit is a number, not a disguise.
                    var r = k
                    var numeric = false
                    while r < end && (bytes[r] &- 0x30) < 10 {
                        if leetLetter(bytes[r]) == 0 { numeric = true }
                        r += 1
                    }
                    if numeric || isQuantity(k, r, tokenStart: i, tokenEnd: end, leet: leet) {
                        if passBegun { for q in k..<r { copy(q) } }
                        k = r
                        continue
                    }
                    if !passBegun { beginPass(upTo: k) }
                    for q in k..<r {
                        var letter = leetLetter(bytes[q])
                        // 1 is l next to another 1 or before i (fo11ow, 1ike), else i (unl1mited).
                        if bytes[q] == UInt8(ascii: "1") && ((q > i && bytes[q - 1] == UInt8(ascii: "1"))
                            || (q + 1 < end && (bytes[q + 1] == UInt8(ascii: "1") || bytes[q + 1] == UInt8(ascii: "i")))) {
                            letter = UInt8(ascii: "l")
                        }
                        put(letter, from: q, to: q + 1)
                    }
                    k = r
                    continue
                } else if b == UInt8(ascii: "$") && (k > i || leet > 1) {
                    // A leading $ is a cashtag ($cashapp) unless the word has other leet ($3ll).
                    replacement = UInt8(ascii: "s")
                } else if b == UInt8(ascii: "@") && !(end < n && bytes[end] == UInt8(ascii: ".")) {
                    replacement = UInt8(ascii: "a")
                } else if b == UInt8(ascii: "!") {
                    // Inside a token with other leet: c0!n$, m!n$.
                    replacement = UInt8(ascii: "i")
                } else if b == UInt8(ascii: "|") {
                    replacement = UInt8(ascii: "l")
                }
                if replacement != 0 {
                    if !passBegun { beginPass(upTo: k) }
                    put(replacement, from: k, to: k + 1)
                } else if passBegun {
                    copy(k)
                }
                k += 1
            }
            if passBegun { for q in end..<scanEnd { copy(q) } }
            i = scanEnd
        }
        endPass(.leet)
    }

    /// Whether `bytes[i]` starts `'m`, `'ll`, `'d` or `'ve` ending a word.
    private func isContraction(after i: Int) -> Bool {
        let n = bytes.count
        guard i + 1 < n && bytes[i] == UInt8(ascii: "'") else { return false }
        var e = i + 1
        while e < n && (bytes[e] &- 0x61) < 26 { e += 1 }
        guard e == n || !isWordByte(bytes[e]) else { return false }
        return Self.contractions.contains(Array(bytes[(i + 1)..<e]))
    }

    private static let contractions: Set<[UInt8]> = Set(["m", "ll", "d", "ve"].map { Array($0.utf8) })

    /// Whether the token `bytes[from..<to]` (letters, digits, `@ $ ! |`) reads as a listed word when every
    /// leet character is a letter: 0 o, 3 e, 4 a, 5 s, 7 t, 8 b, 9 g, @ a, $ s, and 1, ! and | each
    /// i or l (the first reading that is a word wins). The reading is left in `wordReading`.
    /// Not read as words: a number and a unit (`50rb`, `100k`, `4m`, `0k`), a word of three letters
    /// or more and a number of one or two digits (`site5`, `tip1`), and a leading 4 before three or
    /// more characters (`4real`, "for real").
    /// - Complexity: O(length x 2^ambiguous), at most four ambiguous characters tried.
    private mutating func readsAsWord(_ from: Int, _ to: Int) -> Bool {
        let length = to - from
        guard length >= 2 && length <= 15 else { return false }
        var run = from
        while run < to && (bytes[run] &- 0x30) < 10 { run += 1 }
        if run > from && run < to && isUnit(run..<to) { return false }
        if bytes[from] == UInt8(ascii: "4") && length >= 4 { return false }
        // A word and a number after it (site5, tip1, xman70): the number is not leet.
        var letters = from
        while letters < to && (bytes[letters] &- 0x61) < 26 { letters += 1 }
        if letters - from >= 3 && to - letters <= 2 && (letters..<to).allSatisfy({ (bytes[$0] &- 0x30) < 10 }) { return false }
        wordReading.removeAll(keepingCapacity: true)
        var ambiguous: UInt16 = 0  // bit k: the token's character k is 1, ! or | (length <= 15)
        for k in from..<to {
            let b = bytes[k]
            if (b &- 0x61) < 26 {
                wordReading.append(b)
            } else if b == UInt8(ascii: "1") || b == UInt8(ascii: "!") || b == UInt8(ascii: "|") {
                ambiguous |= 1 << (k - from)
                wordReading.append(b == UInt8(ascii: "|") ? UInt8(ascii: "l") : UInt8(ascii: "i"))
            } else {
                let letter = b == UInt8(ascii: "8") ? UInt8(ascii: "b") : b == UInt8(ascii: "9") ? UInt8(ascii: "g") : leetLetter(b)
                guard letter != 0 else { return false }
                wordReading.append(letter)
            }
        }
        let count = ambiguous.nonzeroBitCount
        guard count <= 4 else { return EnglishWords.isWord(wordReading) }
        for combination in 0..<(1 << count) {
            var rest = ambiguous
            var bit = 0
            while rest != 0 {
                let offset = rest.trailingZeroBitCount
                rest &= rest - 1
                let flipped = combination & (1 << bit) != 0
                bit += 1
                let preferL = bytes[from + offset] == UInt8(ascii: "|")
                wordReading[offset] = (flipped != preferL) ? UInt8(ascii: "l") : UInt8(ascii: "i")
            }
            if EnglishWords.isWord(wordReading) { return true }
        }
        return false
    }

    /// Whether the digit run `k..<r` of a token is a number rather than letters in disguise:
    /// - at the token's start, two or more digits (`50rb`, `100k`) or a unit of at most three
    ///   letters after it (`1st`, `5min`, `7pm`);
    /// - at its end, three or more digits (`user1337`), or one or two when the token has no other
    ///   leet character (`mp3`, `player1`, `xman70`, but `c0in5`; `wh0` and `fr33` read as words);
    /// - a lone `4` with three letters on a side, or the same letters on both, reads "for"
    ///   (`sub4sub`, `coins4u`, `4free`, `f4f`).
    private func isQuantity(_ k: Int, _ r: Int, tokenStart: Int, tokenEnd: Int, leet: Int) -> Bool {
        let length = r - k
        var right = 0
        var q = r
        while q < tokenEnd && (bytes[q] &- 0x61) < 26 { right += 1; q += 1 }
        var left = 0
        q = k - 1
        while q >= tokenStart && (bytes[q] &- 0x61) < 26 { left += 1; q -= 1 }
        if k == tokenStart {
            // 50rb, 100k; 1st, 5min, 4k (a unit); 4free, 4u ("for").
            if length >= 2 || bytes[k] == UInt8(ascii: "4") { return true }
            if r + right == tokenEnd && isUnit(r..<(r + right)) { return true }
        }
        if r == tokenEnd {
            // user1337; mp3, ps5, player1, xman70 (c0in5 has other leet; wh0 and fr33 were read
            // as words before this).
            if length >= 3 { return true }
            if length == leet { return true }
        }
        if length == 1 && bytes[k] == UInt8(ascii: "4") && left > 0 {
            // sub4sub, f4f, coins4u, gift4you: "for" between words, not an a (gr4tis, h4ck).
            if left == right && bytes[(k - left)..<k].elementsEqual(bytes[r..<(r + right)]) { return true }
            if r + right == tokenEnd && Self.afterFor.contains(Array(bytes[r..<(r + right)])) { return true }
        }
        return false
    }

    /// Words that follow a "4" read as "for".
    private static let afterFor: Set<[UInt8]> = Set(["u", "you", "ya", "yall", "free", "sale", "less", "all", "ever",
        "real", "life", "cheap", "fun"].map { Array($0.utf8) })

    /// Units and ordinal suffixes after a leading digit: 1st, 5min, 4k, 7pm, 2x.
    private static let units: Set<[UInt8]> = Set(["st", "nd", "rd", "th", "k", "m", "b", "x", "s", "h", "d", "w", "y",
        "min", "mins", "hr", "hrs", "pm", "am", "gb", "mb", "tb", "kb", "fps", "p", "rb", "jt", "usd", "eur", "tl",
        "lbs", "kg", "cm", "mm", "km", "ml", "yo", "yrs", "sec", "secs", "ms", "v", "g", "l", "mo", "wk"].map { Array($0.utf8) })

    private func isUnit(_ range: Range<Int>) -> Bool { Self.units.contains(Array(bytes[range])) }

    // MARK: - Step 4: defanged URLs

    /// Restores defanged links: `hxxp(s)` at the start of a word; `[.]`, `(.)`, `{.}`, `<.>`,
    /// `[dot]`, `(dot)` (spaces inside allowed, and around them between two labels); `[:]`;
    /// ` dot ` and a spaced `.` between a label and a top-level domain (`cheapcoins dot com`,
    /// `t . me`); then a spaced `/` after such a host (`t.me / x`).
    /// - Complexity: O(n).
    mutating func restoreDefanged() {
        let n = bytes.count
        var i = 0
        var afterHost = false
        while i < n {
            let b = bytes[i]
            // hxxp / hxxps
            if b == UInt8(ascii: "h"), i + 3 < n, i == 0 || !isWordByte(bytes[i - 1]),
               bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 2] == UInt8(ascii: "x"), bytes[i + 3] == UInt8(ascii: "p") {
                if !passBegun { beginPass(upTo: i) }
                copy(i)
                put(UInt8(ascii: "t"), from: i + 1, to: i + 2)
                put(UInt8(ascii: "t"), from: i + 2, to: i + 3)
                copy(i + 3)
                i += 4
                continue
            }
            // [.] (dot) [:] and friends
            if let (closeEnd, replacement) = bracketedDot(at: i) {
                if !passBegun { beginPass(upTo: i) }
                // Spaces between a label and the bracket go too: "tiktok [.] com".
                while let last = outBytes.last, last == UInt8(ascii: " "), outBytes.count >= 2,
                      isLabelByte(outBytes[outBytes.count - 2]) {
                    outBytes.removeLast(); outStart.removeLast(); outEnd.removeLast()
                }
                put(replacement, from: i, to: closeEnd)
                var j = closeEnd
                while j < n && bytes[j] == UInt8(ascii: " ") { j += 1 }
                i = (j < n && isLabelByte(bytes[j])) ? j : closeEnd
                afterHost = replacement == UInt8(ascii: ".")
                continue
            }
            // " dot tld" and " . tld" between labels
            if (b == UInt8(ascii: " ") || b == UInt8(ascii: ".")), i > 0, isLabelByte(bytes[i - 1]),
               let (tldStart, tldEnd) = spacedDot(at: i) {
                if !passBegun { beginPass(upTo: i) }
                put(UInt8(ascii: "."), from: i, to: tldStart)
                for k in tldStart..<tldEnd { copy(k) }
                i = tldEnd
                afterHost = true
                continue
            }
            // "t.me / name": a spaced slash right after a restored host
            if afterHost, b == UInt8(ascii: " ") || b == UInt8(ascii: "/") {
                var j = i
                while j < n && bytes[j] == UInt8(ascii: " ") { j += 1 }
                if j < n && bytes[j] == UInt8(ascii: "/") {
                    var k = j + 1
                    while k < n && bytes[k] == UInt8(ascii: " ") { k += 1 }
                    if k < n && isLabelByte(bytes[k]) && (j > i || k > j + 1) {
                        if !passBegun { beginPass(upTo: i) }
                        put(UInt8(ascii: "/"), from: i, to: k)
                        i = k
                        afterHost = false
                        continue
                    }
                }
            }
            if !isLabelByte(b) && b != UInt8(ascii: ".") { afterHost = false }
            if passBegun { copy(i) }
            i += 1
        }
        endPass(.defang)
    }

    /// `[.]`, `( dot )`, `{.}`, `<.>`, `[:]` at `i`: the end of the closing bracket and the byte it stands for.
    private func bracketedDot(at i: Int) -> (Int, UInt8)? {
        let n = bytes.count
        let open = bytes[i]
        let close: UInt8
        switch open {
        case UInt8(ascii: "["): close = UInt8(ascii: "]")
        case UInt8(ascii: "("): close = UInt8(ascii: ")")
        case UInt8(ascii: "{"): close = UInt8(ascii: "}")
        case UInt8(ascii: "<"): close = UInt8(ascii: ">")
        default: return nil
        }
        var j = i + 1
        while j < n && bytes[j] == UInt8(ascii: " ") { j += 1 }
        guard j < n else { return nil }
        var replacement: UInt8
        if bytes[j] == UInt8(ascii: ".") || bytes[j] == UInt8(ascii: ":") {
            replacement = bytes[j]
            j += 1
        } else if j + 3 <= n, bytes[j] == UInt8(ascii: "d"), bytes[j + 1] == UInt8(ascii: "o"), bytes[j + 2] == UInt8(ascii: "t") {
            replacement = UInt8(ascii: ".")
            j += 3
        } else {
            return nil
        }
        while j < n && bytes[j] == UInt8(ascii: " ") { j += 1 }
        guard j < n, bytes[j] == close else { return nil }
        // "(.)" between words only: a lone "(.)" in prose is punctuation.
        guard i > 0, j + 1 < n else { return nil }
        var before = i - 1
        while before > 0 && bytes[before] == UInt8(ascii: " ") { before -= 1 }
        var after = j + 1
        while after < n && bytes[after] == UInt8(ascii: " ") { after += 1 }
        guard isLabelByte(bytes[before]), after < n, isLabelByte(bytes[after]) || bytes[after] == UInt8(ascii: "/") else { return nil }
        return (j + 1, replacement)
    }

    /// ` dot com`, ` . me`, `. me`, ` .me` at `i` after a label: the range of the top-level domain.
    private func spacedDot(at i: Int) -> (Int, Int)? {
        let n = bytes.count
        var j = i
        var spaces = 0
        while j < n && bytes[j] == UInt8(ascii: " ") { j += 1; spaces += 1 }
        guard j < n else { return nil }
        if bytes[j] == UInt8(ascii: ".") {
            j += 1
        } else if spaces > 0, j + 3 < n, bytes[j] == UInt8(ascii: "d"), bytes[j + 1] == UInt8(ascii: "o"),
                  bytes[j + 2] == UInt8(ascii: "t"), bytes[j + 3] == UInt8(ascii: " "), !isCommonWordBefore(i) {
            j += 3
        } else {
            return nil
        }
        let spacesBefore = spaces
        while j < n && bytes[j] == UInt8(ascii: " ") { j += 1; spaces += 1 }
        guard spaces > 0 else { return nil }  // "a.com" is not defanged
        var end = j
        while end < n && isLabelByte(bytes[end]) && bytes[end] != UInt8(ascii: "-") { end += 1 }
        guard end > j, end == n || !isWordByte(bytes[end]), isTopLevelDomain(bytes, j..<end) else { return nil }
        // "t. me/x" needs its path: "see you. me too" is prose.
        if spacesBefore == 0 && bytes[i] == UInt8(ascii: ".") && (end == n || bytes[end] != UInt8(ascii: "/")) { return nil }
        return (j, end)
    }
}

extension FoldedText {
    /// Words that come before "dot" in prose ("the dot com bubble", "a polka dot top").
    private static let proseBeforeDot: Set<[UInt8]> = Set(["the", "a", "polka", "one", "that", "this", "red", "blue",
        "black", "white", "green", "big", "little", "small", "tiny", "every", "each", "last", "first", "next"].map { Array($0.utf8) })

    /// Whether the word ending just before `i` is one that "dot" follows in prose.
    fileprivate func isCommonWordBefore(_ i: Int) -> Bool {
        var s = i
        while s > 0 && isLabelByte(bytes[s - 1]) { s -= 1 }
        return i - s <= 5 && Self.proseBeforeDot.contains(Array(bytes[s..<i]))
    }
}

// MARK: - Byte classes

/// The letter a leet character stands for, or 0.
@inline(__always)
func leetLetter(_ b: UInt8) -> UInt8 {
    switch b {
    case UInt8(ascii: "0"): UInt8(ascii: "o")
    case UInt8(ascii: "1"): UInt8(ascii: "i")
    case UInt8(ascii: "3"): UInt8(ascii: "e")
    case UInt8(ascii: "4"): UInt8(ascii: "a")
    case UInt8(ascii: "5"): UInt8(ascii: "s")
    case UInt8(ascii: "7"): UInt8(ascii: "t")
    case UInt8(ascii: "@"): UInt8(ascii: "a")
    case UInt8(ascii: "$"): UInt8(ascii: "s")
    default: 0
    }
}

@inline(__always)
private func isLeetOrLetter(_ b: UInt8) -> Bool { (b &- 0x61) < 26 || leetLetter(b) != 0 }

/// Letters, digits and non-ASCII bytes: what can continue a word.
@inline(__always)
func isWordByte(_ b: UInt8) -> Bool { (b &- 0x61) < 26 || (b &- 0x30) < 10 || b >= 0x80 || b == UInt8(ascii: "_") }

@inline(__always)
private func isAlphanumeric(_ b: UInt8) -> Bool { (b &- 0x61) < 26 || (b &- 0x30) < 10 || b >= 0x80 }

/// `!` and `|`, read as i and l inside a leet token (`c0!n$`, `wal|3t`), never at its end.
@inline(__always)
private func isLeetMark(_ b: UInt8) -> Bool { b == UInt8(ascii: "!") || b == UInt8(ascii: "|") }

@inline(__always)
private func isTokenByte(_ b: UInt8) -> Bool {
    (b &- 0x61) < 26 || (b &- 0x30) < 10 || b == UInt8(ascii: "@") || b == UInt8(ascii: "$")
}

@inline(__always)
func isLabelByte(_ b: UInt8) -> Bool { (b &- 0x61) < 26 || (b &- 0x30) < 10 || b == UInt8(ascii: "-") }

@inline(__always)
private func isSeparator(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "*"),
         UInt8(ascii: "|"), UInt8(ascii: "/"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: ","):
        return true
    default:
        return false
    }
}
