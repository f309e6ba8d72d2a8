import ScanSupport

/// Parses `timestamp<TAB>channel<TAB>user<TAB>message`.
package enum TSVRecord {
    static let header: [UInt8] = Array("timestamp\tchannel\tuser\tmessage".utf8)

    package static func isHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        // Letters compare without case; every other byte (the tabs) must be exact.
        line.count == header.count && zip(line, header).allSatisfy { a, b in a &+ ((a &- 0x41) < 26 ? 0x20 : 0) == b }
    }

    /// Fills `record`'s parts from `line`, or sets `record.error` (the text is then the whole line).
    package static func parse(_ line: UnsafeRawBufferPointer, into record: inout ChatRecord) {
        var tabAt = (0, 0, 0)  // offsets of the first three tabs; no allocation per line
        var tabs = 0
        for i in 0..<line.count where line[i] == 0x09 {
            switch tabs {
            case 0: tabAt.0 = i
            case 1: tabAt.1 = i
            case 2: tabAt.2 = i
            default: break
            }
            tabs += 1
        }
        guard tabs == 3 else {
            record.text = line
            record.error = RecordError(column: 1,
                "expected 4 tab-separated fields (timestamp, channel, user, message), found \(tabs + 1); a message must not contain tabs (or use --input jsonl)")
            return
        }
        func field(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: line[start..<end])
        }
        record.timestamp = field(0, tabAt.0)
        record.channel = field(tabAt.0 + 1, tabAt.1)
        record.user = field(tabAt.1 + 1, tabAt.2)
        record.text = field(tabAt.2 + 1, line.count)
    }
}
