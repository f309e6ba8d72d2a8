import ScanSupport
import Normalise
import Model

/// What a message carries that first-contact and wave rules look for: contact handles (Telegram,
/// WhatsApp, ... or a phone number) and payment handles (`$cashtag`, a Venmo/PayPal/Cash App
/// handle, a wallet address). Links come from `LinkExtractor`.
///
/// A service name alone is not a handle ("I love telegram"): it must be followed, within the
/// next three words, by an `@name` or by a name with a digit or `_` (`coins_4u`), or by a phone
/// number.
enum ContactFinder {
    struct Found {
        /// Raw span of the first thing found.
        var start: Int
        var end: Int
        var what: String
    }

    static let contactServices: [[UInt8]] = ["telegram", "tg", "whatsapp", "wa", "snapchat", "snap", "kik", "wechat", "signal", "discord"].map { Array($0.utf8) }
    static let paymentServices: [[UInt8]] = ["cashapp", "venmo", "zelle", "paypal", "btc", "usdt", "eth", "bitcoin", "crypto", "skrill"].map { Array($0.utf8) }
    static let contactHosts: Set<String> = ["t.me", "telegram.me", "wa.me", "wa.link", "chat.whatsapp.com", "snapchat.com", "kik.me"]
    static let paymentHosts: Set<String> = ["paypal.me", "cash.app", "venmo.com"]

    /// Phone numbers, cashtags and wallet addresses in the raw text (the folded view reads
    /// digits as letters).
    /// - Complexity: O(n).
    static func scanRaw(_ raw: UnsafeRawBufferPointer, want: SignalRule.Carries) -> Found? {
        let n = raw.count
        var i = 0
        while i < n {
            let b = raw[i]
            if want.contains(.payment) && b == UInt8(ascii: "$") && i + 3 < n && isLetter(raw[i + 1]) && (i == 0 || !isWord(raw[i - 1])) {
                var j = i + 1
                while j < n && (isWord(raw[j])) { j += 1 }
                // `$BTC`, `$ETH`: an upper-case ticker of up to 5 letters is not a cashtag.
                let ticker = j - i - 1 <= 5 && (i + 1..<j).allSatisfy { raw[$0] >= 0x41 && raw[$0] <= 0x5A }
                if j - i - 1 >= 3 && j - i - 1 <= 20 && !ticker {
                    return Found(start: i, end: j, what: "a cashtag")
                }
            }
            if want.contains(.payment) && b == UInt8(ascii: "0") && i + 42 <= n && (raw[i + 1] | 0x20) == UInt8(ascii: "x")
                && (i == 0 || !isWord(raw[i - 1])) && (2..<42).allSatisfy({ isHex(raw[i + $0]) }) && (i + 42 == n || !isWord(raw[i + 42])) {
                return Found(start: i, end: i + 42, what: "a wallet address")
            }
            if want.contains(.payment) && (b | 0x20) == UInt8(ascii: "b") && i + 28 <= n && (i == 0 || !isWord(raw[i - 1]))
                && (raw[i + 1] | 0x20) == UInt8(ascii: "c") && raw[i + 2] == UInt8(ascii: "1") {
                var j = i + 3
                while j < n && (isDigit(raw[j]) || isLetter(raw[j])) { j += 1 }
                if j - i >= 28 && j - i <= 90 && (j == n || !isWord(raw[j])) {
                    return Found(start: i, end: j, what: "a wallet address")
                }
            }
            if want.contains(.contact) && (isDigit(b) || b == UInt8(ascii: "+")) && (i == 0 || !isWord(raw[i - 1])) {
                // Digits with single separators between them: 10 to 15 digits is a phone number.
                var j = i, digits = 0, lastDigit = i
                while j < n {
                    let c = raw[j]
                    if isDigit(c) { digits += 1; lastDigit = j }
                    else if c == 0x20 || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || (c == UInt8(ascii: "+") && j == i) {
                        if j > i && !isDigit(raw[j - 1]) && raw[j - 1] != UInt8(ascii: ")") && c != UInt8(ascii: "(") { break }
                    } else { break }
                    j += 1
                }
                let endsWord = lastDigit + 1 >= n || !isWord(raw[lastDigit + 1])
                if digits >= 10 && digits <= 15 && endsWord {
                    return Found(start: i, end: lastDigit + 1, what: "a phone number")
                }
                i = max(j, i + 1)
                continue
            }
            i += 1
        }
        return nil
    }

