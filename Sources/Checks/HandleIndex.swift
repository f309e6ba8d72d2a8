import ScanSupport
import Normalise
import Model

/// Protected handles, indexed so that checking one handle costs about the same against ten
/// protected handles or a platform's hundreds of thousands:
///
/// - `genuine`: the plain forms, so the account itself is never its own look-alike;
/// - `keys`: the skeleton keys (confusable characters: `creat0r`, `crеator`);
/// - `stripped`: the keys without separators (`crea.tor`, and the base of `creator_official`);
/// - `deletions`: each stripped key and each with one byte deleted (a symmetric deletion index,
///   as SymSpell): two keys at edit distance 1 share an entry, so a handle's candidates come from
///   its own key and its own single deletions, never from a scan of the list.
///
/// Each table is an open-addressing hash table of (hash, entry) pairs, built once.
package struct HandleIndex: Sendable {
    package struct Entry: Sendable {
        package let form: HandleForm
        /// Where the protection comes from: a list file and line, `--protect`, a platform name.
        package let source: String
        package init(form: HandleForm, source: String) {
            self.form = form
            self.source = source
        }
    }

    let entries: [Entry]
    private let genuine: Set<String>
    private let keys: HashTable
    private let stripped: HashTable
    private let deletions: HashTable

    /// Keys shorter than this get no edit-distance neighbours (short handles collide).
    static let minimumEditLength = 5

    package init(_ entries: [Entry]) {
        self.entries = entries
        genuine = Set(entries.map(\.form.plain))
        var keyPairs: [(UInt64, Int32)] = []
        var strippedPairs: [(UInt64, Int32)] = []
        var deletionPairs: [(UInt64, Int32)] = []
        keyPairs.reserveCapacity(entries.count)
        strippedPairs.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() {
            let index = Int32(i)
            keyPairs.append((fnv1a(e.form.key), index))
            strippedPairs.append((fnv1a(e.form.loose), index))
            let key = e.form.loose
            guard key.count >= Self.minimumEditLength else { continue }
            deletionPairs.append((fnv1a(key), index))
            for k in 0..<key.count {
                deletionPairs.append((hashWithout(key, k), index))
            }
        }
        keys = HashTable(keyPairs)
        stripped = HashTable(strippedPairs)
        deletions = HashTable(deletionPairs)
    }

    var count: Int { entries.count }

    /// Whether `handle` is one of the protected accounts.
    func isGenuine(_ handle: HandleForm) -> Bool { genuine.contains(handle.plain) }

    /// The protected handle `handle` imitates, and how; nil when none (or when it is genuine).
    /// - Complexity: O(L log n) for a handle of L bytes and n protected handles.
    func imitation(of handle: HandleForm, techniques: HandleTechniques, maxDistance: Int?) -> HandleImitation? {
        guard !isGenuine(handle) else { return nil }
        if techniques.contains(.confusable) {
            var found: Int?
            keys.forEach(fnv1a(handle.key)) { i in
                if entries[i].form.key == handle.key { found = i }
                return found != nil
            }
            if let found { return HandleImitation(entry: found, technique: .confusable, detail: "confusable characters") }
        }
        if techniques.contains(.decoration) {
            var same: Int?
            stripped.forEach(fnv1a(handle.loose)) { i in
                if entries[i].form.loose == handle.loose { same = i }
                return same != nil
            }
            if let same {
                let detail = entries[same].form.stripped == handle.stripped ? "separators added or removed" : "digits or look-alike letters swapped in"
                return HandleImitation(entry: same, technique: .decoration, detail: detail)
            }
            var found: HandleImitation?
            forEachUndecorated(handle.loose, digits: handle.digitSuffix, depth: 0, removed: []) { base, removed in
                stripped.forEach(fnv1a(base)) { i in
                    guard entries[i].form.loose == base else { return false }
                    let words = removed.map { "'\(text(of: $0))'" }.joined(separator: " and ")
                    found = HandleImitation(entry: i, technique: .decoration, detail: "decorated with \(words)")
                    return true
                }
            }
            if let found { return found }
        }
        if techniques.contains(.editDistance) && handle.loose.count + 1 >= Self.minimumEditLength {
            let key = handle.loose
            var best: HandleImitation?
            func consider(_ i: Int) -> Bool {
                let p = entries[i].form.loose
                let limit = maxDistance ?? (p.count < Self.minimumEditLength ? 0 : 1)
                guard limit > 0, abs(p.count - key.count) <= 1,
                      optimalStringAlignmentDistance(key, p) == 1, !differsOnlyInDigits(key, p) else { return false }
                best = HandleImitation(entry: i, technique: .editDistance, detail: describeEdit(from: p, to: key))
                return true
            }
            if !deletions.forEach(fnv1a(key), consider) {
                for k in 0..<key.count where deletions.forEach(hashWithout(key, k), consider) { break }
            }
            if let best { return best }
        }
        return nil
    }

    /// Calls `body` with each way of taking up to two decorations (words such as `official`,
    /// `real`, `backup`, platform names, or the `digits` trailing digits) off the front or back of
    /// `text`, until it returns true.
    @discardableResult
    private func forEachUndecorated(_ text: [UInt32], digits: Int, depth: Int, removed: [[UInt32]],
                                    _ body: ([UInt32], [[UInt32]]) -> Bool) -> Bool {
        guard depth < 2 else { return false }
        // Trailing digits: creator2, creator_2024 (the key spells 0 as o, so count from the plain form).
        if digits > 0 && digits <= 4 && text.count - digits >= 3 {
            let base = Array(text[..<(text.count - digits)])
            let suffix = Array(text[(text.count - digits)...])
            if body(base, removed + [suffix]) || forEachUndecorated(base, digits: 0, depth: depth + 1, removed: removed + [suffix], body) {
                return true
            }
        }
        for (word, name) in zip(handleDecorations, handleDecorationNames) where text.count >= word.count + 3 {
            if text.starts(with: word) {
                let base = Array(text[word.count...])
                if body(base, removed + [name]) || forEachUndecorated(base, digits: digits, depth: depth + 1, removed: removed + [name], body) {
                    return true
                }
            }
            if text[(text.count - word.count)...].elementsEqual(word) {
                let base = Array(text[..<(text.count - word.count)])
                if body(base, removed + [name]) || forEachUndecorated(base, digits: 0, depth: depth + 1, removed: removed + [name], body) {
                    return true
                }
            }
        }
        return false
    }
}

