import ScanSupport

/// Step 2b of folding: separators put inside or between words to break keyword filters.
extension FoldedText {
    /// The byte the Unicode step writes where it dropped an invisible character right after a
    /// letter or digit (`free\u{AD}coins`, `fr\u{200B}ee`); this pass always removes it.
    static let invisibleMark: UInt8 = 0x1F

    /// Rewrites the gaps inside tokens of letters: a single `.` or `_` between letters
    /// (`fr_ee`, `co.ins`, `get.free.coins`), an invisible character between letters, and an
    /// emoji standing between two words (`cheap 💰 coins`).
    ///
    /// An underscore only ever joins a cut word (`fr_ee`); handles keep theirs (`coinplug_real`).
    /// A `.` becomes a space between two fragments of four letters or digits or more, or next to
    /// a short function word; otherwise it joins a word cut in two (`co.ins`). A token of three
    /// fragments or more that reads as words is words throughout (`get.free.coins`,
    /// `this.is.my.alt`). Invisible characters join what a reader sees joined
    /// (`gen\u{200B}erator`) unless they stand for the message's spaces (`marksStandForSpaces`).
    /// Left alone: hosts (the last label a top-level domain), anything next to `/ : @` (links,
    /// mentions, emails), fragments without a letter (`1.5`) outside words, abbreviations
    /// (`e.g`), runs of separators (`wait...what`). An emoji run between two words, with the
    /// spaces around it, becomes one space.
    ///
    /// `marksOnly`: the early run, before spacing and leet (which invisible marks would cut),
    /// resolves only the marks. The late run, after spacing (whose wide gaps an emoji may stand
    /// in: `b a c k  🌹  v e r i f i e d`) and defanging (which restores the hosts it must leave
    /// alone), resolves `.`, `_` and, with `emoji`, emoji between words.
    /// - Returns: whether it changed the text.
    /// - Complexity: O(n).
    @discardableResult
    mutating func resolveSeparators(marksOnly: Bool, emoji: Bool = false) -> Bool {
        let n = bytes.count
        let sentenceMarks = marksOnly && marksStandForSpaces()
        var i = 0
        while i < n {
            let b = bytes[i]
            if emoji && (b == UInt8(ascii: " ") || isEmojiLead(bytes, i)) {
                if let end = emojiGapEnd(from: i) {
                    if !passBegun { beginPass(upTo: i) }
                    if emojiCutsWord(i, end) {
                        if !outEnd.isEmpty { outEnd[outEnd.count - 1] = inEnd(end - 1) }
                        techniques.insert(.separators)
                    } else {
                        put(UInt8(ascii: " "), from: i, to: end)
                    }
                    i = end
                    continue
                }
            }
            // A `?` is a link's query, except where the message's marks are its spaces: there it
            // ends a question (`stream?\u{200B}real\u{200B}viewers`: the mark after it is gone).
            let question = sentenceMarks && i > 0 && bytes[i - 1] == UInt8(ascii: "?")
            guard isFragmentByte(b), i == 0 || question || !isTokenContext(bytes, i - 1) else {
                if b == Self.invisibleMark {
                    // A mark that ended up outside a word: dropped, its span joins the byte before.
                    if !passBegun { beginPass(upTo: i) }
                    if !outEnd.isEmpty { outEnd[outEnd.count - 1] = inEnd(i) }
                } else if passBegun {
                    copy(i)
                }
                i += 1
                continue
            }
            i = resolveToken(from: i, marksOnly: marksOnly, sentenceMarks: sentenceMarks)
        }
        let changed = passBegun
        endPass([])
        return changed
    }

