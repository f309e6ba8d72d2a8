/// The `folded` view of one text, with an offset map back into the raw text.
///
/// Folding today is lower-casing (Unicode lowercase mapping, scalar by scalar); bytes that are not
/// valid UTF-8 are copied through unchanged. Every folded byte remembers the raw span of the
/// scalar it came from, so a match on the folded text reports a span of the raw text: what the
/// user wrote, never a guess.
///
/// Reuse one value across records: its buffers keep their capacity, so folding does not allocate
/// once warmed up (except for the rare scalar whose lowercase mapping is not a single scalar).
public struct FoldedText {
    public private(set) var bytes: [UInt8] = []
    /// For each folded byte, the raw offsets of the start and end of its source scalar.
    /// Empty when the map is the identity (the ASCII fast path).
    private var rawStart: [Int32] = []
    private var rawEnd: [Int32] = []
    private var rawCount = 0

    public init() {}

    /// Folds `raw`, replacing the previous contents.
    /// - Complexity: O(n). Plain ASCII takes a byte loop with no map.
    public mutating func fold(_ raw: UnsafeRawBufferPointer) {
        bytes.removeAll(keepingCapacity: true)
        rawStart.removeAll(keepingCapacity: true)
        rawEnd.removeAll(keepingCapacity: true)
        rawCount = raw.count
        if isASCII(raw) {
            for b in raw { bytes.append(b &+ ((b &- 0x41) < 26 ? 0x20 : 0)) }
            return
        }
        var i = 0
        while i < raw.count {
            let before = bytes.count
            var length = 1
            if let (scalar, n) = decodeScalar(raw, at: i) {
                length = n
                if scalar.value < 0x80 {
                    let b = UInt8(scalar.value)
                    bytes.append(b &+ ((b &- 0x41) < 26 ? 0x20 : 0))
                } else if scalar.properties.changesWhenLowercased {
                    for s in scalar.properties.lowercaseMapping.unicodeScalars { s.appendUTF8(to: &bytes) }
                } else {
                    for k in 0..<n { bytes.append(raw[i + k]) }
                }
            } else {
                bytes.append(raw[i])
            }
            for _ in before..<bytes.count {
                rawStart.append(Int32(i))
                rawEnd.append(Int32(i + length))
            }
            i += length
        }
    }

    /// Maps a span of the folded bytes to the span of raw bytes it was folded from.
    /// The raw span covers whole source scalars.
    public func rawSpan(start: Int, end: Int) -> (start: Int, end: Int) {
        if rawStart.isEmpty { return (start, end) }
        let s = start < rawStart.count ? Int(rawStart[start]) : rawCount
        let e = end > start ? Int(rawEnd[end - 1]) : s
        return (s, e)
    }
}
