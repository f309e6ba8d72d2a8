// libFuzzer target: the behaviour signals' state file and event times (`Invariants.signals`):
// the input as a state file must be refused or restored, never trap; as TSV chat lines with any
// timestamps (up to Int64's extremes) it drives the signals within their caps; the state then
// round-trips through its own file.
@_spi(Testing) import ScamScan

/// One classifier (its match scratch is costly to build); `Invariants.signals` gives each input a
/// fresh signal state.
nonisolated(unsafe) let classifier: Classifier? = (try? CompiledPack.load(directories: ["Rules"])).map { Classifier(pack: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignals(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let classifier else { fatalError("run from the repository root: Rules/ must load") }
    if let problem = Invariants.signals(Array(UnsafeBufferPointer(start: data, count: size)), classifier: classifier) {
        fatalError(problem)
    }
    return 0
}
