import ScanSupport
import Normalise
import Model

/// How a message becomes the sparse vector the text model scores. Saved in the model file, so a
/// model is always read with the features it was trained on.
public struct TracedFeature: Sendable {
    public var slot: Int
    public var kind: FeatureKind
    public var text: String
    public var start: Int
    public var end: Int
}

/// Turns a message (raw bytes, its folded view and the links found in it) into hashed features.
/// Reuse one value: its buffers keep their capacity, so extraction does not allocate once warm.
///
/// Features, all from the folded view (case, accents, look-alikes, leet and spacing undone):
/// - words (runs of ASCII letters and digits, or of other letters; each emoji is a word of its
///   own) and, with `wordBigrams`, pairs of neighbouring words;
/// - character n-grams of each word padded with a space on either side (`charMin`...`charMax`);
/// - for each link, its host's last two labels, and its top-level domain unless it is one of the
///   platforms' own sites (`knownHosts`);
/// - traits of the whole message: a link (not to a platform's own site), several links, a URL
///   shortener, an @mention, a contact
///   or payment handle, digit runs (raw text: the folded view reads digits as letters), emoji,
///   mostly or many capitals and a leading `!` (a bot command). (Version 1 also had the length and
///   "few capitals": they told the sources apart, since SMS, comments and live chat differ in both,
///   and made ordinary chat lines look like spam. Up to version 3 each folding technique the
///   message needed was a trait too: trained on data where fancy fonts are mostly ordinary chat,
///   it took weight off a scam for being disguised, and the folded view is there so that a
///   disguise changes nothing.)
///
/// Word and n-gram features share a weight of 1/sqrt(their count), so a long SMS and a short chat
/// line weigh alike; traits weigh 1.
/// - Complexity: O(min(n, maxBytes) × (charMax − charMin + 1)) hashes for a message of n bytes.
public struct TextFeaturizer {
    public let settings: FeatureSettings
    private let mask: UInt64
    /// Slots and values of the last message, in extraction order (a slot may repeat).
    public private(set) var slots: [Int32] = []
    public private(set) var values: [Float] = []
    /// With `trace`, what each feature was (same order as `slots`).
    public private(set) var traced: [TracedFeature] = []
    private var words: [(start: Int, end: Int)] = []
    private var padded: [UInt8] = []
    /// The n-gram hashes of one word, size by size (`addCharGrams`).
    private var grams: [UInt64] = []

    public init(settings: FeatureSettings) {
        self.settings = settings
        mask = (1 << UInt64(settings.bits)) - 1
    }

    static let shorteners: Set<String> = ["bit.ly", "tinyurl.com", "goo.gl", "t.co", "is.gd", "ow.ly", "cutt.ly", "rb.gy",
                                          "shorturl.at", "tiny.cc", "buff.ly", "rebrand.ly", "s.id", "v.gd", "bitly.com",
                                          "linktr.ee", "shorte.st", "adf.ly", "tr.ee", "t.ly"]

    /// The platforms' own sites and the hosts they serve from: a fan's link to a clip, a tweet, a
    /// Prime subscription page (twitch.amazon.com/tp) or a Discord image is no spam link: it gives
    /// only its host feature, no `link`, `url` or `tld:` trait. Invite links (discord.gg) and
    /// shorteners are not here.
    static let knownHosts: Set<String> = ["twitch.tv", "amazon.com", "youtube.com", "youtu.be", "ytimg.com", "twitter.com",
                                          "x.com", "twimg.com", "discordapp.net", "discordapp.com", "discord.com",
                                          "imgur.com", "reddit.com", "redd.it", "instagram.com", "facebook.com",
                                          "tiktok.com", "kick.com", "steampowered.com", "steamcommunity.com",
                                          "wikipedia.org", "gyazo.com", "streamable.com", "spotify.com", "twitchcdn.net",
                                          "jtvnw.net"]

    /// Extracts the features of one message, replacing the last.
    public mutating func extract(raw: UnsafeRawBufferPointer, folded: FoldedText, links: [Link], trace: Bool = false) {
        slots.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        traced.removeAll(keepingCapacity: true)
        let bytes = folded.bytes
        let n = min(bytes.count, settings.maxBytes)
        bytes.withUnsafeBufferPointer { b in
            splitWords(b, count: n)
            for (k, w) in words.enumerated() {
                add(.word, b, w.start, w.end, trace: trace)
                if settings.wordBigrams && k + 1 < words.count {
                    let next = words[k + 1]
                    addPair(b, w, next, trace: trace)
                }
                addCharGrams(b, w, trace: trace)
            }
        }
        // Words and n-grams share one unit of weight.
        if !values.isEmpty {
            let weight = Float(1 / Double(values.count).squareRoot())
            for k in values.indices { values[k] = weight }
        }
        traits(raw: raw, folded: folded, links: links, count: n, trace: trace)
    }

