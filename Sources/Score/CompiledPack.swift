import Matcher
import ScanSupport
import Normalise
import Model
import Checks

/// A validated pack with every pattern compiled into one matcher per view. Immutable and shared
/// between threads; per-thread state lives in `Classifier`.
public final class CompiledPack: Sendable {
    public let settings: PackSettings
    public let rules: [Rule]
    /// The rules of one view and the matcher over their patterns (pattern i is rule `ruleIndices[i]`).
    struct ViewMatcher: Sendable {
        let ruleIndices: [Int]
        let matcher: any MultiMatcher
    }
    let raw: ViewMatcher
    let folded: ViewMatcher
    /// `domain_list` and `domain_lookalike` rules.
    let domainChecks: [DomainCheck]
    /// `evasion` rules, with their rule index.
    let evasionRules: [(rule: Int, spec: EvasionRule)]
    /// `handle_lookalike` rules.
    let handleChecks: [HandleCheck]
    /// Behaviour signal rules, with their rule index (run with a `SignalState`).
    public let signalRules: [(rule: Int, spec: SignalRule)]
    /// The key of the behaviour signals' name hash: fixed per pack (its `hash_key`, else its
    /// name, version and rule ids), so a verdict can be reproduced from the input and the pack.
    public let hashKey: UInt64
    /// `model` rules, with their rule index.
    public let modelRules: [(rule: Int, spec: ModelRule)]
    /// Whether records need the folded view: for folded patterns, link extraction or evasion rules.
    let needsFolding: Bool
    public let engine: Engine

    /// A new, empty behaviour state for this pack's signal rules; nil when it has none.
    public func makeSignalState(limits: SignalLimits = SignalLimits()) -> SignalState? {
        signalRules.isEmpty ? nil : SignalState(rules: signalRules, limits: limits, key: hashKey)
    }

    /// FNV-1a 64 of the pack's `hash_key`, or of its name, version and rule ids.
    static func hashKey(_ pack: RulePack) -> UInt64 {
        var h = FNV1a64()
        func add(_ s: String) {
            h.add(s.utf8)
            h.add(0xFF)
        }
        if let key = pack.settings.hashKey {
            add(key)
        } else {
            add(pack.settings.name)
            add(String(pack.settings.version))
            for rule in pack.rules { add(rule.id) }
        }
        return h.value
    }

    /// The rules whose patterns `view`'s matcher runs, in its order (`scamscan lint --patterns`).
    public func patternRules(_ view: TextView) -> [Rule] {
        (view == .raw ? raw : folded).ruleIndices.map { rules[$0] }
    }

    /// Which multi-pattern engine runs the rules. Both give the same answers (tested); `naive`
    /// exists as the reference and the baseline.
    public enum Engine: String, CaseIterable, Sendable {
        /// Literal prefilter + PCRE2 confirmation (`PrefilterMatcher`).
        case prefilter
        /// Every rule's pattern on every record (`NaiveMatcher`).
        case naive
    }

