import Yams
import ScanSupport
import Normalise

extension RuleParser {
    /// A behaviour signal's `params`, checked; every problem reported with its location.
    func signalKind(_ signal: SignalRule.Signal, fields: inout YAMLFields, file: String) -> RuleKind? {
        var spec = SignalRule(signal: signal)
        let allowed = SignalRule.allowed[signal]!
        guard let node = fields.node("params") else {
            if signal == .shape {
                fields.diagnostics.append(Diagnostic(fields.mappingLocation, rule: fields.ruleID,
                    "a shape rule needs 'params' with at least one check: \(allowed.joined(separator: ", "))"))
                return nil
            }
            return .signal(spec)
        }
        guard case let .mapping(mapping) = node else {
            fields.report(node, "'params' must be a mapping of parameter: value (\(allowed.joined(separator: ", ")))")
            return nil
        }
        var p = YAMLFields(file: file, ruleID: fields.ruleID, mapping: mapping, known: allowed, required: [])
        func duration(_ name: String) -> Int64? { p.duration(name, examples: "30s, 10m or 24h") }
        func whole(_ name: String, _ range: ClosedRange<Double>) -> Int? { p.wholeNumber(name, in: range) }
        func has(_ name: String) -> Bool { p.node(name) != nil }
        if has("window"), let d = duration("window") { spec.window = d }
        if has("remember"), let d = duration("remember") { spec.window = d }
        // Ring sizes bound what a count can see: a user keeps at most 64 recent messages.
        if has("count"), let v = whole("count", 2...64) { spec.count = v }
        if has("messages"), let v = whole("messages", 2...64) { spec.count = v }
        if has("repeats"), let v = whole("repeats", 0...64) { spec.count = v }
        if has("users"), let v = whole("users", 2...1024) { spec.users = v }
        if has("distance"), let v = whole("distance", 0...32) { spec.distance = v }
        if has("min_shingles"), let v = whole("min_shingles", 1...1000) { spec.minShingles = v }
        if has("history"), let v = whole("history", 8...4096) { spec.history = v }
        if has("mentions"), let v = whole("mentions", 0...100) { spec.mentions = v }
        if has("max_caps_ratio"), let v = p.number("max_caps_ratio", in: 0.01...1) { spec.maxCapsRatio = v }
        if has("min_letters"), let v = whole("min_letters", 1...10_000) { spec.minLetters = v }
        if has("max_symbol_ratio"), let v = p.number("max_symbol_ratio", in: 0.01...1) { spec.maxSymbolRatio = v }
        if has("min_symbols"), let v = whole("min_symbols", 1...10_000) { spec.minSymbols = v }
        if has("max_length"), let v = whole("max_length", 1...1_000_000) { spec.maxLength = v }
        if has("max_marks"), let v = whole("max_marks", 1...100) { spec.maxMarks = v }
        if has("carries"), let names = p.strings("carries", minimum: 1) {
            var carries: SignalRule.Carries = []
            let choices = SignalRule.Carries.named.filter { signal == .spamWave || ($0.0 != .ruleHit && $0.0 != .newAccounts) }
            for (name, location) in names {
                guard let c = choices.first(where: { $0.1 == name })?.0 else {
                    p.diagnostics.append(Diagnostic(location, rule: fields.ruleID,
                        "unknown '\(name)' in 'carries'; choose from: \(choices.map(\.1).joined(separator: ", "))"))
                    continue
                }
                carries.insert(c)
            }
            spec.carries = carries
        }
        if has("new_within"), let d = duration("new_within") { spec.newWithin = d }
        if has("allow_domains"), let names = p.strings("allow_domains", minimum: 1) {
            spec.allowDomains.formUnion(names.map { $0.0.lowercased() })
        }
        if has("exempt_users"), let names = p.strings("exempt_users", minimum: 1) {
            spec.exemptUsers = names.map { $0.0.lowercased() }
        }
        if signal == .mentionSpam && spec.mentions == 0 && spec.count == 0 {
            p.diagnostics.append(Diagnostic(p.mappingLocation, rule: fields.ruleID,
                "mention_spam does nothing with both 'mentions' and 'repeats' at 0; set one of them"))
        }
        if signal == .shape && spec.maxCapsRatio == 0 && spec.maxSymbolRatio == 0 && spec.maxLength == 0 && spec.maxMarks == 0 {
            p.diagnostics.append(Diagnostic(p.mappingLocation, rule: fields.ruleID,
                "a shape rule needs at least one check: max_caps_ratio, max_symbol_ratio, max_length or max_marks"))
        }
        fields.diagnostics += p.diagnostics
        guard p.diagnostics.isEmpty else { return nil }
        return .signal(spec)
    }
}