    /// Handles the token starting at `start` (a fragment byte); returns where it ends.
    /// `sentenceMarks`: the message's invisible characters stand for its spaces.
    private mutating func resolveToken(from start: Int, marksOnly: Bool, sentenceMarks: Bool) -> Int {
        let n = bytes.count
        // Most tokens are one word with no gap: copied without building the fragment list.
        var first = start
        while first < n && isFragmentByte(bytes[first]) { first += 1 }
        let gapped = first + 1 < n && isFragmentByte(bytes[first + 1])
            && (marksOnly ? bytes[first] == Self.invisibleMark : isGap(bytes[first]))
        guard gapped else {
            copyRange(start, first)
            return first
        }
        // Fragments [from, to), their length in letters and digits (`fr33` is four), and
        // whether they hold a letter; a gap byte after each but the last.
        fragments.removeAll(keepingCapacity: true)
        var at = start
        while at < n {
            var end = at
            var letters = 0
            var length = 0
            while end < n && isFragmentByte(bytes[end]) {
                let c = bytes[end]
                if (c &- 0x61) < 26 || c >= 0xC0 { letters += 1 }  // an ASCII letter or a UTF-8 lead byte
                if c < 0x80 || c >= 0xC0 { length += 1 }
                end += 1
            }
            fragments.append((at, end, length, letters))
            guard end + 1 < n, marksOnly ? bytes[end] == Self.invisibleMark : isGap(bytes[end]), isFragmentByte(bytes[end + 1]) else {
                at = end
                break
            }
            at = end + 1
        }
        let end = at
        guard fragments.count >= 2 else {
            copyRange(start, end)
            return end
        }
        let before: UInt8 = start > 0 ? bytes[start - 1] : UInt8(ascii: " ")
        let after: UInt8 = end < n ? bytes[end] : UInt8(ascii: " ")
        let last = fragments[fragments.count - 1]
        let link = isLinkContext(before) || after == UInt8(ascii: "/") || after == UInt8(ascii: ":") || after == UInt8(ascii: "@")
            || after == UInt8(ascii: "-")
        let host = bytes[last.from - 1] == UInt8(ascii: ".") && isTopLevelDomain(bytes, last.from..<last.to)
        let written = link || host
        // Words joined by separators: two gaps or more, fragments that are words (two letters
        // or more, or "a"), and some sign of words (a small function word, or two long ones
        // side by side). "gen\u{200B}er\u{200B}ator" has none and stays one word.
        function.removeAll(keepingCapacity: true)
        function.append(contentsOf: repeatElement(false, count: fragments.count))
        var wordLike = fragments.count >= 3
        var wordSign = false
        for (k, f) in fragments.enumerated() {
            function[k] = isFunctionWord(bytes, f.from..<f.to)
            if f.length < 2 && !function[k] && f.letters > 0 { wordLike = false }
            if k > 0 && bytes[f.from - 1] == UInt8(ascii: "_") { wordLike = false }
            if function[k] || (k > 0 && f.length > 3 && fragments[k - 1].length > 3) { wordSign = true }
        }
        let words = wordLike && wordSign
        // Invisible characters: a reader sees the fragments joined, so they join, unless they
        // replace the spaces of a sentence (most gaps next to a function word: "to\u{AD}follow
        // \u{AD}me"), not a word cut into syllables ("ve\u{200B}ri\u{200B}fi\u{200B}ca...").
        var markGaps = 0
        var functionGaps = 0
        for k in 1..<fragments.count where bytes[fragments[k].from - 1] == Self.invisibleMark {
            markGaps += 1
            if (function[k - 1] || function[k]) && fragments[k - 1].length >= 2 && fragments[k].length >= 2 { functionGaps += 1 }
        }
        let markWords = sentenceMarks || (markGaps >= 3 && functionGaps * 2 >= markGaps)
        for (k, f) in fragments.enumerated() {
            if k > 0 {
                let gap = f.from - 1
                let g = bytes[gap]
                let prev = fragments[k - 1]
                // Left as written: hosts and links, numbers, abbreviations (`e.g`, `u.s`).
                // An underscore is how handles are written (`coinplug_real`, `the_real_kai`):
                // it only joins a cut word, and otherwise stays.
                let handleLike = g == UInt8(ascii: "_") && !(min(prev.length, f.length) <= 2 && !function[k - 1] && !function[k])
                // A word cut in two: its pieces joined are an English word (`view_ers`,
                // `t_his`, `toni.ght`), where a handle's or a host's are not (`coinplug_real`,
                // `t.me`). Not inside a link, nor between two long words of a dotted phrase;
                // a two-letter country code after a short piece is no host (`fr.ee`, `giv.es`).
                let cutWord = g != Self.invisibleMark && !link
                    && (!words || min(prev.length, f.length) < 4)
                    && (!host || (fragments.count == 2 && last.to - last.from == 2 && prev.length <= 4))
                    && EnglishWords.contains(bytes, prev.from..<prev.to, f.from..<f.to)
                if cutWord {
                    if !passBegun { beginPass(upTo: gap) }
                    if !outEnd.isEmpty { outEnd[outEnd.count - 1] = inEnd(gap) }
                    techniques.insert(.separators)
                } else if g != Self.invisibleMark && (written || handleLike || (!words && (prev.letters == 0 || f.letters == 0)) || (prev.length < 2 && f.length < 2)) {
                    if passBegun { copy(gap) }
                } else {
                    // An invisible character: a space when the message's marks stand for its
                    // spaces, next to a number, or between two scam-offer words
                    // ("free\u{AD}coins"); else it joins ("chea\u{200C}pest"). A dot: a space
                    // between two long fragments or next to a function word ("get.free"); else
                    // it joins a word cut in two ("co.ins").
                    let space = g == Self.invisibleMark
                        ? markWords || (prev.letters == 0 && !isLeetRun(bytes, prev.from..<prev.to)) || (f.letters == 0 && !isLeetRun(bytes, f.from..<f.to))
                            || (isScamWord(bytes, prev.from..<prev.to) && isScamWord(bytes, f.from..<f.to))
                        : words || (prev.length > 3 && f.length > 3)
                            || (function[k - 1] && f.length >= 2) || (function[k] && prev.length >= 2)
                    if !passBegun { beginPass(upTo: gap) }
                    if space {
                        put(UInt8(ascii: " "), from: gap, to: gap + 1)
                    } else if !outEnd.isEmpty {
                        outEnd[outEnd.count - 1] = inEnd(gap)
                    }
                    if g != Self.invisibleMark { techniques.insert(.separators) }
                }
            }
            if passBegun { copyRange(f.from, f.to) }
        }
        return end
    }

