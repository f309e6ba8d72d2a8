/// The characters PCRE2 (UTF + UCP) matches caselessly as one letter, e.g. `k`, `K` and
/// U+212A KELVIN SIGN. Literal extraction expands caseless letters with this table, so the
/// prefilter finds every spelling PCRE2 would match. The table is generated and checked
/// against libpcre2-8 by Scripts/gen_case_orbits.py.
enum CaseOrbits {
    /// Scalar value -> the index of its row in `caseOrbitTable`.
    static let index: [UInt32: Int] = {
        var map: [UInt32: Int] = [:]
        map.reserveCapacity(3000)
        for (i, row) in caseOrbitTable.enumerated() {
            for c in row { map[c] = i }
        }
        return map
    }()

    /// Every scalar PCRE2 treats as `scalar` under caseless matching (including itself).
    static func orbit(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        guard let row = index[scalar.value] else { return [scalar] }
        return caseOrbitTable[row].compactMap(Unicode.Scalar.init)
    }
}
