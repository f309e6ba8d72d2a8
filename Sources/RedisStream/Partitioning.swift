/// Which partition a channel's records go to: the 32-bit FNV-1a hash of the channel's bytes as
/// written (UTF-8, no folding), modulo the number of partitions. A record without a channel
/// hashes as the empty channel. The function is part of the stream format (docs/SCALE.md) and
/// never changes between versions: producers in any language can compute it, and a channel
/// stays on its partition, so its behaviour state stays on one worker.
///
///     fnv1a32("")     = 0x811c9dc5
///     fnv1a32("luna") = 0x05033d87   (luna → partition 3 of 4)
public enum Partitioning {
    public static func fnv1a32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var h: UInt32 = 0x811c_9dc5
        for b in bytes {
            h ^= UInt32(b)
            h = h &* 0x0100_0193
        }
        return h
    }

    /// The partition (0 ..< count) of `channel`.
    public static func partition(ofChannel channel: UnsafeRawBufferPointer?, count: Int) -> Int {
        precondition(count > 0)
        let h = channel.map { fnv1a32($0) } ?? fnv1a32([])
        return Int(h % UInt32(count))
    }

    /// The stream key of partition `p` of stream `name`: `NAME:P`.
    public static func key(_ name: String, _ p: Int) -> String { "\(name):\(p)" }

    /// The key holding partition `p`'s behaviour state: `NAME:P:state`.
    public static func stateKey(_ name: String, _ p: Int) -> String { "\(name):\(p):state" }

    /// Parses a partition list: `0,1,5`, ranges `0-3`, or both (`0-3,8`); sorted, no duplicates.
    public static func parseList(_ text: String) throws(RedisError) -> [Int] {
        var result = Set<Int>()
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = piece.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let lo = bounds.first.flatMap({ Int($0) }), lo >= 0,
                  let hi = bounds.count == 2 ? Int(bounds[1]) : lo, hi >= lo, hi - lo < 100_000 else {
                throw RedisError.usage("--partitions '\(text)': expected partition numbers and ranges such as 0,1 or 0-3 or 0-3,8 (got '\(piece)')")
            }
            for p in lo...hi { result.insert(p) }
        }
        return result.sorted()
    }
}
