import Foundation

/// A number as a rule file writes it: whole numbers without a fraction.
package func format(_ number: Double) -> String {
    number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
}

/// The candidate within edit distance 2 (or a third of the word) of `word`, for "did you mean".
package func closestMatch(to word: String, in candidates: [String]) -> String? {
    let limit = max(2, word.count / 3)
    var best: (String, Int)?
    for candidate in candidates {
        let d = optimalStringAlignmentDistance(Array(word.lowercased().unicodeScalars), Array(candidate.unicodeScalars))
        if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
}

/// ASCII case-insensitive equality, without allocating.
@inline(__always)
package func equalFolded(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    guard a.utf8.count == b.utf8.count else { return false }
    for (x, y) in zip(a.utf8, b.utf8) where x != y {
        let lx = x >= 0x41 && x <= 0x5A ? x | 0x20 : x
        let ly = y >= 0x41 && y <= 0x5A ? y | 0x20 : y
        if lx != ly { return false }
    }
    return true
}

/// FNV-1a, 64 bits, over bytes fed in pieces: the one byte hash for checksums, keys and caches
/// (the model file's checksum, the pack's hash key, the classifier's author cache).
package struct FNV1a64 {
    package private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    @inlinable package init() {}

    @inlinable package mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01B3
    }

    @inlinable package mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes { add(b) }
    }

    @inlinable package mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes { add(b) }
    }
}
