// libFuzzer target: the folded view, its span map and link extraction on any bytes.
// Built only by `make fuzz` (SCAMSCAN_FUZZ=1, --sanitize=fuzzer,address).
@_spi(Testing) import ScamScan

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFold(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let problem = Invariants.fold(bytes) { fatalError(problem) }
    return 0
}
