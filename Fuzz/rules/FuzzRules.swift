// libFuzzer target: the rule loader (YAML, fields, kinds) and pack compilation on any text.
// Any outcome but a crash is fine: errors must come back as diagnostics.
import ScamScan

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let rules = try? RuleLoader.parse(yaml: text, file: "fuzz.yml") {
        _ = try? CompiledPack(RulePack(settings: PackSettings(name: "fuzz"), rules: rules, directories: []))
    }
    return 0
}