/// Words impersonators add to a protected handle (`creator_official`, `real.creator`,
/// `creatorbackup`), with platform names (`tiktok_creator`), as written (for evidence).
let handleDecorationNames: [[UInt32]] = [
    "official", "offical", "real", "therealone", "thereal", "the", "its", "itsme", "iam", "im", "support", "help",
    "helpdesk", "backup", "bkp", "alt", "second", "new", "main", "live", "tv", "team", "staff", "admin", "mod",
    "mods", "verified", "original", "og", "vip", "private", "priv", "giveaway", "giveaways", "gifts", "gift",
    "account", "acc", "page", "hq", "tiktok", "tt", "twitch", "yt", "youtube", "ig", "insta", "kick",
].map { $0.unicodeScalars.map(\.value) }

/// The decorations in loose form (`HandleForm.loose`), as handles are compared.
let handleDecorations: [[UInt32]] = handleDecorationNames.map { looseForm($0, trailingDigits: 0) }

/// The text of scalar values.
func text(of scalars: [UInt32]) -> String {
    String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init)))
}


/// How a handle imitates a protected one.
struct HandleImitation {
    /// Index into `HandleIndex.entries` (or the channel's own list).
    let entry: Int
    let technique: HandleTechniques
    /// What it did: "confusable characters", "decorated with 'official'", "edit distance 1: ...".
    let detail: String
}

/// The FNV-1a hash of `key` without its scalar at `k`.
@inline(__always)
func hashWithout(_ key: [UInt32], _ k: Int) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for (i, b) in key.enumerated() where i != k {
        h ^= UInt64(b)
        h &*= 0x100_0000_01B3
    }
    return h
}

/// Whether two keys differ only where both have digits (`john123` and `john124` are two people).
func differsOnlyInDigits(_ a: [UInt32], _ b: [UInt32]) -> Bool {
    let isDigit = { (c: UInt32) in c >= 0x30 && c <= 0x39 }
    guard a.contains(where: isDigit) && b.contains(where: isDigit) else { return false }
    return a.filter { !isDigit($0) } == b.filter { !isDigit($0) }
}

/// Says which single edit turns `protected` into `handle` (they are at distance 1).
func describeEdit(from protected: [UInt32], to handle: [UInt32]) -> String {
    func char(_ v: UInt32) -> String { Unicode.Scalar(v).map { "'\($0.escaped(asASCII: false))'" } ?? "?" }
    if handle.count == protected.count + 1 {
        var i = 0
        while i < protected.count && protected[i] == handle[i] { i += 1 }
        let added = handle[i]
        let doubled = (i > 0 && handle[i - 1] == added) || (i + 1 < handle.count && handle[i + 1] == added)
        return doubled ? "edit distance 1: \(char(added)) repeated" : "edit distance 1: \(char(added)) added"
    }
    if handle.count + 1 == protected.count {
        var i = 0
        while i < handle.count && protected[i] == handle[i] { i += 1 }
        return "edit distance 1: \(char(protected[i])) left out"
    }
    var i = 0
    while i < handle.count && protected[i] == handle[i] { i += 1 }
    if i + 1 < handle.count && protected[i] == handle[i + 1] && protected[i + 1] == handle[i] {
        return "edit distance 1: \(char(protected[i])) and \(char(protected[i + 1])) swapped"
    }
    return "edit distance 1: \(char(protected[i])) replaced by \(char(handle[i]))"
}

/// A multimap from 64-bit hashes to entry numbers: open addressing with linear probing in a
/// power-of-two table at most half full, so a look-up usually touches one cache line, whatever
/// the number of protected handles (a sorted array needed a miss per halving step).
struct HashTable: Sendable {
    private let keys: [UInt64]    // 0: empty slot (stored hashes are never 0)
    private let entries: [Int32]
    private let mask: Int

    init(_ pairs: [(UInt64, Int32)]) {
        var capacity = 16
        while capacity < pairs.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var entries = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (hash, value) in pairs {
            let h = hash | 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = h
            entries[slot] = value
        }
        self.keys = keys
        self.entries = entries
        self.mask = mask
    }

    /// Calls `body` with each value stored under `hash` (hash collisions included: callers
    /// compare) until it returns true; returns whether one did.
    /// - Complexity: O(1) expected.
    @discardableResult
    func forEach(_ hash: UInt64, _ body: (Int) -> Bool) -> Bool {
        let h = hash | 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while keys[slot] != 0 {
            if keys[slot] == h && body(Int(entries[slot])) { return true }
            slot = (slot + 1) & mask
        }
        return false
    }
}
