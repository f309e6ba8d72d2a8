import ScanSupport

/// Lower-case English words (Debian's wamerican, SCOWL size 50; `EnglishWords+Data.swift`), for
/// telling a word cut by a separator (`view_ers`, `fr.ee`, `t_his`) from a handle
/// (`coinplug_real`) or a host (`t.me`): the pieces joined are a word.
enum EnglishWords {
    /// FNV-1a hashes of the words: 62,835 of them, so a collision with a non-word is negligible.
    static let hashes: Set<UInt64> = {
        var set = Set<UInt64>(minimumCapacity: 65_536)
        englishWordList.withUTF8Buffer { text in
            var h = FNV1a64()
            for b in text {
                if b == 0x0A {
                    set.insert(h.value)
                    h = FNV1a64()
                } else {
                    h.add(b)
                }
            }
            set.insert(h.value)
        }
        return set
    }()

    /// Whether `bytes[a]` followed by `bytes[b]` is a listed word (letters a-z only, 4 to 15).
    static func contains(_ bytes: [UInt8], _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        let length = a.count + b.count
        guard length >= 4 && length <= 15 else { return false }
        var h = FNV1a64()
        for k in a { guard (bytes[k] &- 0x61) < 26 else { return false }; h.add(bytes[k]) }
        for k in b { guard (bytes[k] &- 0x61) < 26 else { return false }; h.add(bytes[k]) }
        return hashes.contains(h.value)
    }

    /// Whether the lower-case letters `word` are a word: the list for 4 to 15 letters, and for 2 or 3
    /// the common short words of `shortWords` (the list holds many rare ones: "ba", "eds").
    static func isWord(_ word: [UInt8]) -> Bool {
        if word.count < 4 { return shortWords.contains(word) }
        guard word.count <= 15 else { return false }
        var h = FNV1a64()
        for b in word { guard (b &- 0x61) < 26 else { return false }; h.add(b) }
        return hashes.contains(h.value)
    }

    /// Common English words of two and three letters, and chat words (dm, vip, bio, acc).
    static let shortWords: Set<[UInt8]> = Set(("am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we yo "
        + "acc add all and app are ask bio big bot buy can day dm fan for get got had has her hey his hot how its let lol mod "
        + "new not now off old one our out pay see she sub the too top try two use vip was way who why win won yes yet you")
        .split(separator: " ").map { Array($0.utf8) })

    /// Whether the pieces `bytes[r]` of `ranges`, in order, make a listed word.
    static func containsJoined(_ bytes: [UInt8], _ ranges: [(from: Int, to: Int)]) -> Bool {
        let length = ranges.reduce(0) { $0 + $1.to - $1.from }
        guard length >= 4 && length <= 15 else { return false }
        var h = FNV1a64()
        for r in ranges {
            for k in r.from..<r.to { guard (bytes[k] &- 0x61) < 26 else { return false }; h.add(bytes[k]) }
        }
        return hashes.contains(h.value)
    }
}