    /// Rewrites a message whose dots stand for its spaces
    /// (`selling.steam.keys.and.bits.60%.cheaper,.whisper.me`, `я.модератор.канала,.напиши.мне`):
    /// three or more dots between two characters that are not spaces or dots, outside links,
    /// and at least as many as the spaces. Then each such dot becomes a space, except in a
    /// token that holds `/`, `@` or `:` (a link, a mention, an email), between two digits
    /// (`1.5`), and before a last label that is a top-level domain and not a function word
    /// (`twitch.tv`, `tikt0k-gift.xyz`; `whisper.me` is two words). Runs of dots (`wait...`)
    /// stay. The per-token rules of `resolveSeparators` then see ordinary words.
    /// - Returns: whether it changed the text.
    /// - Complexity: O(n).
    mutating func spaceDottedMessage() -> Bool {
        let n = bytes.count
        guard n >= 5 else { return false }
        let space = UInt8(ascii: " "), dot = UInt8(ascii: ".")
        /// Whether the dot at `i` sits between two characters that are not spaces or dots.
        /// Not between two digits (`1.5`), nor between two one-letter pieces (`e.g`, `u.s.a`).
        func wordDot(_ i: Int) -> Bool {
            guard i > 0 && i + 1 < n && bytes[i] == dot && bytes[i - 1] != dot && bytes[i - 1] != space
                && bytes[i + 1] != dot && bytes[i + 1] != space else { return false }
            if (bytes[i - 1] &- 0x30) < 10 && (bytes[i + 1] &- 0x30) < 10 { return false }
            let oneBefore = i < 2 || !isFragmentByte(bytes[i - 2])
            let oneAfter = i + 2 >= n || !isFragmentByte(bytes[i + 2])
            return !(oneBefore && oneAfter && bytes[i - 1] < 0x80 && bytes[i + 1] < 0x80)
        }
        /// Whether the token `from..<to` is an address: it holds `/`, `@` or `:`, or it is a host
        /// (labels of ASCII letters, digits and '-', the last a top-level domain that is not a
        /// function word, and at most one other label a function word: `tiktok.com.gift.ru`,
        /// where `follow.me.on.twitch.tv` is words).
        func address(_ from: Int, _ to: Int) -> Bool {
            for k in from..<to where bytes[k] == UInt8(ascii: "/") || bytes[k] == UInt8(ascii: "@") || bytes[k] == UInt8(ascii: ":") {
                return true
            }
            var end = to
            while end > from && !isLabelByte(bytes[end - 1]) { end -= 1 }  // trailing punctuation
            var labelStart = from
            var functionLabels = 0
            var labels = 0
            for k in from...end {
                guard k == end || bytes[k] == dot else {
                    if !isLabelByte(bytes[k]) { return false }
                    continue
                }
                guard k > labelStart else { return false }
                labels += 1
                let label = labelStart..<k
                if k == end {
                    return labels >= 2 && isTopLevelDomain(bytes, label) && !isFunctionWord(bytes, label, otherLanguages: true)
                        && functionLabels <= 1
                }
                if isFunctionWord(bytes, label, otherLanguages: true) { functionLabels += 1 }
                labelStart = k + 1
            }
            return false
        }
        // Most messages that reach here have a dot or two ending a sentence: counting all word
        // dots first (an upper bound of the count outside addresses) spares them the token walk.
        var spaces = 0
        var dots = 0
        for k in 0..<n {
            if bytes[k] == space { spaces += 1 } else if wordDot(k) { dots += 1 }
        }
        guard dots >= 3, dots >= spaces else { return false }
        dots = 0
        var i = 0
        while i < n {
            if bytes[i] == space { i += 1; continue }
            let start = i
            while i < n && bytes[i] != space { i += 1 }
            if address(start, i) { continue }
            for k in start..<i where wordDot(k) { dots += 1 }
        }
        guard dots >= 3, dots >= spaces else { return false }
        var changed = false
        i = 0
        while i < n {
            if bytes[i] == space {
                if passBegun { copy(i) }
                i += 1
                continue
            }
            let start = i
            while i < n && bytes[i] != space { i += 1 }
            let end = i
            if address(start, end) {
                if passBegun { for k in start..<end { copy(k) } }
                continue
            }
            // The last label of the token (after its last dot), when it is a top-level domain.
            var lastDot = -1
            for k in start..<end where bytes[k] == dot { lastDot = k }
            var labelEnd = lastDot + 1
            while labelEnd < end && (bytes[labelEnd] &- 0x61) < 26 { labelEnd += 1 }
            // The label before it: ASCII letters, digits and '-', two or more, not a function word.
            var labelStart = lastDot
            while labelStart > start && isLabelByte(bytes[labelStart - 1]) { labelStart -= 1 }
            let hostDot = lastDot > start && labelEnd > lastDot + 1
                && (labelEnd == end || !isFragmentByte(bytes[labelEnd]))
                && isTopLevelDomain(bytes, (lastDot + 1)..<labelEnd)
                && !isFunctionWord(bytes, (lastDot + 1)..<labelEnd, otherLanguages: true)
                && lastDot - labelStart >= 2 && (labelStart == start || !isFragmentByte(bytes[labelStart - 1]))
                && !isFunctionWord(bytes, labelStart..<lastDot, otherLanguages: true)
            for k in start..<end {
                if wordDot(k) && !(hostDot && k == lastDot) {
                    if !passBegun { beginPass(upTo: k) }
                    put(space, from: k, to: k + 1)
                    changed = true
                } else if passBegun {
                    copy(k)
                }
            }
        }
        endPass(.separators)
        return changed
    }