    /// A service name followed by a handle, in the folded text; spans mapped to the raw text.
    static func scanFolded(_ folded: FoldedText, raw: UnsafeRawBufferPointer, want: SignalRule.Carries) -> Found? {
        let bytes = folded.bytes
        let n = bytes.count
        var words: [(start: Int, end: Int, at: Bool)] = []
        var i = 0
        while i < n {
            while i < n && !isHandleByte(bytes[i]) { i += 1 }
            let start = i
            while i < n && isHandleByte(bytes[i]) { i += 1 }
            if i > start { words.append((start, i, start > 0 && bytes[start - 1] == UInt8(ascii: "@"))) }
        }
        for (k, w) in words.enumerated() {
            let len = w.end - w.start
            guard len >= 2 && len <= 8 else { continue }
            var carries: SignalRule.Carries = []
            if want.contains(.contact) && contactServices.contains(where: { equal(bytes, w.start, w.end, $0) }) { carries = .contact }
            else if want.contains(.payment) && paymentServices.contains(where: { equal(bytes, w.start, w.end, $0) }) { carries = .payment }
            if carries.isEmpty { continue }
            for next in words[(k + 1)..<min(words.count, k + 4)] {
                let span = folded.rawSpan(start: next.start, end: next.end)
                let token = UnsafeRawBufferPointer(rebasing: raw[span.start..<span.end])
                let handle = next.at || (token.count >= 4 && token.contains { isDigit($0) || $0 == UInt8(ascii: "_") })
                if handle {
                    let service = String(decoding: bytes[w.start..<w.end], as: UTF8.self)
                    let whole = folded.rawSpan(start: w.start, end: next.end)
                    return Found(start: whole.start, end: whole.end,
                                 what: carries == .contact ? "a \(service) contact handle" : "a \(service) payment handle")
                }
            }
        }
        return nil
    }

    private static func equal(_ bytes: [UInt8], _ s: Int, _ e: Int, _ word: [UInt8]) -> Bool {
        guard e - s == word.count else { return false }
        for k in 0..<word.count where bytes[s + k] != word[k] { return false }
        return true
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isWord(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b == UInt8(ascii: "_") }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    @inline(__always) static func isHandleByte(_ b: UInt8) -> Bool { isWord(b) || b == UInt8(ascii: ".") || b >= 0x80 }
}

/// The shape of a message as chat bots' filters see it (caps, symbols, length, zalgo).
struct ShapeStats {
    /// Letters, and upper-case letters, over the message's distinct words: an emote repeated
    /// ten times (`KEKW KEKW ...`) counts once, so emote spam is not shouting.
    var letters = 0
    var upper = 0
    /// ASCII punctuation and symbols, and all characters other than white space.
    var symbols = 0
    var visible = 0
    /// Unicode scalars.
    var length = 0
    /// The most combining marks stacked on one character (zalgo stacks dozens; no language
    /// needs more than 2 or 3).
    var maxMarks = 0

    private var wordHashes: [UInt64] = []

    /// - Complexity: O(n) for n bytes, plus O(w) per word for the distinct-word check (w ≤ 64).
    mutating func compute(_ raw: UnsafeRawBufferPointer) {
        letters = 0; upper = 0; symbols = 0; visible = 0; length = 0; maxMarks = 0
        wordHashes.removeAll(keepingCapacity: true)
        var wordHash: UInt64 = 0xCBF2_9CE4_8422_2325
        var wordLetters = 0, wordUpper = 0, inWord = false
        var marks = 0
        func endWord(_ s: inout ShapeStats) {
            guard inWord else { return }
            inWord = false
            if !s.wordHashes.contains(wordHash) {
                if s.wordHashes.count < 64 { s.wordHashes.append(wordHash) }
                s.letters += wordLetters
                s.upper += wordUpper
            }
            wordHash = 0xCBF2_9CE4_8422_2325; wordLetters = 0; wordUpper = 0
        }
        var i = 0
        while i < raw.count {
            let v: UInt32
            if let (scalar, n) = decodeScalar(raw, at: i) {
                v = scalar.value
                i += n
            } else {
                v = 0xFFFD
                i += 1
            }
            length += 1
            if v == 0x20 || v == 0x09 || v == 0xA0 || v == 0x3000 || (v >= 0x2000 && v <= 0x200B) {
                endWord(&self)
                marks = 0
                continue
            }
            visible += 1
            inWord = true
            wordHash = (wordHash ^ UInt64(v)) &* 0x100_0000_01B3
            if isCombiningMark(v) {
                marks += 1
                if marks > maxMarks { maxMarks = marks }
                continue
            }
            marks = 0
            if v < 0x80 {
                let b = UInt8(v)
                if b >= 0x41 && b <= 0x5A { wordLetters += 1; wordUpper += 1 }
                else if b >= 0x61 && b <= 0x7A { wordLetters += 1 }
                else if (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E) { symbols += 1 }
            } else if let s = Unicode.Scalar(v), s.properties.isAlphabetic {
                if s.properties.isUppercase { wordLetters += 1; wordUpper += 1 }
                else if s.properties.isLowercase { wordLetters += 1 }
            }
        }
        endWord(&self)
    }

    /// Combining diacritical marks (the blocks zalgo draws from).
    @inline(__always)
    func isCombiningMark(_ v: UInt32) -> Bool {
        (v >= 0x300 && v <= 0x36F) || (v >= 0x1AB0 && v <= 0x1AFF) || (v >= 0x1DC0 && v <= 0x1DFF)
            || (v >= 0x20D0 && v <= 0x20FF) || (v >= 0xFE20 && v <= 0xFE2F) || (v >= 0x483 && v <= 0x489)
    }
}
