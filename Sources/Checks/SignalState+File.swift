import Foundation
import ScanSupport
import Normalise
import Model

/// Why a state file was not restored. The run goes on with an empty state; the CLI reports it.
public struct StateFileError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The state file (`scamscan chat --state FILE`), little-endian:
///
///     "SCAMSIGS" version:u32 userRing:u32 channelRing:u32 key:u64 savedAt:i64
///     users:u32 channels:u32 pairs:u32
///     users    × (key:u64 lastSeen:i64 next:u16 filled:u16 userRing × (time:i64 simhash:u64 mention:u64))
///     channels × (key:u64 lastSeen:i64 next:u16 filled:u16 channelRing × (time:i64 simhash:u64 user:u64))
///     pairs    × (key:u64 lastSeen:i64)
///     checksum:u64 (of everything before it)
///
/// Each table is written least recently used first, so restoring in file order rebuilds the
/// recency order; a smaller cap on restore keeps the most recent keys. The hash key travels with
/// the state because every table is keyed by it.
extension SignalState {
    static let magic = Array("SCAMSIGS".utf8)
    public static let fileVersion: UInt32 = 1

    /// Writes the state to `path` atomically (a temporary file renamed over it), stamped as saved
    /// at `savedAt` (ms since the epoch).
    public func save(to path: String, savedAt: Int64) throws(StateFileError) {
        let out = encoded(savedAt: savedAt)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            let directory = (path as NSString).deletingLastPathComponent
            throw StateFileError("cannot create \(temporary): \(reason) (the state is written beside \(path) and renamed into place; check that \(directory.isEmpty ? "the current directory" : directory) exists and this user can write to it)")
        }
        var written = 0
        let failure: String? = out.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                written += n
            }
            return nil
        }
        if let failure {
            close(fd)
            unlink(temporary)
            throw StateFileError("cannot write \(temporary): \(failure)")
        }
        if close(fd) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StateFileError("cannot write \(temporary): \(reason)")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StateFileError("cannot rename \(temporary) to \(path): \(reason)")
        }
    }

    /// The state in the file format above.
    public func encoded(savedAt: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + users.count * (20 + 24 * userRing) + channels.count * (20 + 24 * channelRing) + seen.count * 16)
        out += Self.magic
        Self.put(&out, Self.fileVersion)
        Self.put(&out, UInt32(userRing))
        Self.put(&out, UInt32(channelRing))
        Self.put(&out, hasher.key)
        Self.put(&out, UInt64(bitPattern: savedAt))
        Self.put(&out, UInt32(users.count))
        Self.put(&out, UInt32(channels.count))
        Self.put(&out, UInt32(seen.count))
        for s in users.slotsOldestFirst {
            Self.put(&out, users.keys[s])
            Self.put(&out, UInt64(bitPattern: users.lastSeen[s]))
            userRings.write(s, into: &out)
        }
        for s in channels.slotsOldestFirst {
            Self.put(&out, channels.keys[s])
            Self.put(&out, UInt64(bitPattern: channels.lastSeen[s]))
            channelRings.write(s, into: &out)
        }
        for s in seen.slotsOldestFirst {
            Self.put(&out, seen.keys[s])
            Self.put(&out, UInt64(bitPattern: seen.lastSeen[s]))
        }
        let sum = out.withUnsafeBytes { Self.checksum($0) }
        Self.put(&out, sum)
        return out
    }

    /// Reads a state file written by `save` into this new, empty state. Throws when the file is
    /// not a state file, is of another version or settings, or is damaged (then discard this
    /// state: it may hold part of the file); never traps on any input.
    public mutating func restore(from path: String) throws(StateFileError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StateFileError("cannot read it (\(error.localizedDescription))")
        }
        try restore(contents: [UInt8](data))
    }

    /// Restores from the bytes of a state file (see `restore(from:)`).
    public mutating func restore(contents: [UInt8]) throws(StateFileError) {
        do {
            try contents.withUnsafeBytes { try restore(bytes: $0) }
        } catch let error as StateFileError {
            throw error
        } catch {
            throw StateFileError("\(error)")
        }
    }

    private mutating func restore(bytes b: UnsafeRawBufferPointer) throws(StateFileError) {
        guard b.count >= 8, Array(b[0..<8]) == Self.magic else {
            throw StateFileError("not a scamscan state file (it does not start with SCAMSIGS)")
        }
        var r = Reader(bytes: b, at: 8)
        let version: UInt32 = try r.read()
        guard version == Self.fileVersion else {
            throw StateFileError("state file version \(version); this scamscan reads version \(Self.fileVersion)")
        }
        guard b.count >= 16 else { throw StateFileError("damaged: it ends early (truncated?)") }
        let stored: UInt64 = UnsafeRawBufferPointer(rebasing: b[(b.count - 8)...]).loadUnaligned(as: UInt64.self).littleEndian
        guard Self.checksum(UnsafeRawBufferPointer(rebasing: b[..<(b.count - 8)])) == stored else {
            throw StateFileError("damaged: its checksum does not match (truncated or changed after it was written)")
        }
        let uRing: UInt32 = try r.read(), cRing: UInt32 = try r.read()
        guard Int(uRing) == userRing, Int(cRing) == channelRing else {
            throw StateFileError("written with other signal settings (per-user history \(uRing), per-channel history \(cRing); the rules loaded now need \(userRing) and \(channelRing))")
        }
        let key: UInt64 = try r.read()
        let _: UInt64 = try r.read()  // saved at
        let nUsers: UInt32 = try r.read(), nChannels: UInt32 = try r.read(), nPairs: UInt32 = try r.read()
        let expected = 8 + 4 * 3 + 8 * 2 + 4 * 3 + Int(nUsers) * (20 + 24 * userRing) + Int(nChannels) * (20 + 24 * channelRing)
            + Int(nPairs) * 16 + 8
        guard expected == b.count else {
            throw StateFileError("damaged: \(b.count) bytes where its counts say \(expected)")
        }
        hasher = KeyedHash(key: key)
        for _ in 0..<nUsers {
            let k: UInt64 = try r.read(), last = Int64(bitPattern: try r.read())
            let (slot, _) = users.touch(k, now: last, expireBefore: .min)
            userRings.ensure(slots: users.slotCount)
            try userRings.read(slot, from: &r)
        }
        for _ in 0..<nChannels {
            let k: UInt64 = try r.read(), last = Int64(bitPattern: try r.read())
            let (slot, _) = channels.touch(k, now: last, expireBefore: .min)
            channelRings.ensure(slots: channels.slotCount)
            try channelRings.read(slot, from: &r)
        }
        for _ in 0..<nPairs {
            let k: UInt64 = try r.read(), last = Int64(bitPattern: try r.read())
            _ = seen.touch(k, now: last, expireBefore: .min)
        }
    }

    static func put<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        KeyedHash(key: 0x5343_414D_5349_4753).hash(bytes, foldCase: false)
    }

    /// Bounds-checked little-endian reads.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at: Int
        mutating func read<T: FixedWidthInteger>() throws(StateFileError) -> T {
            let size = MemoryLayout<T>.size
            guard at + size <= bytes.count else { throw StateFileError("damaged: it ends early (truncated?)") }
            let v = UnsafeRawBufferPointer(rebasing: bytes[at..<(at + size)]).loadUnaligned(as: T.self)
            at += size
            return T(littleEndian: v)
        }
    }
}