    /// Whether the invisible characters of the whole message stand for its spaces: three or
    /// more between letters, at least half of them next to a function word
    /// ("Rob\u{200C}streams\u{200B}over\u{200B}at\u{200B}twitch.tv").
    private func marksStandForSpaces() -> Bool {
        let n = bytes.count
        var gaps = 0
        var function = 0
        var lengths = 0
        var i = 0
        while i < n {
            defer { i += 1 }
            guard bytes[i] == Self.invisibleMark, i > 0, i + 1 < n, isFragmentByte(bytes[i - 1]), isFragmentByte(bytes[i + 1]) else { continue }
            gaps += 1
            var a = i - 1
            while a > 0 && isFragmentByte(bytes[a - 1]) { a -= 1 }
            var b = i + 1
            while b < n && isFragmentByte(bytes[b]) { b += 1 }
            let left = i - a, right = b - i - 1
            if (isFunctionWord(bytes, a..<i, otherLanguages: true) && right >= 2)
                || (isFunctionWord(bytes, (i + 1)..<b, otherLanguages: true) && left >= 2) { function += 1 }
            lengths += left + right
        }
        // Words, not syllables: next to function words, or as long as words (a word cut into
        // syllables, "ge\u{200B}ne\u{200B}ra\u{200B}tor", has fragments of two or three letters).
        // Or, over six gaps or more, some function words and word-long fragments together: in
        // "cheer\u{AD}100 bits in\u{2060}my channel\u{2060}and I\u{200B}send 1000\u{2060}back"
        // a quarter of the gaps touch one ("con\u{FE0F}nect your wal\u{FE0F}let" is too few).
        return gaps >= 3 && (function * 2 >= gaps || lengths >= 8 * gaps || (gaps >= 6 && function * 4 >= gaps && lengths >= 6 * gaps))
    }

