import ScanSupport
import Normalise
import Model

/// A 64-bit SimHash of a text's character 3-grams (Charikar 2002): near-identical texts get
/// hashes that differ in few bits, so "free coins at x" and "free coins at x!!" compare by a
/// popcount. Computed over the folded view, so `fr33 c0ins` and `free coins` agree too.
///
/// Spaces and ASCII punctuation are skipped: spacing and trailing `!!!` do not change the hash.
struct SimHash {
    /// Bit i set when more than half of the shingles' hashes have bit i set; 0 never occurs
    /// (a computed 0 becomes 1), so 0 can mean "no hash".
    var value: UInt64 = 0
    /// Distinct 3-grams (estimated with a 256-bit set): short or repetitive texts (`KEKW KEKW`)
    /// have few and are not compared.
    var shingles = 0

    /// Counts per bit, reused between messages.
    private var counts = [Int32](repeating: 0, count: 64)

    /// `spread[b]` has byte j set to bit j of b: adding `spread` of each byte of a hash counts
    /// eight bits per addition in eight byte-wide lanes (flushed before a lane can overflow).
    private static let spread: [UInt64] = (0..<256).map { (b: Int) -> UInt64 in
        var v: UInt64 = 0
        for j in 0..<8 where (b >> j) & 1 == 1 { v |= UInt64(1) << UInt64(j * 8) }
        return v
    }

    /// - Complexity: O(n) for n letters: eight additions per 3-gram.
    mutating func compute(_ text: UnsafeRawBufferPointer) {
        var seen: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var window: UInt32 = 0
        var kept = 0
        var n: Int32 = 0
        counts.withUnsafeMutableBufferPointer { c in
            Self.spread.withUnsafeBufferPointer { spread in
                for i in 0..<64 { c[i] = 0 }
                // lanes[k] byte j counts bit (8k + j).
                var lanes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
                var pending = 0
                func flush() {
                    withUnsafeBytes(of: &lanes) { bytes in
                        for k in 0..<64 { c[k] &+= Int32(bytes[k]) }
                    }
                    lanes = (0, 0, 0, 0, 0, 0, 0, 0)
                    pending = 0
                }
                for b in text {
                    if b < 0x80 && !Self.isWordByte(b) { continue }
                    window = (window << 8 | UInt32(b)) & 0xFF_FFFF
                    kept += 1
                    guard kept >= 3 else { continue }
                    let h = Self.mix(UInt64(window))
                    lanes.0 &+= spread[Int(h & 0xFF)]
                    lanes.1 &+= spread[Int((h >> 8) & 0xFF)]
                    lanes.2 &+= spread[Int((h >> 16) & 0xFF)]
                    lanes.3 &+= spread[Int((h >> 24) & 0xFF)]
                    lanes.4 &+= spread[Int((h >> 32) & 0xFF)]
                    lanes.5 &+= spread[Int((h >> 40) & 0xFF)]
                    lanes.6 &+= spread[Int((h >> 48) & 0xFF)]
                    lanes.7 &+= spread[Int(h >> 56)]
                    pending += 1
                    if pending == 255 { flush() }
                    n += 1
                    let bit = Int(h >> 56)
                    let m = UInt64(1) << UInt64(bit & 63)
                    switch bit >> 6 {
                    case 0: seen.0 |= m
                    case 1: seen.1 |= m
                    case 2: seen.2 |= m
                    default: seen.3 |= m
                    }
                }
                flush()
            }
            var v: UInt64 = 0
            for i in 0..<64 where c[i] * 2 > n { v |= 1 << UInt64(i) }
            value = n == 0 ? 0 : (v == 0 ? 1 : v)
        }
        shingles = seen.0.nonzeroBitCount + seen.1.nonzeroBitCount + seen.2.nonzeroBitCount + seen.3.nonzeroBitCount
    }

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
    }

    /// A 64-bit finaliser (splitmix64).
    @inline(__always)
    static func mix(_ x0: UInt64) -> UInt64 {
        var x = x0 &+ 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    /// Whether at most `d` bits differ. For d < 5 a cheap test rejects most pairs first: of five
    /// blocks of the hash (13, 13, 13, 13 and 12 bits), two hashes within 4 bits agree on at
    /// least one block (pigeonhole), and random hashes almost never do.
    /// - Complexity: O(1); a full popcount only for pairs that pass the block test.
    @inline(__always)
    static func near(_ a: UInt64, _ b: UInt64, within d: Int) -> Bool {
        let x = a ^ b
        if d < 5 && x & 0x1FFF != 0 && x & 0x3FF_E000 != 0 && x & 0x7F_FC00_0000 != 0
            && x & 0xF_FF80_0000_0000 != 0 && x & 0xFFF0_0000_0000_0000 != 0 { return false }
        return x.nonzeroBitCount <= d
    }
}

/// A keyed 64-bit hash of names (users, channels), case-insensitive for ASCII. The key is random
/// per state (and saved with it), so chat authors cannot choose names that collide in the tables.
struct KeyedHash {
    var key: UInt64

    /// `foldCase`: A-Z read as a-z (names); off for checksums.
    func hash(_ bytes: UnsafeRawBufferPointer, salt: UInt64 = 0, foldCase: Bool = true) -> UInt64 {
        var h = key ^ salt ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var word: UInt64 = 0
        var k = 0
        for b in bytes {
            let lower = foldCase && b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            word |= UInt64(lower) << UInt64(k * 8)
            k += 1
            if k == 8 {
                h = SimHash.mix(h ^ word)
                word = 0
                k = 0
            }
        }
        if k > 0 { h = SimHash.mix(h ^ word ^ 0xFF) }
        h = SimHash.mix(h)
        return h == 0 ? 1 : h
    }
}
