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

    // Scratch for the passes (ping-pong with bytes/rawStart/rawEnd) and for word buffering.
    var outBytes: [UInt8] = []
    var outStart: [Int32] = []
    var outEnd: [Int32] = []
    var passBegun = false
    private var word: [Piece] = []
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
        rawCount = raw.count
        if isASCII(raw) || !steps.contains(.unicode) {
            for b in raw { bytes.append(b &+ ((b &- 0x41) < 26 ? 0x20 : 0)) }
        } else {
            foldUnicode(raw)
        }
        if steps.contains(.spacing) { joinSpacedLetters() }
        if steps.contains(.leet) { foldLeet() }
        if steps.contains(.defang) { restoreDefanged() }
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

    /// One letter (or digit, or kept mark) of the word being read, before the word's script is known.
    private struct Piece {
        enum Kind { case latin, digit, lookalike, foreign, mark }
        var kind: Kind
        /// The fold: one ASCII byte, or a range of the table's pool, or raw bytes to copy.
        var ascii: UInt8
        var fold: Range<Int>
        var lookalike: Range<Int>
        var copyRaw: Bool
        var rawStart: Int32
        var rawEnd: Int32
    }

    private mutating func emit(_ b: UInt8, _ start: Int, _ end: Int) {
        bytes.append(b)
        rawStart.append(Int32(start))
        rawEnd.append(Int32(end))
    }

    private mutating func foldUnicode(_ raw: UnsafeRawBufferPointer) {
        let table = FoldTable.shared
        var i = 0
        var lastBaseLatinish = false
        var droppedMarks = 0
        var invisibleInWord = false
        // A word made only of look-alikes reads as Latin only in a message with Latin letters:
        // "сосо" among English words is a disguise, "σου" in a Greek sentence is Greek.
        var messageHasLatin = false
        for b in raw where (b | 0x20) &- 0x61 < 26 {
            messageHasLatin = true
            break
        }
        word.removeAll(keepingCapacity: true)

        while i < raw.count {
            guard let (scalar, n) = decodeScalar(raw, at: i) else {
                if !word.isEmpty { flushWord(table, raw, latinMessage: messageHasLatin) }
                emit(raw[i], i, i + 1)  // not UTF-8: kept as it is, a barrier for patterns
                lastBaseLatinish = false
                i += 1
                continue
            }
            let v = scalar.value
            defer { i += n }
            if v < 0x80 {
                let b = UInt8(v)
                let lower = b &+ ((b &- 0x41) < 26 ? 0x20 : 0)
                let isLetter = (lower &- 0x61) < 26
                if isLetter || (b &- 0x30) < 10 {
                    if isLetter && invisibleInWord { techniques.insert(.invisible) }
                    word.append(Piece(kind: isLetter ? .latin : .digit, ascii: lower, fold: 0..<0, lookalike: 0..<0,
                                      copyRaw: false, rawStart: Int32(i), rawEnd: Int32(i + 1)))
                    lastBaseLatinish = isLetter
                } else {
                    if !word.isEmpty { flushWord(table, raw, latinMessage: messageHasLatin) }
                    emit(lower, i, i + 1)
                    lastBaseLatinish = false
                }
                invisibleInWord = false
                droppedMarks = 0
                continue
            }
            if isInvisible(v) {
                if isBidiControl(v) { techniques.insert(.invisible) }
                if !word.isEmpty {
                    invisibleInWord = true
                    word[word.count - 1].rawEnd = Int32(i + n)
                }
                continue
            }
            let entry = table.entry(v)
            if let entry, entry.flags.contains(.mark) {
                if lastBaseLatinish && !word.isEmpty {
                    word[word.count - 1].rawEnd = Int32(i + n)
                    droppedMarks += 1
                    if droppedMarks >= 2 { techniques.insert(.marks) }
                } else if !word.isEmpty {
                    word.append(Piece(kind: .mark, ascii: 0, fold: entry.fold, lookalike: 0..<0, copyRaw: false,
                                      rawStart: Int32(i), rawEnd: Int32(i + n)))
                } else {
                    for k in entry.fold { emit(table.pool[k], i, i + n) }
                }
                continue
            }
            droppedMarks = 0
            if let entry {
                if entry.flags.contains(.letter) {
                    if entry.flags.contains(.compat) { techniques.insert(.compat) }
                    if invisibleInWord { techniques.insert(.invisible) }
                    let asciiFold = entry.fold.allSatisfy { table.pool[$0] < 0x80 }
                    let kind: Piece.Kind = asciiFold ? .latin : (entry.lookalike.isEmpty ? .foreign : .lookalike)
                    word.append(Piece(kind: kind, ascii: 0, fold: entry.fold, lookalike: entry.lookalike,
                                      copyRaw: false, rawStart: Int32(i), rawEnd: Int32(i + n)))
                    lastBaseLatinish = asciiFold || isLatinish(v)
                } else {
                    if !word.isEmpty { flushWord(table, raw, latinMessage: messageHasLatin) }
                    for k in entry.fold { emit(table.pool[k], i, i + n) }
                    lastBaseLatinish = false
                }
            } else if scalar.properties.isAlphabetic {
                if invisibleInWord { techniques.insert(.invisible) }
                word.append(Piece(kind: .foreign, ascii: 0, fold: 0..<0, lookalike: 0..<0, copyRaw: true,
                                  rawStart: Int32(i), rawEnd: Int32(i + n)))
                lastBaseLatinish = isLatinish(v)
            } else {
                if !word.isEmpty { flushWord(table, raw, latinMessage: messageHasLatin) }
                for k in 0..<n { emit(raw[i + k], i, i + n) }
                lastBaseLatinish = false
            }
            invisibleInWord = false
        }
        if !word.isEmpty { flushWord(table, raw, latinMessage: messageHasLatin) }
    }

    /// Writes the buffered word, with look-alikes as Latin letters when the word has Latin letters,
    /// or is made only of look-alikes in a message with Latin letters.
    private mutating func flushWord(_ table: FoldTable, _ raw: UnsafeRawBufferPointer, latinMessage: Bool) {
        var latin = 0
        var lookalike = 0
        var foreign = 0
        for p in word {
            switch p.kind {
            case .latin: latin += 1
            case .lookalike: lookalike += 1
            case .foreign: foreign += 1
            case .digit, .mark: break
            }
        }
        let useLookalikes = lookalike > 0 && (latin > 0 || (foreign == 0 && latinMessage))
        if useLookalikes { techniques.insert(.confusables) }
        for p in word {
            let (s, e) = (Int(p.rawStart), Int(p.rawEnd))
            if (p.kind == .latin || p.kind == .digit) && p.fold.isEmpty {
                emit(p.ascii, s, e)
            } else if useLookalikes && p.kind == .lookalike {
                for k in p.lookalike { emit(table.pool[k], s, e) }
            } else if p.copyRaw {
                // Unchanged letter: its bytes are the raw bytes.
                let b = raw[s]
                let length = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                for k in s..<min(e, s + length) { emit(raw[k], s, e) }
            } else {
                for k in p.fold { emit(table.pool[k], s, e) }
            }
        }
        word.removeAll(keepingCapacity: true)
    }
}

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
