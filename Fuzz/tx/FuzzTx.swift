// libFuzzer target: the CSV reader (buffer-size independence, quote round trip) and the
// transaction engine with the shipped rules on whatever rows the input holds.
@_spi(Testing) import ScamScan

nonisolated(unsafe) let pack: CompiledPack? = try? CompiledPack.load(directories: ["Rules"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTx(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let pack else { fatalError("run from the repository root: Rules/ must load") }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let problem = Invariants.csv(bytes) { fatalError(problem) }
    // Every row that decodes is scored; the engine must not trap on any values or order.
    let engine = TxEngine(rules: pack.rules, thresholds: pack.settings.thresholds, maxKeys: 64)
    var result = TxClassification()
    var map: [Int?]?
    try? CSVReader(bytes: bytes, maxRecordBytes: 4096).forEachRecord({ row in
        guard let m = map else {
            let header = (0..<row.count).map { String(decoding: row[$0], as: UTF8.self) }
            map = (try? TxColumnMap().resolve(header: header).get()) ?? TxField.allCases.map { $0.rawValue }
            return
        }
        if case let .success(tx) = TxDecoder.decode(line: row.line, { f in m[f.rawValue].flatMap { $0 < row.count ? row[$0] : nil } }) {
            engine.process(tx, into: &result)
            engine.sweep()
        }
    }, problem: { _ in })
    return 0
}
