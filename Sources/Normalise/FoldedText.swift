import ScanSupport

/// The `folded` view of one text, with an offset map back into the raw text.
///
/// Folding undoes the tricks scammers use to slip past keyword filters, in this order
/// (docs/RULES.md shows each with an example):
///
/// 1. Unicode, scalar by scalar (`FoldTable`): NFKC and case folding; combining marks dropped
///    from Latin, Greek and Cyrillic letters; invisible characters (default-ignorable code points:
///    zero-width, bidi controls, variation selectors, tags, soft hyphen) dropped; enclosed,
///    squared and regional-indicator letters to ASCII; letters of another script that look Latin
///    (UTS #39 confusables) written as the Latin letter, within words that are Latin or made only
///    of look-alikes, so Russian and Greek words stay as they are.
/// 2. Spacing: single letters separated by one repeated separator are joined (`f r e e` -> `free`).
/// 3. Leet: digits and `@ $` inside words of at least two letters become letters (`c0ins`).
/// 4. Defang: `hxxp`, `[.]`, `(dot)`, ` dot com`, `t . me / x` are restored.
///
/// Every folded byte remembers the raw span it came from, so a match on the folded text reports a
/// span of the raw text: what the user wrote, never a guess. `techniques` says which steps changed
/// something that looks like evasion (ordinary case and accents are not reported).
///
/// Reuse one value across records: its buffers keep their capacity, so folding does not allocate
/// once warmed up. Plain ASCII without tricks takes a lower-casing loop and three scans that find
/// nothing to do, with no offset map (the identity).
public struct FoldedText {
    /// Which steps run; all by default. Fewer steps serve look-alike checks and tests.
    public struct Steps: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let unicode = Steps(rawValue: 1)
        public static let spacing = Steps(rawValue: 2)
        public static let leet = Steps(rawValue: 4)
        public static let defang = Steps(rawValue: 8)
        public static let all: Steps = [.unicode, .spacing, .leet, .defang]
    }

    public internal(set) var bytes: [UInt8] = []
    /// The evasion techniques this text needed.
    public internal(set) var techniques: FoldTechniques = []
    public var steps: Steps

    /// For each folded byte, the raw offsets of the start and end of what it was folded from.
    /// Empty when the map is the identity.
    var rawStart: [Int32] = []
    var rawEnd: [Int32] = []
    private var rawCount = 0
    /// The Unicode step wrote `invisibleMark`s for the separators step.
    private var invisibleMarks = false
    /// Scratch for the separators step: one token's fragments and which are function words.
    var fragments: [(from: Int, to: Int, length: Int, letters: Int)] = []
    var function: [Bool] = []
    /// Words made only of look-alike letters in this Unicode pass: left as written, rewritten.
    private var lookalikeWords = (skipped: 0, rewritten: 0)
    /// Words by script in this Unicode pass (`UnicodeOutcome`).
    private var wordCounts = (cyrillic: 0, latin: 0, mixed: 0, native: 0, scriptMixed: 0)

    // Scratch for the passes (ping-pong with bytes/rawStart/rawEnd) and for word buffering.
    var outBytes: [UInt8] = []
    var outStart: [Int32] = []
    var outEnd: [Int32] = []
    var passBegun = false
    /// The leet step's reading of one token as letters (`readsAsWord`).
    var wordReading: [UInt8] = []
    private var pendingScratch: [(offset: Int, length: Int, lookalike: Range<Int>)] = []
    private var tailBytes: [UInt8] = []
    private var tailStart: [Int32] = []
    private var tailEnd: [Int32] = []
    /// Per scalar seen recently: its table row, -1 (none, alphabetic), -3 (none, a newer mark) or -2 (none, other).
    private var cacheKeys = [UInt32](repeating: UInt32.max, count: 256)
    private var cacheRows = [Int32](repeating: -2, count: 256)
    var positions: [Int] = []

    public init(steps: Steps = .all) {
        self.steps = steps
    }

    /// Folds `raw`, replacing the previous contents.
    /// - Complexity: O(n); O(n log t) for non-ASCII text with a Unicode table of t rows.
    public mutating func fold(_ raw: UnsafeRawBufferPointer) {
        bytes.removeAll(keepingCapacity: true)
        rawStart.removeAll(keepingCapacity: true)
        rawEnd.removeAll(keepingCapacity: true)
        techniques = []
        invisibleMarks = false
        rawCount = raw.count
        if isASCII(raw) || !steps.contains(.unicode) {
            bytes.append(contentsOf: raw)
            bytes.withUnsafeMutableBufferPointer { buffer in
                for i in buffer.indices {
                    let b = buffer[i]
                    buffer[i] = b &+ ((b &- 0x41) < 26 ? 0x20 : 0)
                }
            }
        } else {
            foldUnicode(raw)
        }
        let passes = steps.intersection([.spacing, .leet, .defang])
        guard !passes.isEmpty else { return }
        var triggers = bytes.withUnsafeBufferPointer { Triggers(scanning: $0) }
        if passes.contains(.spacing) && invisibleMarks {
            invisibleMarks = false
            if resolveSeparators(marksOnly: true) { triggers = bytes.withUnsafeBufferPointer { Triggers(scanning: $0) } }
        }
        if passes.contains(.spacing) && triggers.spacedOut && joinSpacedMessage() {
            triggers = bytes.withUnsafeBufferPointer { Triggers(scanning: $0) }
        }
        if passes.contains(.spacing) && triggers.spacing {
            joinSpacedLetters()
            // Joined letters can put leet next to letters ("f r 3 3"): look again.
            if techniques.contains(.spacing) { triggers = bytes.withUnsafeBufferPointer { Triggers(scanning: $0) } }
        }
        if passes.contains(.leet) && triggers.leet { foldLeet() }
        if passes.contains(.defang) && triggers.defang { restoreDefanged() }
        if passes.contains(.spacing) {
            if triggers.separators && spaceDottedMessage() { triggers = bytes.withUnsafeBufferPointer { Triggers(scanning: $0) } }
            let emojiGap = triggers.emoji && hasEmojiGap()
            if emojiGap || (triggers.separators && hasWordGap()) { resolveSeparators(marksOnly: false, emoji: emojiGap) }
            if triggers.cutWords { joinCutWords() }
        }
    }

    /// Which byte passes can change the text, from one scan: most chat needs none, and then
    /// pays only this loop.
    struct Triggers {
        /// An isolated letter followed by a separator, twice (`f r`... `e e`).
        var spacing = false
        /// A leet character next to a letter.
        var leet = false
        /// A bracket, `xx`, `dot` or a `.` next to a space.
        var defang = false
        /// A `.` or `_` after a letter or digit: the separators step.
        var separators = false
        /// An emoji, which may stand between two words.
        var emoji = false
        /// A `-` or `_` after a letter or digit: a word may be cut (`a-cco-unt`, `log_i_n`).
        var cutWords = false
        /// A fifth of the bytes or more are spaces, six of them or more: the message may be
        /// spaced out as a whole (`п р о д а ю  м о н е т ы`), for `joinSpacedMessage`.
        var spacedOut = false

        /// - Complexity: O(n), one table lookup per byte.
        init(scanning bytes: UnsafeBufferPointer<UInt8>) {
            self = byteClasses.withUnsafeBufferPointer { Triggers(scanning: bytes, classes: $0) }
        }

        private init(scanning bytes: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<UInt8>) {
            // Branch-free: chat bytes are unpredictable, and a mispredicted branch per space costs
            // more than these few bit operations per byte.
            var c1: UInt8 = spaceClass  // the classes of the two bytes before (start: as after a space)
            var c2: UInt8 = spaceClass
            var last4: UInt32 = 0       // the last four bytes, for "dot "
            var isolatedThenSeparator = 0
            var leetBits: UInt8 = 0
            var defangBits: UInt8 = 0
            var dotSpace = false
            var gapBits: UInt8 = 0
            var spaces = 0
            for b in bytes {
                spaces &+= b == 0x20 ? 1 : 0
                let c = classes[Int(b)]
                // "." or "_" after a letter or digit; an emoji (F0 9F.., E2 98..E2 9E..)
                let g = gapClasses[Int(b)]
                gapBits |= (g & (((c1 >> 4) & 1) &* 5)) | (g & 2)
                    | UInt8(truncatingIfNeeded: last4 & 0xFF == 0xE2 && (b &- 0x98) < 7 ? 2 : 0)
                last4 = last4 << 8 | UInt32(b)
                // separator after a letter (or leet) that follows a non-alphanumeric byte
                isolatedThenSeparator &+= Int((c >> 2) & (c1 | c1 >> 1) & ~(c2 >> 4) & 1)
                // leet next to a letter, either side
                leetBits |= ((c >> 1) & c1) | (c & (c1 >> 1))
                // a bracket; "xx"; " ." or ". "
                defangBits |= (c & bracketClass) | (c & c1 & xClass) | ((c >> 6) & (c1 >> 7)) | ((c >> 7) & (c1 >> 6))
                dotSpace = dotSpace || last4 == 0x646F_7420  // "dot "
                c2 = c1
                c1 = c
            }
            spacing = isolatedThenSeparator >= 2
            spacedOut = spaces >= 6 && spaces * 5 >= bytes.count
            separators = gapBits & 1 != 0
            emoji = gapBits & 2 != 0
            cutWords = gapBits & 4 != 0 || separators
            leet = leetBits & 1 != 0
            defang = defangBits & (bracketClass | xClass | 1) != 0 || dotSpace
        }
    }

    /// Folds a string; for tests and examples.
    public mutating func fold(_ text: String) {
        var copy = text
        copy.withUTF8 { fold(UnsafeRawBufferPointer($0)) }
    }

    /// The folded text as a string (invalid UTF-8 repaired); for display and tests.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Maps a span of the folded bytes to the span of raw bytes it was folded from.
    /// The raw span covers whole source scalars.
    public func rawSpan(start: Int, end: Int) -> (start: Int, end: Int) {
        if rawStart.isEmpty { return (start, end) }
        let s = start < rawStart.count ? Int(rawStart[start]) : rawCount
        let e = end > start ? Int(rawEnd[end - 1]) : s
        return (s, e)
    }


    // MARK: - Step 1: Unicode

    /// The word being read: letters are written at once; a letter with a Latin look-alike is
    /// written as itself and rewritten when the word ends, if the word turns out Latin.
    private struct WordState {
        var latin = 0
        var lookalike = 0
        var foreign = 0
        var digits = 0
        /// Cyrillic letters (look-alike or not), and those with no Latin look-alike.
        var cyrillic = 0
        var foreignCyrillic = 0
        /// Look-alikes that are fancy-text readings (`FoldTable.Flags.fancy`).
        var fancy = 0
        /// Letters beyond ASCII that are not Cyrillic: Greek, styled or accented Latin (σ, ƒ, é).
        var otherScript = 0
        /// Output offset of the word's first byte.
        var start = 0
        /// Output offset, length and look-alike (a range of the table's pool) of each look-alike letter.
        var pending: [(offset: Int, length: Int, lookalike: Range<Int>)] = []

        var isEmpty: Bool { latin == 0 && lookalike == 0 && foreign == 0 && digits == 0 }
        mutating func reset() {
            latin = 0
            digits = 0
            lookalike = 0
            foreign = 0
            cyrillic = 0
            foreignCyrillic = 0
            fancy = 0
            otherScript = 0
            pending.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    private mutating func emit(_ b: UInt8, _ start: Int, _ end: Int) {
        bytes.append(b)
        rawStart.append(Int32(start))
        rawEnd.append(Int32(end))
    }

    /// Appends raw bytes `from..<to` (all ASCII), lower-cased, each mapped to itself.
    private mutating func appendASCIIRun(_ raw: UnsafeRawBufferPointer, _ from: Int, _ to: Int) {
        let at = bytes.count
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[from..<to]))
        bytes.withUnsafeMutableBufferPointer { out in
            for k in at..<out.count {
                let b = out[k]
                out[k] = b &+ ((b &- 0x41) < 26 ? 0x20 : 0)
            }
        }
        rawStart.append(contentsOf: Int32(from)..<Int32(to))
        rawEnd.append(contentsOf: Int32(from + 1)..<Int32(to + 1))
    }

    /// Lets the last written byte's raw span reach `end` (a dropped mark or invisible character
    /// belongs to the letter before it).
    @inline(__always)
    private mutating func extendLast(to end: Int) {
        if !rawEnd.isEmpty { rawEnd[rawEnd.count - 1] = Int32(end) }
    }

    private mutating func foldUnicode(_ raw: UnsafeRawBufferPointer) {
        // A word made only of look-alikes reads as Latin only in a message with Latin letters:
        // "сосо" among English words is a disguise, "σου" in a Greek sentence is Greek. Letters
        // that fold to Latin count too ("ꜰʀᴇᴇ ¢σιηѕ"), which only the fold itself finds: a
        // message with no ASCII letter that turns out to have some is folded again.
        var messageHasLatin = false
        for b in raw where (b | 0x20) &- 0x61 < 26 {
            messageHasLatin = true
            break
        }
        // A message with letters of another script that have no Latin look-alike is written in
        // that script: "пиши в тг" keeps its "в", which alone would read as b.
        let first = foldUnicode(raw, mode: messageHasLatin ? .latin : .other)
        // A Russian message with Latin twins typed into its words ("бесплaтныe", "тиkтoк": a
        // and e, k and o Latin) is Cyrillic: words with a Cyrillic letter that has no Latin
        // look-alike outnumber the plain Latin words, and its mixed words take their Latin
        // twins back to Cyrillic, so the Russian rules read them.
        let mode: ScriptMode? = first.mixedCyrillicWords > 0 && first.cyrillicWords > first.latinWords ? .cyrillic
            : messageHasLatin ? (first.rewroteLookalikeWords && (first.foreignLetters || first.nativeCyrillicWords > first.scriptMixedLookalikeWords) ? .other
                : first.nativeCyrillicWords > 0 && first.scriptMixedLookalikeWords > 0 ? .fancyText : nil)
            : (first.skippedLookalikeWords && first.foldedLatin && !first.foreignLetters
                ? (first.nativeCyrillicWords > 0 && first.scriptMixedLookalikeWords > 0 ? .fancyText : .latin) : nil)
        if let mode {
            bytes.removeAll(keepingCapacity: true)
            rawStart.removeAll(keepingCapacity: true)
            rawEnd.removeAll(keepingCapacity: true)
            techniques = []
            invisibleMarks = false
            _ = foldUnicode(raw, mode: mode)
        }
    }

    /// How a Unicode pass reads words whose script is in doubt.
    private enum ScriptMode {
        /// A word made only of look-alikes is Latin ("сосо" among English words).
        case latin
        /// As `latin`, and a word of Cyrillic look-alikes alone is Latin too, fancy-text reading
        /// or not: the message's other look-alike words mix scripts ("му" among "тнιѕ ιѕ").
        case fancyText
        /// A word made only of look-alikes keeps its letters ("σου" in a Greek sentence).
        case other
        /// As `other`, and a word mixing Cyrillic letters with Latin twins writes the twins in
        /// Cyrillic.
        case cyrillic
    }

    /// What one Unicode pass saw, to decide whether the message reads as Latin.
    private struct UnicodeOutcome {
        /// Letters that fold to ASCII letters (`ʀ`, `ｆ`, `é`).
        var foldedLatin = false
        /// Letters of another script with no Latin look-alike.
        var foreignLetters = false
        var skippedLookalikeWords = false
        var rewroteLookalikeWords = false
        /// Words with a Cyrillic letter that has no Latin look-alike; words of ASCII letters
        /// only; words mixing Cyrillic and ASCII letters.
        var cyrillicWords = 0
        var latinWords = 0
        var mixedCyrillicWords = 0
        /// Words of Cyrillic look-alikes alone with a fancy-text reading among them ("пиши").
        var nativeCyrillicWords = 0
        /// Words mixing Cyrillic look-alikes with Greek or styled Latin letters ("тнιѕ", "ƒσя",
        /// "вυggєd"): fancy text, which no Russian writer types.
        var scriptMixedLookalikeWords = 0
    }

    /// One Unicode pass, reading words whose script is in doubt as `mode` says.
    private mutating func foldUnicode(_ raw: UnsafeRawBufferPointer, mode: ScriptMode) -> UnicodeOutcome {
        let table = FoldTable.shared
        bytes.reserveCapacity(raw.count)
        rawStart.reserveCapacity(raw.count)
        rawEnd.reserveCapacity(raw.count)
        var foldedLatin = false
        var foreignLetters = false
        lookalikeWords = (0, 0)
        wordCounts = (0, 0, 0, 0, 0)
        var i = 0
        var lastBaseLatinish = false
        // Combining marks belong to the letters of scripts that write with them (Devanagari vowel
        // signs, Arabic harakat) and to emoji (keycaps). Anywhere else they are decoration or
        // Zalgo, and dropped: after a Latin, Greek or Cyrillic letter, a digit, a space, or at
        // the start.
        var marksBelong = false
        var droppedMarks = 0
        var messageMarks = 0
        var invisibleInWord = false
        var word = WordState()
        swap(&word.pending, &pendingScratch)
        defer { swap(&word.pending, &pendingScratch) }

        while i < raw.count {
            let b = raw[i]
            if b < 0x80 && word.pending.isEmpty && !invisibleInWord {
                // A run of ASCII with no look-alike waiting: copied in bulk, lower-cased, with an
                // identity map; only the word it ends in matters to what follows.
                var j = i + 1
                while j < raw.count && raw[j] < 0x80 { j += 1 }
                // Letters and digits at the run's start continue the word before it ("ыa").
                var f = i
                while f < j, case let c = raw[f] | 0x20, (c &- 0x61) < 26 || (raw[f] &- 0x30) < 10 {
                    if word.isEmpty { word.start = bytes.count + (f - i) }
                    if (c &- 0x61) < 26 { word.latin += 1 } else { word.digits += 1 }
                    f += 1
                }
                if f < j {
                    appendASCIIRun(raw, i, f)
                    endWord(&word, table, mode: mode)
                    appendASCIIRun(raw, f, j)
                    var k = j
                    while k > f, case let c = raw[k - 1] | 0x20, (c &- 0x61) < 26 || (raw[k - 1] &- 0x30) < 10 {
                        if (c &- 0x61) < 26 { word.latin += 1 } else { word.digits += 1 }
                        k -= 1
                    }
                    word.start = bytes.count - (j - k)
                    wordCounts.latin += Self.wordsWithLetters(raw, f, k)
                } else {
                    appendASCIIRun(raw, i, j)
                }
                lastBaseLatinish = ((raw[j - 1] | 0x20) &- 0x61) < 26
                marksBelong = false
                droppedMarks = 0
                i = j
                continue
            }
            if b < 0x80 {
                let lower = b &+ ((b &- 0x41) < 26 ? 0x20 : 0)
                let isLetter = (lower &- 0x61) < 26
                if isLetter || (b &- 0x30) < 10 {
                    if invisibleInWord { techniques.insert(.invisible) }
                    if word.isEmpty { word.start = bytes.count }
                    if isLetter {
                        word.latin += 1
                    } else {
                        word.digits += 1  // part of the word, without deciding its script
                    }
                    lastBaseLatinish = isLetter
                } else {
                    if !word.isEmpty { endWord(&word, table, mode: mode) }
                    lastBaseLatinish = false
                }
                emit(lower, i, i + 1)
                invisibleInWord = false
                marksBelong = false
                droppedMarks = 0
                i += 1
                continue
            }
            guard let (scalar, n) = decodeScalar(raw, at: i) else {
                endWord(&word, table, mode: mode)
                marksBelong = false
                emit(b, i, i + 1)  // not UTF-8: kept as it is, a barrier for patterns
                lastBaseLatinish = false
                invisibleInWord = false
                i += 1
                continue
            }
            let v = scalar.value
            defer { i += n }
            if isInvisible(v) {
                if isBidiControl(v) { techniques.insert(.invisible) }
                if !word.isEmpty {
                    // Right after a letter or digit: hiding inside or between words. (Joiners
                    // and variation selectors in emoji sequences are not reported.) The
                    // separators step decides which (it removes the mark).
                    techniques.insert(.invisible)
                    if steps.contains(.spacing) {
                        if bytes.last != Self.invisibleMark { emit(Self.invisibleMark, i, i + n) } else { extendLast(to: i + n) }
                        invisibleMarks = true
                    } else {
                        extendLast(to: i + n)
                    }
                } else {
                    invisibleInWord = true
                }
                continue
            }
            // A small direct-mapped cache: chat repeats the same few non-ASCII scalars (emoji,
            // one script's letters), and the table search and property lookup are the cost.
            let slot = Int(v & 255)
            var row = cacheRows[slot]
            if cacheKeys[slot] != v {
                // Not in the table: alphabetic (-1), a combining mark newer than the table's
                // Unicode version (-3, as the runtime knows it), or other (-2).
                row = table.row(v).map(Int32.init) ?? (scalar.properties.isAlphabetic ? -1
                    : [.nonspacingMark, .enclosingMark].contains(scalar.properties.generalCategory) ? -3 : -2)
                cacheKeys[slot] = v
                cacheRows[slot] = row
            }
            let entry = row >= 0 ? table.entry(at: Int(row)) : nil
            if row == -3 || (entry?.flags.contains(.mark) ?? false) {
                if marksBelong {
                    for k in 0..<n { emit(raw[i + k], i, i + n) }
                } else {
                    extendLast(to: i + n)
                    droppedMarks += 1
                    messageMarks += 1
                    // Zalgo: marks stacked on one letter, marks on no letter, marks all over.
                    if droppedMarks >= 2 || !lastBaseLatinish || messageMarks >= 3 { techniques.insert(.marks) }
                }
                continue
            }
            droppedMarks = 0
            marksBelong = false
            if let entry, entry.flags.contains(.letter) {
                if entry.flags.contains(.compat) { techniques.insert(.compat) }
                if invisibleInWord { techniques.insert(.invisible) }
                if word.isEmpty { word.start = bytes.count }
                let cyrillic = isCyrillic(v)
                if cyrillic { word.cyrillic += 1 }
                if !cyrillic { word.otherScript += 1 }
                var asciiFold = true
                for k in entry.fold where table.pool[k] >= 0x80 {
                    asciiFold = false
                    break
                }
                if asciiFold {
                    word.latin += 1
                    foldedLatin = true
                } else if !entry.lookalike.isEmpty {
                    word.lookalike += 1
                    if entry.flags.contains(.fancy) { word.fancy += 1 }
                    word.pending.append((bytes.count, entry.fold.count, entry.lookalike))
                } else {
                    word.foreign += 1
                    if cyrillic { word.foreignCyrillic += 1 }
                    foreignLetters = true
                }
                for k in entry.fold { emit(table.pool[k], i, i + n) }
                lastBaseLatinish = asciiFold || isLatinish(v)
                marksBelong = !lastBaseLatinish
            } else if let entry {
                endWord(&word, table, mode: mode)
                for k in entry.fold { emit(table.pool[k], i, i + n) }
                lastBaseLatinish = false
            } else if row == -1 {  // alphabetic, unchanged
                if invisibleInWord { techniques.insert(.invisible) }
                if word.isEmpty { word.start = bytes.count }
                word.foreign += 1
                if isCyrillic(v) {
                    word.cyrillic += 1
                    word.foreignCyrillic += 1
                }
                foreignLetters = true
                for k in 0..<n { emit(raw[i + k], i, i + n) }
                lastBaseLatinish = isLatinish(v)
                marksBelong = !lastBaseLatinish
            } else {
                endWord(&word, table, mode: mode)
                for k in 0..<n { emit(raw[i + k], i, i + n) }
                lastBaseLatinish = false
                marksBelong = !isInvisible(v) && v >= 0x2000  // symbols and emoji keep theirs
            }
            invisibleInWord = false
        }
        endWord(&word, table, mode: mode)
        return UnicodeOutcome(foldedLatin: foldedLatin, foreignLetters: foreignLetters,
                              skippedLookalikeWords: lookalikeWords.skipped > 0, rewroteLookalikeWords: lookalikeWords.rewritten > 0,
                              cyrillicWords: wordCounts.cyrillic, latinWords: wordCounts.latin, mixedCyrillicWords: wordCounts.mixed,
                              nativeCyrillicWords: wordCounts.native, scriptMixedLookalikeWords: wordCounts.scriptMixed)
    }

    /// Ends the word: its look-alike letters become Latin when the word has Latin letters, or is
    /// made only of look-alikes in a Latin message; in a Cyrillic message a word mixing Cyrillic
    /// letters with Latin twins becomes Cyrillic.
    private mutating func endWord(_ word: inout WordState, _ table: FoldTable, mode: ScriptMode) {
        defer { word.reset() }
        if word.foreignCyrillic > 0 { wordCounts.cyrillic += 1 }
        if word.latin > 0 && word.lookalike == 0 && word.foreign == 0 { wordCounts.latin += 1 }
        if word.latin > 0 && word.cyrillic > 0 {
            wordCounts.mixed += 1
            if mode == .cyrillic && writeTwinsInCyrillic(from: word.start) { return }
        }
        guard let first = word.pending.first else { return }
        let onlyLookalikes = word.latin == 0 && word.foreign == 0
        // A word of Cyrillic letters alone with a fancy-text reading among them is Russian
        // ("пиши" beside "@fast_coins"), and so are its neighbours ("в тг": the message is read
        // again as not Latin), where "сосо" or a word mixing scripts is a disguise: the message
        // is re-read only when such Russian words outnumber the words mixing Cyrillic with
        // Greek or other look-alikes ("му" among "тнιѕ ιѕ ... вυggєd" is fancy text).
        let cyrillicWord = word.cyrillic == word.lookalike && word.fancy > 0
        if onlyLookalikes && cyrillicWord { wordCounts.native += 1 }
        if word.cyrillic > 0 && word.otherScript > 0 && word.foreignCyrillic == 0 { wordCounts.scriptMixed += 1 }
        guard word.latin > 0 || (onlyLookalikes && ((mode == .latin && !cyrillicWord) || mode == .fancyText)) else {
            if onlyLookalikes { lookalikeWords.skipped += 1 }
            return
        }
        if onlyLookalikes { lookalikeWords.rewritten += 1 }
        techniques.insert(.confusables)
        // Rewrite the output from the first look-alike on (the word is at the end of the output).
        let from = first.offset
        moveTail(from: from)
        var k = 0
        var next = 0
        while k < tailBytes.count {
            if next < word.pending.count && word.pending[next].offset - from == k {
                let p = word.pending[next]
                let (s, e) = (Int(tailStart[k]), Int(tailEnd[k + p.length - 1]))
                for q in p.lookalike { emit(table.pool[q], s, e) }
                k += p.length
                next += 1
            } else {
                emit(tailBytes[k], Int(tailStart[k]), Int(tailEnd[k]))
                k += 1
            }
        }
    }
}

