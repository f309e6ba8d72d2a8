// libFuzzer target: the chat readers (TSV, JSON Lines) on each line, then the full classifier
// (the shipped Rules/, found from the working directory) on each line's text, author and channel.
@_spi(Testing) import ScamScan

nonisolated(unsafe) let classifier: Classifier? = (try? CompiledPack.load(directories: ["Rules"])).map { Classifier(pack: $0) }
/// One stream's behaviour state across the inputs, as a long-running `chat` keeps it.
nonisolated(unsafe) var signals: SignalState? = classifier?.pack.makeSignalState()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChat(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let classifier else { fatalError("run from the repository root: Rules/ must load") }
    var result = Classification()
    for line in UnsafeBufferPointer(start: data, count: size).split(separator: 0x0A, omittingEmptySubsequences: false) {
        let bytes = Array(line)
        if let problem = Invariants.chatLine(bytes) { fatalError(problem) }
        let fields = bytes.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        let user = fields.count > 1 ? fields[0] : []
        let channel = fields.count > 2 ? fields[1] : []
        bytes.withUnsafeBytes { t in
            user.withUnsafeBytes { u in
                channel.withUnsafeBytes { c in classifier.classify(t, user: u, channel: c, time: nil, state: &signals, clock: .fixed(1_767_225_600_000),
                                                                into: &result) }
            }
        }
        for hit in result.hits where !(0 <= hit.start && hit.start <= hit.end && hit.end <= bytes.count) {
            fatalError("hit \(hit) outside the \(bytes.count)-byte text")
        }
    }
    return 0
}