    /// Whether the late run has anything to look at: a `.` or `_` between two fragment bytes.
    /// - Complexity: O(n), one compare per byte; most chat has no such gap and skips the pass.
    func hasWordGap() -> Bool {
        let n = bytes.count
        guard n >= 3 else { return false }
        for i in 1..<(n - 1) where bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "_") {
            if isFragmentByte(bytes[i - 1]) && isFragmentByte(bytes[i + 1]) { return true }
        }
        return false
    }

    /// Whether an emoji stands between two words (`emojiGapEnd`): most emoji end a message or
    /// stand next to punctuation, and then the early run is skipped.
    func hasEmojiGap() -> Bool {
        let n = bytes.count
        var i = 1
        while i < n {
            guard let length = emojiLength(bytes, i) else {
                i += 1
                continue
            }
            var a = i
            while a > 0 && (bytes[a - 1] == UInt8(ascii: " ")) { a -= 1 }
            if a > 0, isWordEdge(bytes[a - 1]), emojiGapEnd(from: a) != nil { return true }
            i += length
        }
        return false
    }

    /// Joins words cut by hyphens or underscores, and spaces phrases joined by underscores, in
    /// tokens of ASCII letters between spaces or punctuation (not links, mentions or hosts):
    /// - pieces that make an English word when one of them is not a word itself (`a-cco-unt`,
    ///   `veri-fyin-g`, `log_i_n`, `coin_s`), where `well-known` and `pick-up` stay;
    /// - two pieces of which one is a single letter other than a, i, u (`jeto-n`, `e-mail`);
    /// - three pieces or more joined by `_` that are all words, one of them a function word
    ///   (`coins_land_in` becomes `coins land in`), where a handle (`the_real_kai`) stays.
    /// - Returns: whether it changed the text.
    /// - Complexity: O(n).
    @discardableResult
    mutating func joinCutWords() -> Bool {
        let n = bytes.count
        var i = 0
        var pieces: [(from: Int, to: Int)] = []
        while i < n {
            guard isASCIILetter(bytes[i]), i == 0 || isCutWordBoundary(bytes, i - 1, before: true) else {
                if passBegun { copy(i) }
                i += 1
                continue
            }
            pieces.removeAll(keepingCapacity: true)
            var at = i
            var hyphens = 0, underscores = 0
            var end = i
            while true {
                var e = at
                while e < n && isASCIILetter(bytes[e]) { e += 1 }
                pieces.append((at, e))
                end = e
                guard e + 1 < n, bytes[e] == UInt8(ascii: "-") || bytes[e] == UInt8(ascii: "_"), isASCIILetter(bytes[e + 1]) else { break }
                if bytes[e] == UInt8(ascii: "-") { hyphens += 1 } else { underscores += 1 }
                at = e + 1
            }
            guard pieces.count >= 2, end == n || isCutWordBoundary(bytes, end, before: false) else {
                // Not a token of letters and gaps: copied up to where it was read.
                copyRange(i, end)
                i = end
                continue
            }
            let text = bytes
            let word = { (r: (from: Int, to: Int)) -> Bool in
                isFunctionWord(text, r.from..<r.to) || EnglishWords.contains(text, r.from..<r.to, r.to..<r.to)
            }
            let allWords = pieces.allSatisfy(word)
            let single = { (r: (from: Int, to: Int)) -> Bool in r.to - r.from == 1 && !"aiu".utf8.contains(text[r.from]) }
            let join = (!allWords && EnglishWords.containsJoined(bytes, pieces))
                || (pieces.count == 2 && (single(pieces[0]) || single(pieces[1])) && max(pieces[0].to - pieces[0].from, pieces[1].to - pieces[1].from) >= 3)
            let space = !join && hyphens == 0 && pieces.count >= 3 && allWords
                && pieces.contains { isFunctionWord(text, $0.from..<$0.to) }
            guard join || space else {
                copyRange(i, end)
                i = end
                continue
            }
            if !passBegun { beginPass(upTo: i) }
            for (k, r) in pieces.enumerated() {
                if k > 0 {
                    if space {
                        put(UInt8(ascii: " "), from: r.from - 1, to: r.from)
                    } else if !outEnd.isEmpty {
                        outEnd[outEnd.count - 1] = inEnd(r.from - 1)
                    }
                }
                for q in r.from..<r.to { copy(q) }
            }
            techniques.insert(.separators)
            i = end
        }
        let changed = passBegun
        endPass([])
        return changed
    }

    private mutating func copyRange(_ from: Int, _ to: Int) {
        guard passBegun else { return }
        for k in from..<to { copy(k) }
    }

    /// Whether the emoji `bytes[i..<end]`, with no space on either side, stands inside a word
    /// of ASCII letters: the letters around it make an English word (`c💯oin`, `l🚀ink`), or one
    /// side is a single letter other than a, i, u (`moeda🎉s`). `i❤u` and `cheap✨coins` stay apart.
    private func emojiCutsWord(_ i: Int, _ end: Int) -> Bool {
        guard bytes[i] != UInt8(ascii: " "), bytes[end - 1] != UInt8(ascii: " ") else { return false }
        var a = i
        while a > 0 && isASCIILetter(bytes[a - 1]) { a -= 1 }
        var z = end
        while z < bytes.count && isASCIILetter(bytes[z]) { z += 1 }
        guard a < i, z > end, a == 0 || !isFragmentByte(bytes[a - 1]), z == bytes.count || !isFragmentByte(bytes[z]) else { return false }
        let single = { (r: Range<Int>) -> Bool in r.count == 1 && !"aiu".utf8.contains(self.bytes[r.lowerBound]) }
        return EnglishWords.contains(bytes, a..<i, end..<z) || (single(a..<i) && z - end >= 2) || (single(end..<z) && i - a >= 2)
    }

    /// Where the gap `␠* emoji+ ␠*` starting at `i` ends, when it stands between two words
    /// (a letter or digit on each side); nil otherwise.
    func emojiGapEnd(from i: Int) -> Int? {
        guard i > 0, isWordEdge(bytes[i - 1]) else { return nil }
        let n = bytes.count
        var j = i
        while j < n && bytes[j] == UInt8(ascii: " ") { j += 1 }
        var emoji = 0
        while j < n, let length = emojiLength(bytes, j) {
            j += length
            emoji += 1
            while j < n && bytes[j] == UInt8(ascii: " ") { j += 1 }
        }
        guard emoji > 0, j < n, isWordEdge(bytes[j]) else { return nil }
        return j
    }
}

