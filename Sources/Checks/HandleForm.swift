import ScanSupport
import Normalise
import Model

/// A handle (user name) in the forms look-alike checks compare.
///
/// - `plain`: lower-cased, without a leading `@`: two handles with the same plain form are one
///   account (platform handles are caseless).
/// - `key`: the UTS #39 skeleton of the handle as written, lower-cased (the skeleton maps `0` to
///   `O`, `1` and `I` to `l`, `rn` and `m` alike): two handles with the same key look the same.
/// - `stripped`: letter by letter, each confusable letter as its one-letter prototype, digits
///   as they are, without the separators `.`, `_` and `-`: what decorations and edit distances
///   are measured on.
package struct HandleForm: Hashable, Sendable {
    let plain: String
    /// Unicode scalar values (edit distances count letters, not bytes).
    let key: [UInt32]
    let stripped: [UInt32]
    /// How many ASCII digits end the handle (`creator_2024`: 4).
    let digitSuffix: Int
    /// `stripped` with the swaps impersonators stack on top of each other undone: leet digits
    /// before the trailing ones as letters (`1una_0fficial`, `lun4p4ints`), `i` and `l` as one,
    /// `vv` as `w`. What the decoration and edit-distance checks compare, so
    /// two tricks at once (a digit swap and a decoration, two digit swaps) still match.
    let loose: [UInt32]
    /// The scripts of its letters (`Script` bits).
    let scripts: UInt8

    package init(_ handle: some StringProtocol) {
        var text = Substring(handle)
        if text.hasPrefix("@") { text = text.dropFirst() }
        plain = text.lowercased()
        // The skeleton of the handle as written: capital I reads as l (northernIion) before
        // lower-casing would make it an i.
        key = Array(FoldTable.shared.skeleton(text).lowercased().unicodeScalars.map(\.value))
        // For edits and decorations, letter by letter: a look-alike becomes its prototype only
        // when that is one letter (so m stays m, where the skeleton writes rn), digits stay.
        var letters: [UInt32] = []
        var one: [Unicode.Scalar] = []
        for c in text.unicodeScalars where c != "." && c != "_" && c != "-" {
            if ("0"..."9").contains(c) {
                letters.append(c.value)
                continue
            }
            one.removeAll(keepingCapacity: true)
            FoldTable.shared.appendSkeleton(of: c, to: &one)
            let mapped = one.count == 1 ? one[0] : c
            for l in mapped.properties.lowercaseMapping.unicodeScalars { letters.append(l.value) }
        }
        stripped = letters
        var digits = 0
        for c in plain.unicodeScalars.reversed() {
            if c == "." || c == "_" || c == "-" { continue }
            guard ("0"..."9").contains(c) else { break }
            digits += 1
        }
        digitSuffix = digits
        loose = looseForm(letters, trailingDigits: digits)
        var bits: UInt8 = 0
        var lookalikes = false
        for s in plain.unicodeScalars where s.properties.isAlphabetic {
            let script = Script.of(s.value)
            bits |= script.rawValue
            // A letter of another script that passes for a Latin one (а, о, ρ), not just any
            // letter of it: "Иван_Smith" is a person, "pаypal" a disguise.
            if script != .latin && script != .other {
                one.removeAll(keepingCapacity: true)
                FoldTable.shared.appendSkeleton(of: s, to: &one)
                if one.count == 1, one[0].isASCII, one[0].properties.isAlphabetic { lookalikes = true }
            }
        }
        scripts = bits
        latinLookalikes = lookalikes
    }

    /// Whether it has a letter of Greek, Cyrillic, Armenian or Cherokee that looks Latin.
    let latinLookalikes: Bool

    /// Whether its letters come from more than one script (Latin with Cyrillic, say).
    var mixesScripts: Bool { scripts.nonzeroBitCount > 1 }

    /// Whether it mixes Latin-looking letters across scripts: Latin with a Cyrillic, Greek,
    /// Armenian or Cherokee letter that looks Latin. A Latin name with CJK, accents or emoji
    /// ("王小明Lee", "José😊") is how real people write theirs.
    var mixesConfusableScripts: Bool {
        let confusable = scripts & ~Script.other.rawValue
        return confusable.nonzeroBitCount > 1 && latinLookalikes
    }

    var scriptNames: [String] { Script.all.filter { scripts & $0.rawValue != 0 }.map(\.name) }
}

/// The scripts whose letters pass for each other in handles.
struct Script: OptionSet {
    let rawValue: UInt8
    static let latin = Script(rawValue: 1)
    static let greek = Script(rawValue: 2)
    static let cyrillic = Script(rawValue: 4)
    static let armenian = Script(rawValue: 8)
    static let cherokee = Script(rawValue: 16)
    static let other = Script(rawValue: 32)

    static let all: [Script] = [.latin, .greek, .cyrillic, .armenian, .cherokee, .other]

    var name: String {
        switch self {
        case .latin: "Latin"
        case .greek: "Greek"
        case .cyrillic: "Cyrillic"
        case .armenian: "Armenian"
        case .cherokee: "Cherokee"
        default: "other"
        }
    }

    /// The script of a letter, by block.
    /// - Complexity: O(1).
    static func of(_ v: UInt32) -> Script {
        switch v {
        case 0...0x24F, 0x1D00...0x1DBF, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F, 0xFF21...0xFF5A:
            .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: .greek
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: .cyrillic
        case 0x530...0x58F: .armenian
        case 0x13A0...0x13FF, 0xAB70...0xABBF: .cherokee
        default: .other
        }
    }
}

/// FNV-1a, 64 bits, over scalar values: the hash the handle index sorts by.
@inline(__always)
func fnv1a(_ scalars: some Sequence<UInt32>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for v in scalars {
        h ^= UInt64(v)
        h &*= 0x100_0000_01B3
    }
    return h
}

/// The loose form of `letters` (see `HandleForm.loose`); the last `trailingDigits` stay digits
/// (`creator2024` is decorated with `2024`, not spelled with it).
func looseForm(_ letters: [UInt32], trailingDigits: Int) -> [UInt32] {
    let body = letters.count - min(trailingDigits, letters.count)
    var out: [UInt32] = []
    out.reserveCapacity(letters.count)
    for (k, c) in letters.enumerated() {
        var v = c
        if k < body {
            switch c {
            case 0x30: v = 0x6F  // 0 o
            case 0x31, 0x69: v = 0x6C  // 1 i -> l
            case 0x33: v = 0x65  // 3 e
            case 0x34: v = 0x61  // 4 a
            case 0x35: v = 0x73  // 5 s
            case 0x37: v = 0x74  // 7 t
            case 0x38: v = 0x62  // 8 b
            default: break
            }
        }
        // vv -> w (rn -> m is the skeleton's: collapsing it here would put northernlion two
        // edits from its own typos)
        if let last = out.last, k < body, last == 0x76 && v == 0x76 {
            out[out.count - 1] = 0x77
            continue
        }
        out.append(v)
    }
    return out
}
