/// Whether `needle` (lower-case) occurs in `haystack`, ASCII letters of the haystack compared
/// without case. For short needles in one message's bytes (cues, names), not bulk search: the
/// matcher's automaton does that.
/// - Complexity: O(haystack × needle) in the worst case.
package func containsFoldingCase<C: RandomAccessCollection>(_ haystack: C, _ needle: [UInt8]) -> Bool where C.Element == UInt8 {
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    let fold = { (b: UInt8) in b &+ ((b &- 0x41) < 26 ? 0x20 : 0) }
    var i = haystack.startIndex
    let last = haystack.index(haystack.endIndex, offsetBy: -needle.count)
    while true {
        var j = i
        var k = 0
        while k < needle.count && fold(haystack[j]) == needle[k] {
            k += 1
            j = haystack.index(after: j)
        }
        if k == needle.count { return true }
        if i == last { return false }
        i = haystack.index(after: i)
    }
}
