/// Edit distance with insertions, deletions, substitutions and transpositions of adjacent
/// elements, each costing 1 (the "optimal string alignment" form of Damerau-Levenshtein).
/// - Complexity: O(|a| × |b|) time, O(|b|) memory.
package func optimalStringAlignmentDistance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { v = min(v, before[j - 2] + 1) }
            current[j] = v
        }
        (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
}