    /// Compiles every rule's pattern. Errors name the rule, PCRE2's message and the pattern offset;
    /// all of them are reported at once.
    /// `protect` adds protected handles to every `handle_lookalike` rule (`NAME` or `CHANNEL:NAME`).
    public init(_ pack: RulePack, engine: Engine = .prefilter, protect: [String] = []) throws(RulePackError) {
        self.engine = engine
        settings = pack.settings
        rules = pack.rules
        hashKey = Self.hashKey(pack)
        var diagnostics: [Diagnostic] = []
        var compiled: [TextView: [(Int, CompiledPattern)]] = [:]
        let probe = MatchScratch()
        var domainChecks: [DomainCheck] = []
        var evasionRules: [(Int, EvasionRule)] = []
        var handleChecks: [HandleCheck] = []
        var signalRules: [(Int, SignalRule)] = []
        var modelRules: [(Int, ModelRule)] = []
        for (index, rule) in pack.rules.enumerated() {
            switch rule.kind {
            case .pattern: break
            case .domainList, .domainLookalike:
                domainChecks.append(DomainCheck(rule: index, kind: rule.kind))
                continue
            case let .evasion(spec):
                evasionRules.append((index, spec))
                continue
            case let .handleLookalike(spec):
                handleChecks.append(HandleCheck(rule: index, spec: spec, extra: protect))
                continue
            case .transaction:
                continue  // run by TxEngine (`scamscan tx`), never on chat
            case let .signal(spec):
                signalRules.append((index, spec))
                continue
            case let .model(spec):
                modelRules.append((index, spec))
                continue
            }
            do {
                let pattern = try CompiledPattern(rule.pattern)
                var empty = [UInt8]()
                if case .match = empty.withUnsafeMutableBytes({ pattern.firstMatch(in: UnsafeRawBufferPointer($0), scratch: probe) }) {
                    diagnostics.append(Diagnostic(rule.patternLocation, rule: rule.id,
                        "pattern matches the empty message, so it would flag every record; require at least one character"))
                    continue
                }
                compiled[rule.view, default: []].append((index, pattern))
            } catch {
                var location = rule.patternLocation
                if rule.patternIsVerbatim { location.column += error.scalarOffset(in: rule.pattern) }
                diagnostics.append(Diagnostic(location, rule: rule.id,
                    "invalid pattern: \(error.message) at offset \(error.offset ?? 0) of the pattern"))
            }
        }
        if !diagnostics.isEmpty { throw RulePackError(diagnostics) }
        func view(_ v: TextView) -> ViewMatcher {
            let list = compiled[v] ?? []
            let patterns = list.map(\.1)
            let matcher: any MultiMatcher = engine == .naive
                ? NaiveMatcher(compiled: patterns) : PrefilterMatcher(compiled: patterns)
            return ViewMatcher(ruleIndices: list.map(\.0), matcher: matcher)
        }
        raw = view(.raw)
        folded = view(.folded)
        self.domainChecks = domainChecks
        self.evasionRules = evasionRules
        self.handleChecks = handleChecks
        self.signalRules = signalRules
        self.modelRules = modelRules
        needsFolding = !folded.ruleIndices.isEmpty || !domainChecks.isEmpty || !evasionRules.isEmpty || !handleChecks.isEmpty
            || !signalRules.isEmpty || !modelRules.isEmpty
    }

    /// The score `hit` adds: its own (a model rule's share) or its rule's.
    @inline(__always)
    public func score(of hit: RuleHit) -> Double { hit.score ?? rules[hit.rule].score }

    /// Loads, validates and compiles in one step, reporting every problem of every stage.
    public static func load(directories: [String], engine: Engine = .prefilter, protect: [String] = []) throws(RulePackError) -> CompiledPack {
        let (pack, diagnostics) = RuleLoader.collect(directories: directories)
        return try compile(pack, after: diagnostics, engine: engine, protect: protect)
    }

    /// Rules whose pattern runs on every record (no required literal, or syntax the prefilter
    /// does not model), with the reason: for `lint` and `--stats`.
    public var alwaysRunRules: [(rule: Int, reason: String)] {
        var result: [(Int, String)] = []
        for view in [raw, folded] {
            guard let m = view.matcher as? PrefilterMatcher else { continue }
            for (p, reason) in m.alwaysRun { result.append((view.ruleIndices[p], reason)) }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// Compiles the rules that validated; throws the validation problems and the compile
    /// problems together.
    static func compile(_ pack: RulePack, after diagnostics: [Diagnostic], engine: Engine = .prefilter,
                        protect: [String] = []) throws(RulePackError) -> CompiledPack {
        do throws(RulePackError) {
            let compiled = try CompiledPack(pack, engine: engine, protect: protect)
            if !diagnostics.isEmpty { throw RulePackError(diagnostics) }
            return compiled
        } catch {
            throw RulePackError(diagnostics + error.diagnostics.filter { !diagnostics.contains($0) })
        }
    }
}
