import ScanSupport

/// Which partition a channel's records belong to, for everything that splits a chat stream by
/// channel (`chat -j N` over files, Redis Streams partitions): the 32-bit FNV-1a hash of the
/// channel's bytes as written (UTF-8, no folding), modulo the number of partitions; a record
/// without a channel hashes as the empty channel. Part of the stream format (docs/SCALE.md):
/// it never changes between versions.
///
///     fnv1a32("")     = 0x811c9dc5
///     fnv1a32("luna") = 0x05033d87   (luna → partition 3 of 4)
public enum ChannelPartition {
    public static func fnv1a32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var h: UInt32 = 0x811c_9dc5
        for b in bytes {
            h ^= UInt32(b)
            h = h &* 0x0100_0193
        }
        return h
    }

    /// The partition (0 ..< count) of `channel`.
    public static func of(_ channel: UnsafeRawBufferPointer?, count: Int) -> Int {
        precondition(count > 0)
        let h = channel.map { fnv1a32($0) } ?? fnv1a32([])
        return Int(h % UInt32(count))
    }
}