extension FoldedText {
    /// Moves the output from `from` on (bytes and offsets) into the tail buffers, to be written again.
    fileprivate mutating func moveTail(from: Int) {
        tailBytes.removeAll(keepingCapacity: true)
        tailStart.removeAll(keepingCapacity: true)
        tailEnd.removeAll(keepingCapacity: true)
        tailBytes.append(contentsOf: bytes[from...])
        tailStart.append(contentsOf: rawStart[from...])
        tailEnd.append(contentsOf: rawEnd[from...])
        bytes.removeSubrange(from...)
        rawStart.removeSubrange(from...)
        rawEnd.removeSubrange(from...)
    }

    /// How many runs of ASCII letters and digits with a letter in them lie in `raw[from..<to]`.
    fileprivate static func wordsWithLetters(_ raw: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Int {
        var words = 0
        var inWord = false, letter = false
        for k in from..<to {
            let b = raw[k]
            let isLetter = ((b | 0x20) &- 0x61) < 26
            if isLetter || (b &- 0x30) < 10 {
                inWord = true
                letter = letter || isLetter
            } else {
                if inWord && letter { words += 1 }
                inWord = false
                letter = false
            }
        }
        return words + (inWord && letter ? 1 : 0)
    }

    /// Rewrites the ASCII letters of the word at `from...` (the end of the output) as their
    /// Cyrillic twins, when every one has a twin; false, with nothing changed, when one has none.
    fileprivate mutating func writeTwinsInCyrillic(from: Int) -> Bool {
        for k in from..<bytes.count where (bytes[k] &- 0x61) < 26 && cyrillicTwin(bytes[k]) == nil { return false }
        techniques.insert(.confusables)
        moveTail(from: from)
        for k in tailBytes.indices {
            let (s, e) = (Int(tailStart[k]), Int(tailEnd[k]))
            if let twin = cyrillicTwin(tailBytes[k]) {
                emit(twin.0, s, e)
                emit(twin.1, s, e)
            } else {
                emit(tailBytes[k], s, e)
            }
        }
        return true
    }
}

/// The Cyrillic letter (UTF-8) a lower-case ASCII letter stands in for in a Russian word typed
/// with Latin twins: а с е о р х у к м т, and н в, whose capitals are twins (Н, В).
@inline(__always)
func cyrillicTwin(_ b: UInt8) -> (UInt8, UInt8)? {
    switch b {
    case UInt8(ascii: "a"): return (0xD0, 0xB0)
    case UInt8(ascii: "b"): return (0xD0, 0xB2)
    case UInt8(ascii: "c"): return (0xD1, 0x81)
    case UInt8(ascii: "e"): return (0xD0, 0xB5)
    case UInt8(ascii: "h"): return (0xD0, 0xBD)
    case UInt8(ascii: "k"): return (0xD0, 0xBA)
    case UInt8(ascii: "m"): return (0xD0, 0xBC)
    case UInt8(ascii: "o"): return (0xD0, 0xBE)
    case UInt8(ascii: "p"): return (0xD1, 0x80)
    case UInt8(ascii: "t"): return (0xD1, 0x82)
    case UInt8(ascii: "x"): return (0xD1, 0x85)
    case UInt8(ascii: "y"): return (0xD1, 0x83)
    default: return nil
    }
}

/// Cyrillic and Cyrillic Supplement letters (U+0400–U+052F).
@inline(__always)
func isCyrillic(_ v: UInt32) -> Bool { (0x400...0x52F).contains(v) }

/// Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15.0).
/// - Complexity: O(1).
@inline(__always)
func isInvisible(_ v: UInt32) -> Bool {
    switch v {
    case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x200B...0x200F,
         0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
         0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
        return true
    default:
        return false
    }
}

/// Bidi embedding, override and isolate controls and marks: suspicious anywhere in chat.
@inline(__always)
func isBidiControl(_ v: UInt32) -> Bool {
    (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
}

/// Latin, Greek and Cyrillic blocks, and the styled Latin forms: scripts whose combining marks are
/// decoration the folded view drops. Other scripts keep theirs (Devanagari vowel signs, Arabic harakat).
@inline(__always)
func isLatinish(_ v: UInt32) -> Bool {
    switch v {
    case 0...0x052F, 0x1C80...0x1C8F, 0x1D00...0x1DBF, 0x1E00...0x1FFF, 0x2C60...0x2C7F, 0x2DE0...0x2DFF,
         0xA640...0xA69F, 0xA720...0xA7FF, 0xAB30...0xAB6F, 0xFF00...0xFFEF, 0x1D400...0x1D7FF, 0x1F100...0x1F1FF:
        return true
    default:
        return false
    }
}

// Byte classes for `FoldedText.Triggers`: bit positions matter, the scan shifts them.
private let letterClass: UInt8 = 1
private let leetClass: UInt8 = 2
private let separatorClass: UInt8 = 4
private let bracketClass: UInt8 = 8
/// Letters, digits and non-ASCII bytes: what makes a letter not isolated.
private let alnumClass: UInt8 = 16
private let xClass: UInt8 = 32
private let dotClass: UInt8 = 64
private let spaceClass: UInt8 = 128

/// For the separators trigger: 1 for `.` and `_` (which count after an alphanumeric byte), 2 for
/// F0, the first byte of the emoji planes.
private let gapClasses: [UInt8] = {
    var t = [UInt8](repeating: 0, count: 256)
    t[Int(UInt8(ascii: "."))] = 1
    t[Int(UInt8(ascii: "_"))] = 5
    t[Int(UInt8(ascii: "-"))] = 4
    t[0xF0] = 2
    return t
}()

private let byteClasses: [UInt8] = {
    var t = [UInt8](repeating: 0, count: 256)
    for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)] |= letterClass | alnumClass }
    for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] |= alnumClass }
    for b in 0x80...0xFF { t[b] |= alnumClass }
    for b in "01345789@$!|".utf8 { t[Int(b)] |= leetClass }
    for b in " .-_*|/~+,".utf8 { t[Int(b)] |= separatorClass }
    for b in "[({<".utf8 { t[Int(b)] |= bracketClass }
    t[Int(UInt8(ascii: "x"))] |= xClass
    t[Int(UInt8(ascii: "."))] |= dotClass
    t[Int(UInt8(ascii: " "))] |= spaceClass
    return t
}()
