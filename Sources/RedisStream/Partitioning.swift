import ScamScan

/// The Redis Streams names for partitions: keys, state keys, partition lists. Which partition a
/// record goes to is `ChannelPartition` (the FNV-1a hash of its channel, docs/SCALE.md).
public enum Partitioning {
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