/// Letters, digits and non-ASCII letters' bytes (not emoji): what a fragment is made of.
@inline(__always)
private func isFragmentByte(_ b: UInt8) -> Bool { (b &- 0x61) < 26 || (b &- 0x30) < 10 || (b >= 0x80 && b != 0xF0 && b != 0xE2) }

@inline(__always)
private func isGap(_ b: UInt8) -> Bool { b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == FoldedText.invisibleMark }

/// A byte before a token that makes it part of something else (a longer token, a mention, a
/// link); a `.` or `_` only when a fragment stands before it (`x..y`, `,.main` start tokens).
@inline(__always)
private func isTokenContext(_ bytes: [UInt8], _ i: Int) -> Bool {
    let b = bytes[i]
    if b == UInt8(ascii: ".") || b == UInt8(ascii: "_") { return i > 0 && isFragmentByte(bytes[i - 1]) }
    return isFragmentByte(b) || b == FoldedText.invisibleMark || isAddressContext(b)
}

/// Short words that are never the piece of a longer word a scammer cut ("to", "my", "the"):
/// a fragment that is one of these is a word.
private let functionWords: Set<UInt32> = Set(
    ["a", "i", "u", "to", "me", "my", "is", "in", "on", "at", "of", "the", "and", "or", "for", "you", "ur",
     "it", "its", "be", "we", "us", "so", "up", "no", "do", "go", "get", "dm", "pm", "by", "an", "as", "if",
     "all", "now", "new", "our", "his", "her", "him", "are", "was", "not", "can", "via", "with", "from",
     "this", "that", "your", "here", "than", "just", "will", "only"].map(wordKey))

/// Function words of the other languages the shipped rules cover (Spanish, Portuguese,
/// Indonesian, Tagalog), for telling a message's spaces apart (`marksStandForSpaces`) only:
/// as fragments of cut English words they would split too much (`mo.ney`).
private let otherFunctionWords: Set<UInt32> = Set(
    ["de", "la", "el", "en", "es", "mi", "que", "los", "las", "con", "por", "para", "un", "una", "se", "te",
     "da", "na", "em", "um", "di", "ke", "ya", "ini", "dan", "aku", "ng", "sa", "ang", "mo", "y", "e", "o"].map(wordKey))