    // MARK: - Words and n-grams

    /// Splits the first `count` folded bytes into words.
    private mutating func splitWords(_ b: UnsafeBufferPointer<UInt8>, count n: Int) {
        words.removeAll(keepingCapacity: true)
        var i = 0
        while i < n {
            let c = b[i]
            if Self.isWordByte(c) {
                let start = i
                while i < n && Self.isWordByte(b[i]) { i += 1 }
                words.append((start, i))
            } else if c >= 0x80 {
                let len = Self.scalarLength(c)
                let end = min(i + len, n)
                if Self.isSymbolScalar(b, i, end) {
                    words.append((i, end))  // an emoji or symbol is a word of its own
                    i = end
                } else {
                    // A run of other letters (a word in another script).
                    let start = i
                    i = end
                    while i < n, b[i] >= 0x80 || Self.isWordByte(b[i]) {
                        if b[i] >= 0x80 {
                            let e = min(i + Self.scalarLength(b[i]), n)
                            if Self.isSymbolScalar(b, i, e) { break }
                            i = e
                        } else {
                            i += 1
                        }
                    }
                    words.append((start, i))
                }
            } else {
                i += 1
            }
        }
        if words.count > 512 { words.removeLast(words.count - 512) }
    }

    private mutating func add(_ kind: FeatureKind, _ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, trace: Bool) {
        var h = Self.start(settings.seed, kind)
        for i in s..<e { h = Self.mix(h, b[i]) }
        push(h, kind: kind, trace: trace ? (String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self), s, e) : nil)
    }

    private mutating func addPair(_ b: UnsafeBufferPointer<UInt8>, _ w: (start: Int, end: Int), _ v: (start: Int, end: Int), trace: Bool) {
        var h = Self.start(settings.seed, .bigram)
        for i in w.start..<w.end { h = Self.mix(h, b[i]) }
        h = Self.mix(h, 0x20)
        for i in v.start..<v.end { h = Self.mix(h, b[i]) }
        let text = trace ? String(decoding: UnsafeBufferPointer(rebasing: b[w.start..<w.end]), as: UTF8.self) + " "
            + String(decoding: UnsafeBufferPointer(rebasing: b[v.start..<v.end]), as: UTF8.self) : ""
        push(h, kind: .bigram, trace: trace ? (text, w.start, v.end) : nil)
    }

    /// N-grams of " word ", in bytes (a multi-byte letter may be cut: the same cut every time).
    /// Each start's hashes grow one byte at a time (the hash of an n-gram is its prefix's hash
    /// mixed with one more byte), so a start costs `charMax` mixes for all its sizes; they are
    /// pushed size by size, the order the model was trained with.
    /// - Complexity: O(len × charMax) mixes for a word of `len` bytes, no allocation once warm.
    private mutating func addCharGrams(_ b: UnsafeBufferPointer<UInt8>, _ w: (start: Int, end: Int), trace: Bool) {
        let len = w.end - w.start
        guard len <= 64 else { return }  // a 64-byte run is no word; its unigram is enough
        let m = len + 2
        let sizes = settings.charMax - settings.charMin + 1
        grams.removeAll(keepingCapacity: true)
        grams.append(contentsOf: repeatElement(0, count: sizes * m))
        let origin = Self.start(settings.seed, .chars)
        grams.withUnsafeMutableBufferPointer { table in
            // " word ": byte i of the padded word.
            @inline(__always) func byte(_ i: Int) -> UInt8 { i == 0 || i == m - 1 ? 0x20 : b[w.start + i - 1] }
            for s in 0..<m {
                var h = origin
                let top = min(settings.charMax, m - s)
                var size = 0
                while size < top {
                    h = Self.mix(h, byte(s + size))
                    size += 1
                    if size >= settings.charMin { table[(size - settings.charMin) * m + s] = h }
                }
            }
        }
        for size in settings.charMin...settings.charMax where size <= m {
            let row = (size - settings.charMin) * m
            for s in 0...(m - size) {
                if trace {
                    padded.removeAll(keepingCapacity: true)
                    for i in s..<(s + size) { padded.append(i == 0 || i == m - 1 ? 0x20 : b[w.start + i - 1]) }
                    let text = String(decoding: padded, as: UTF8.self)
                    let fs = w.start + max(0, s - 1), fe = w.start + min(len, s + size - 1)
                    push(grams[row + s], kind: .chars, trace: (text, fs, max(fs, fe)))
                } else {
                    push(grams[row + s], kind: .chars, trace: nil)
                }
            }
        }
    }

    // MARK: - Traits

    private mutating func traits(raw: UnsafeRawBufferPointer, folded: FoldedText, links: [Link], count n: Int, trace: Bool) {
        let bytes = folded.bytes
        var linkCount = 0
        var mention = false
        for link in links where link.nameEnd <= n {
            if link.kind == .handle { mention = true; continue }
            linkCount += 1
            // The host's last two labels (empty labels skipped, as `split` does), from the bytes.
            guard let (second, last) = Self.lastTwoLabels(bytes, link.nameStart, link.nameEnd) else {
                if link.kind == .url { hashed(.trait, "url", trace: trace, span: (link.start, link.end)) }
                continue
            }
            let domain = last.lowerBound == second.upperBound + 1
                ? String(decoding: bytes[second.lowerBound..<last.upperBound], as: UTF8.self)
                : String(decoding: bytes[second], as: UTF8.self) + "." + String(decoding: bytes[last], as: UTF8.self)
            hashed(.host, domain, trace: trace, span: (link.nameStart, link.nameEnd))
            if Self.knownHosts.contains(domain) {
                linkCount -= 1
                continue
            }
            hashed(.trait, String(decoding: bytes[last], as: UTF8.self), prefix: "tld:", trace: trace,
                   span: (link.nameStart, link.nameEnd))
            if Self.shorteners.contains(domain)
                || Self.shorteners.contains(String(decoding: bytes[link.nameStart..<link.nameEnd], as: UTF8.self)) {
                hashed(.trait, "shortener", trace: trace, span: (link.start, link.end))
            }
            if link.kind == .url { hashed(.trait, "url", trace: trace, span: (link.start, link.end)) }
        }
        if linkCount > 0 { hashed(.trait, "link", trace: trace, span: nil) }
        if linkCount > 1 { hashed(.trait, "links", trace: trace, span: nil) }
        if mention { hashed(.trait, "mention", trace: trace, span: nil) }
        let rawPart = UnsafeRawBufferPointer(rebasing: raw[0..<min(raw.count, settings.maxBytes)])
        // The folded scan lists every word: only for texts within the byte budget.
        if let found = ContactFinder.scanRaw(rawPart, want: [.contact, .payment])
            ?? (bytes.count <= settings.maxBytes ? ContactFinder.scanFolded(folded, raw: raw, want: [.contact, .payment]) : nil) {
            hashed(.trait, found.what.contains("payment") || found.what.contains("cashtag") || found.what.contains("wallet") ? "payment" : "contact",
                   trace: trace, span: nil)
        }
        // Digits, capitals and emoji, from the raw bytes.
        var longestDigits = 0, run = 0, digits = 0, letters = 0, upper = 0, emoji = 0
        var i = 0
        while i < rawPart.count {
            let c = rawPart[i]
            if c >= 0x30 && c <= 0x39 {
                digits += 1; run += 1; longestDigits = max(longestDigits, run)
            } else {
                run = 0
                if c >= 0x41 && c <= 0x5A { letters += 1; upper += 1 }
                else if c >= 0x61 && c <= 0x7A { letters += 1 }
                // Pictographs (U+1F000 on), not the other four-byte letters: mathematical
                // alphanumerics (U+1D400) are a font, CJK extensions are writing.
                else if c == 0xF0, i + 1 < rawPart.count, rawPart[i + 1] == 0x9F { emoji += 1 }
                else if c == 0xE2, i + 1 < rawPart.count, rawPart[i + 1] >= 0x98 && rawPart[i + 1] <= 0x9E { emoji += 1 }
            }
            i += 1
        }
        if digits > 0 {
            hashed(.trait, longestDigits >= 7 ? "digits:long" : longestDigits >= 3 ? "digits:some" : "digits:few", trace: trace, span: nil)
        }
        if emoji > 0 { hashed(.trait, emoji >= 4 ? "emoji:many" : "emoji:some", trace: trace, span: nil) }
        // Capitals only when they stand out: "few capitals" is most messages of every source, so
        // as a feature it learns which source a message came from, not whether it is a scam.
        if letters >= 8 {
            let ratio = Double(upper) / Double(letters)
            if ratio > 0.25 { hashed(.trait, ratio > 0.6 ? "caps:most" : "caps:some", trace: trace, span: nil) }
        }
        // A chat command (`!subscribe`, `!uptime`) addresses a bot.
        if raw.first == UInt8(ascii: "!") { hashed(.trait, "command", trace: trace, span: nil) }
    }

    /// Pushes the feature `prefix` + `text` (hashed as one string, built only for a trace).
    private mutating func hashed(_ kind: FeatureKind, _ text: String, prefix: StaticString = "", trace: Bool, span: (Int, Int)?) {
        var h = Self.start(settings.seed, kind)
        prefix.withUTF8Buffer { for c in $0 { h = Self.mix(h, c) } }
        for c in text.utf8 { h = Self.mix(h, c) }
        let at = span ?? (0, 0)
        push(h, kind: kind, trace: trace ? ("\(prefix)" + text, at.0, at.1) : nil, value: 1)
    }

    /// The second-last and the last non-empty `.`-separated labels of `bytes[start..<end]`, as
    /// `split(separator: ".")` would give them; nil when the host has fewer than two.
    private static func lastTwoLabels(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (second: Range<Int>, last: Range<Int>)? {
        var last: Range<Int>?
        var labelEnd = end
        var i = end
        while i >= start {
            if i == start || bytes[i - 1] == UInt8(ascii: ".") {
                if labelEnd > i {
                    if let last { return (i..<labelEnd, last) }
                    last = i..<labelEnd
                }
                labelEnd = i - 1
            }
            i -= 1
        }
        return nil
    }

    @inline(__always)
    private mutating func push(_ h: UInt64, kind: FeatureKind, trace: (String, Int, Int)?, value: Float = 0) {
        let slot = Int32(truncatingIfNeeded: Self.finish(h) & mask)
        slots.append(slot)
        values.append(value)
        if let trace { traced.append(TracedFeature(slot: Int(slot), kind: kind, text: trace.0, start: trace.1, end: trace.2)) }
    }

    // MARK: - Bytes and hashing

    @inline(__always) static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)
    }

    @inline(__always) static func scalarLength(_ lead: UInt8) -> Int {
        lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    }

    /// Emoji, pictographs, arrows, dingbats, general punctuation and other symbols: each a word.
    @inline(__always) static func isSymbolScalar(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let lead = b[s]
        if lead >= 0xF0 { return e - s == 4 && b[s + 1] == 0x9F }  // U+1Fxxx
        if lead == 0xE2 { return true }  // U+2000-U+2FFF: punctuation, symbols, arrows, dingbats
        if lead == 0xC2 { return e - s == 2 && b[s + 1] < 0xC0 && b[s + 1] != 0xAA && b[s + 1] != 0xB5 && b[s + 1] != 0xBA }  // Latin-1 symbols
        return false
    }

    @inline(__always) static func start(_ seed: UInt64, _ kind: FeatureKind) -> UInt64 {
        (seed ^ 0xCBF2_9CE4_8422_2325) &* 0x100_0000_01B3 ^ UInt64(kind.rawValue)
    }

    @inline(__always) static func mix(_ h: UInt64, _ b: UInt8) -> UInt64 {
        (h ^ UInt64(b)) &* 0x100_0000_01B3
    }

    /// A final avalanche (splitmix64's), so the low bits depend on every byte.
    @inline(__always) package static func finish(_ h: UInt64) -> UInt64 {
        var z = h
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Folding, links and features for one message, the same way for training and for scoring.
package enum MessageFeatures {
    package static func extract(raw: UnsafeRawBufferPointer, folded: inout FoldedText, links: inout [Link], featurizer: inout TextFeaturizer,
                        trace: Bool = false) {
        // The folded view of a huge line is cut at a multiple of the budget: features read only
        // its first maxBytes bytes, and folding grows by a few bytes per raw byte at most.
        let cap = min(raw.count, featurizer.settings.maxBytes * 4)
        folded.fold(UnsafeRawBufferPointer(rebasing: raw[0..<cap]))
        links.removeAll(keepingCapacity: true)
        LinkExtractor.extract(folded.bytes, into: &links)
        featurizer.extract(raw: raw, folded: folded, links: links, trace: trace)
    }
}