private func wordKey(_ word: String) -> UInt32 { word.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

/// Words of scam offers: an invisible character between two of them stands for a space
/// (`free\u{AD}coins`, `gift\u{200B}card`), where between two pieces of one word it joins them
/// (`chea\u{200C}pest`). Without a dictionary the two cannot be told apart otherwise.
private let scamWords: Set<[UInt8]> = Set([
    "free", "coins", "coin", "cheap", "gift", "gifts", "card", "cards", "generator", "hack", "glitch", "follow",
    "followers", "follower", "subs", "giveaway", "diamonds", "diamond", "bits", "robux", "claim", "prize", "win",
    "winner", "send", "get", "buy", "sell", "selling", "money", "cash", "paypal", "link", "bio", "click", "verify",
    "account", "login", "telegram", "whatsapp", "crypto", "bitcoin", "double", "promo", "code", "bonus", "reward",
    "rewards", "roses", "lions", "views", "viewers", "likes", "dm", "me", "now", "here",
].map { Array($0.utf8) })

private func isScamWord(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
    range.count >= 2 && range.count <= 9 && scamWords.contains(Array(bytes[range]))
}

/// Digits that leet can read as letters (`33` of `fr\u{200B}33`), not a number such as `20`.
private func isLeetRun(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
    for k in range where !"013457".utf8.contains(bytes[k]) { return false }
    return true
}

@inline(__always)
private func isFunctionWord(_ bytes: [UInt8], _ range: Range<Int>, otherLanguages: Bool = false) -> Bool {
    guard range.count <= 4 else { return false }
    var key: UInt32 = 0
    for k in range { key = key << 8 | UInt32(bytes[k]) }
    return functionWords.contains(key) || (otherLanguages && otherFunctionWords.contains(key))
}

@inline(__always)
private func isAddressContext(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "="),
         UInt8(ascii: "?"), UInt8(ascii: "&"), UInt8(ascii: "-"), UInt8(ascii: "%"), UInt8(ascii: "."), UInt8(ascii: "_"):
        return true
    default:
        return false
    }
}

/// `isAddressContext` without `.` and `_`, which next to a token are punctuation (`bugged..`).
@inline(__always)
private func isLinkContext(_ b: UInt8) -> Bool { b != UInt8(ascii: ".") && b != UInt8(ascii: "_") && isAddressContext(b) }

@inline(__always)
private func isASCIILetter(_ b: UInt8) -> Bool { (b &- 0x61) < 26 }

/// Whether `bytes[i]`, next to a token of letters, leaves the token a word of its own: a space or
/// punctuation, not a digit, another script's letter, or a link's, mention's or host's mark;
/// a `.` only as a sentence's end, with a space or nothing after it.
private func isCutWordBoundary(_ bytes: [UInt8], _ i: Int, before: Bool) -> Bool {
    let b = bytes[i]
    switch b {
    case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "\""), UInt8(ascii: "'"),
         UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "*"), 0x0A, 0x09:
        return true
    case UInt8(ascii: "."):
        return !before && (i + 1 == bytes.count || bytes[i + 1] == UInt8(ascii: " "))
    case UInt8(ascii: ":"):
        return !before && (i + 1 == bytes.count || bytes[i + 1] == UInt8(ascii: " "))
    default:
        return false
    }
}

@inline(__always)
private func isWordEdge(_ b: UInt8) -> Bool { (b &- 0x61) < 26 || (b &- 0x30) < 10 }

@inline(__always)
private func isEmojiLead(_ bytes: [UInt8], _ i: Int) -> Bool { emojiLength(bytes, i) != nil }

/// The length of the emoji at `i`: U+1F000-1FAFF (pictographs, emoticons, symbols) and
/// U+2600-27BF (miscellaneous symbols, dingbats); nil for anything else.
@inline(__always)
private func emojiLength(_ bytes: [UInt8], _ i: Int) -> Int? {
    let n = bytes.count
    if bytes[i] == 0xF0 && i + 3 < n && bytes[i + 1] == 0x9F { return 4 }
    if bytes[i] == 0xE2 && i + 2 < n && (0x98...0x9E).contains(bytes[i + 1]) { return 3 }
    return nil
}
