import Foundation
import Yams
import ScanSupport
import Normalise

/// Turns the text of one rule file (or `pack.yml`) into rules, with a diagnostic for every problem.
///
/// A rule file holds one rule per YAML document, or a list of rules per document.
struct RuleParser {
    static let ruleFields = ["id", "kind", "category", "description", "pattern", "view", "score",
                             "match", "no_match", "tags", "references",
                             "list", "list_match", "max_distance", "owned", "public_suffixes", "min_techniques", "techniques", "with_folded_hit",
                             "platform_names", "protect_channel_owner", "check", "params", "when", "model"]
    static let requiredRuleFields = ["id", "category", "description", "score", "match", "no_match"]
    /// The fields each kind needs, and the fields only some kinds take.
    static let kindFields: [String: (required: [String], optional: [String])] = [
        "pattern": (["pattern", "view"], []),
        "domain_list": (["list"], ["list_match"]),
        "domain_lookalike": (["list"], ["max_distance", "owned", "public_suffixes"]),
        "evasion": (["min_techniques"], ["techniques", "with_folded_hit"]),
        "handle_lookalike": ([], ["list", "platform_names", "protect_channel_owner", "check", "techniques"]),
        "tx_condition": (["when"], []),
        "model": (["model"], ["params"]),
    ].merging(TxRuleSpec.Detector.allCases.filter { $0 != .condition }.map { ($0.rawValue, ([], ["params"])) }) { a, _ in a }
        .merging(SignalRule.Signal.allCases.map { ($0.rawValue, ([], [.firstContact, .spamWave].contains($0) ? ["params", "list"] : ["params"])) }) { a, _ in a }
    /// Domain lists already read, by resolved path.
    var lists: [String: DomainList] = [:]
    /// Public Suffix Lists already read, by resolved path.
    var suffixLists: [String: PublicSuffixList] = [:]
    /// Models already read, by resolved path.
    var models: [String: TextModel] = [:]
    static let settingsFields = ["pack", "description", "version", "thresholds", "transaction_columns", "hash_key"]

    var rules: [Rule] = []
    var diagnostics: [Diagnostic] = []

    mutating func parseRules(yaml: String, file: String) {
        guard let documents = parseDocuments(yaml: yaml, file: file) else { return }
        var ordinal = 0
        for document in documents {
            switch document {
            case let .sequence(sequence):
                for item in sequence {
                    ordinal += 1
                    parseRule(item, ordinal: ordinal, file: file)
                }
            case .mapping:
                ordinal += 1
                parseRule(document, ordinal: ordinal, file: file)
            case .scalar(let s) where s.string.isEmpty:
                continue  // an empty document (e.g. a file of comments)
            default:
                diagnostics.append(Diagnostic(location(of: document.mark, in: file), rule: "-",
                    "a rule file holds rules (mappings) or a list of rules, not a \(kindName(document))"))
            }
        }
    }

    mutating func parseSettings(yaml: String, file: String) -> PackSettings? {
        guard let documents = parseDocuments(yaml: yaml, file: file) else { return nil }
        guard documents.count == 1, case let .mapping(mapping) = documents[0] else {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: 1, column: 1), rule: "-",
                "pack settings must be one YAML mapping with: \(Self.settingsFields.joined(separator: ", "))"))
            return nil
        }
        var fields = YAMLFields(file: file, ruleID: "-", mapping: mapping, known: Self.settingsFields, required: ["pack"])
        defer { diagnostics += fields.diagnostics }
        let name = fields.string("pack") ?? "unnamed"
        let description = fields.string("description", allowEmpty: true) ?? ""
        let version = fields.number("version", in: 1...1_000_000).map { Int($0) } ?? 1
        var thresholds = Thresholds.default
        if let node = fields.node("thresholds") {
            if case let .mapping(tmap) = node {
                var t = YAMLFields(file: file, ruleID: "-", mapping: tmap, known: ["review", "block"], required: ["review", "block"])
                if let review = t.number("review", in: -1000...1000), let block = t.number("block", in: -1000...1000) {
                    if review > block {
                        t.report(node, "thresholds: 'review' (\(format(review))) must not be above 'block' (\(format(block)))")
                    } else {
                        thresholds = Thresholds(review: review, block: block)
                    }
                }
                fields.diagnostics += t.diagnostics
            } else {
                fields.report(node, "'thresholds' must be a mapping with 'review' and 'block' scores")
            }
        }
        var settings = PackSettings(name: name, description: description, version: version, thresholds: thresholds,
                                    location: location(of: mapping.mark, in: file))
        if fields.node("hash_key") != nil { settings.hashKey = fields.string("hash_key") }
        if let node = fields.node("transaction_columns") {
            if case let .mapping(cmap) = node {
                var c = YAMLFields(file: file, ruleID: "-", mapping: cmap, known: TxField.allCases.map(\.name), required: [])
                for field in TxField.allCases where c.node(field.name) != nil {
                    if let names = c.strings(field.name, minimum: 1) { settings.transactionColumns[field] = names.map(\.0) }
                }
                fields.diagnostics += c.diagnostics
            } else {
                fields.report(node, "'transaction_columns' must map a transaction field to the other column names exports use, e.g. account: [user_id, uid]")
            }
        }
        return settings
    }

    private mutating func parseDocuments(yaml: String, file: String) -> [Node]? {
        do {
            let parser = try Parser(yaml: yaml)
            var documents: [Node] = []
            while let root = try parser.nextRoot() { documents.append(root) }
            return documents
        } catch let error as YamlError {
            diagnostics.append(Self.diagnostic(for: error, file: file))
        } catch {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: 1, column: 1), rule: "-", "YAML error: \(error)"))
        }
        return nil
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark?) -> SourceLocation { location(of: mark, in: file) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return Diagnostic(at(mark), rule: "-", message + "; check indentation, quoting and ':' after each field name")
        case let .duplicatedKeysInMapping(duplicates, context):
            return Diagnostic(at(context.mark), rule: "-",
                "duplicate field \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping; keep one")
        case let .reader(problem, _, _, _):
            return Diagnostic(at(nil), rule: "-", "cannot read YAML: \(problem) (is the file UTF-8 text?)")
        default:
            return Diagnostic(at(nil), rule: "-", "YAML error: \(error)")
        }
    }

    private mutating func parseRule(_ node: Node, ordinal: Int, file: String) {
        guard case let .mapping(mapping) = node else {
            diagnostics.append(Diagnostic(location(of: node.mark, in: file), rule: "rule #\(ordinal)",
                "a rule must be a mapping of fields (id, category, pattern, ...), not a \(kindName(node))"))
            return
        }
        // The id names the rule in every other message, so read it first.
        var label = "rule #\(ordinal)"
        for (key, value) in mapping where key.scalar?.string == "id" {
            if let id = value.scalar?.string, !id.isEmpty { label = id }
        }
        var kindName = "pattern"
        var kindNode: Node?
        for (key, value) in mapping where key.scalar?.string == "kind" {
            kindNode = value
            if let name = value.scalar?.string { kindName = name }
        }
        let kindSpec = Self.kindFields[kindName]
        let otherKindsOnly = Set(Self.kindFields.values.flatMap { $0.required + $0.optional })
            .subtracting(kindSpec.map { $0.required + $0.optional } ?? [])
        var fields = YAMLFields(file: file, ruleID: label, mapping: mapping,
                                known: Self.ruleFields, required: Self.requiredRuleFields + (kindSpec?.required ?? []))
        if let kindNode, kindSpec == nil {
            var message = "unknown kind '\(kindName)'"
            if let guess = closestMatch(to: kindName, in: RuleKind.names) { message += " (did you mean '\(guess)'?)" }
            fields.report(kindNode, message + "; the kinds are: \(RuleKind.names.joined(separator: ", "))")
        } else {
            for name in otherKindsOnly.sorted() {
                if let node = fields.node(name) {
                    let owners = Self.kindFields.filter { ($0.value.required + $0.value.optional).contains(name) }.keys.sorted()
                    let kinds = owners.count > 1 ? owners.dropLast().joined(separator: ", ") + " or " + owners.last! : owners[0]
                    fields.report(node, "field '\(name)' is for rules of kind \(kinds), not '\(kindName)'; remove it or set 'kind'")
                }
            }
        }
        let id = fields.string("id")
        if let id, let node = fields.node("id"), let problem = Self.idProblem(id) {
            fields.report(node, problem)
        }
        var category: RuleCategory?
        if let name = fields.string("category"), let node = fields.node("category") {
            category = RuleCategory(rawValue: name)
            if category == nil {
                let all = RuleCategory.allCases.map(\.rawValue)
                var message = "unknown category '\(name)'"
                if let guess = closestMatch(to: name, in: all) { message += " (did you mean '\(guess)'?)" }
                fields.report(node, message + "; the categories are: \(all.joined(separator: ", "))")
            }
        }
        let description = fields.string("description")
        var pattern: String?
        var view: TextView?
        if kindName == "pattern" {
            pattern = fields.string("pattern")
            if let name = fields.string("view"), let node = fields.node("view") {
                view = TextView(rawValue: name)
                if view == nil { fields.report(node, "unknown view '\(name)'; use 'raw' (bytes as written) or 'folded' (normalised text)") }
            }
        }
        let kind = parseKind(kindName, fields: &fields, file: file)
        let score = fields.number("score", in: -100...100)
        let matches = fields.strings("match", minimum: 1)
        let noMatches = fields.strings("no_match", minimum: 1)
        let tags = fields.strings("tags", minimum: 0)?.map(\.0) ?? []
        let references = fields.strings("references", minimum: 0)?.map(\.0) ?? []
        diagnostics += fields.diagnostics
        guard fields.diagnostics.isEmpty, let id, let category, let description, let kind,
              let score, let matches, let noMatches
        else { return }
        let patternNode = fields.node("pattern") ?? fields.node("list") ?? fields.node("min_techniques") ?? fields.node("when")
        rules.append(Rule(
            id: id, category: category, description: description, pattern: pattern ?? "", view: view ?? .folded,
            score: score,
            matchExamples: matches.map { RuleExample($0.0, at: $0.1) },
            noMatchExamples: noMatches.map { RuleExample($0.0, at: $0.1) },
            tags: tags, references: references,
            location: fields.mappingLocation,
            patternLocation: patternNode.map { Self.valueLocation($0, file: file) } ?? fields.mappingLocation,
            patternIsVerbatim: (kindName == "pattern" || kindName == "tx_condition") && patternNode.map(Self.isVerbatim) == true,
            kind: kind))
        rules[rules.count - 1].scoreLocation = fields.node("score").map { Self.valueLocation($0, file: file) }
    }

    /// The kind-specific fields, read and checked; nil after a problem (already reported).
    private mutating func parseKind(_ name: String, fields: inout YAMLFields, file: String) -> RuleKind? {
        switch name {
        case "pattern":
            return .pattern
        case "domain_list":
            var suffix = true
            if let mode = fields.string("list_match"), let node = fields.node("list_match") {
                switch mode {
                case "suffix": suffix = true
                case "exact": suffix = false
                default:
                    fields.report(node, "'list_match' must be 'suffix' (the domain and its subdomains) or 'exact', got '\(mode)'")
                    return nil
                }
            }
            guard let list = domainList(&fields, file: file) else { return nil }
            return .domainList(DomainListRule(list: list, suffix: suffix))
        case "domain_lookalike":
            var distance: Int?
            if fields.node("max_distance") != nil {
                guard let d = fields.number("max_distance", in: 0...3) else { return nil }
                guard d == d.rounded() else {
                    fields.report(fields.node("max_distance")!, "'max_distance' must be a whole number from 0 to 3")
                    return nil
                }
                distance = Int(d)
            }
            guard let list = domainList(&fields, file: file) else { return nil }
            var owned: DomainList?
            if fields.node("owned") != nil {
                guard let o = domainList(&fields, file: file, key: "owned") else { return nil }
                owned = o
            }
            var suffixes: PublicSuffixList?
            if fields.node("public_suffixes") != nil {
                guard let (path, resolved, text) = listFile(&fields, file: file, key: "public_suffixes") else { return nil }
                if let cached = suffixLists[resolved] {
                    suffixes = cached
                } else {
                    do {
                        let psl = try PublicSuffixList(text: text, path: path)
                        suffixLists[resolved] = psl
                        suffixes = psl
                    } catch {
                        fields.diagnostics.append(Diagnostic(SourceLocation(file: resolved, line: error.line, column: 1), rule: fields.ruleID,
                            "\(error.message); 'public_suffixes' names the Public Suffix List file (public_suffix_list.dat from publicsuffix.org)"))
                        return nil
                    }
                }
            }
            return .domainLookalike(DomainLookalikeRule(list: list, maxDistance: distance, owned: owned, suffixes: suffixes))
        case "evasion":
            guard let minimum = fields.number("min_techniques", in: 1...7) else { return nil }
            guard minimum == minimum.rounded() else {
                fields.report(fields.node("min_techniques")!, "'min_techniques' must be a whole number from 1 to 7")
                return nil
            }
            var techniques = FoldTechniques.all
            if let names = fields.strings("techniques", minimum: 1) {
                techniques = []
                for (name, location) in names {
                    if let t = FoldTechniques(name: name) {
                        techniques.insert(t)
                    } else {
                        let all = FoldTechniques.named.map(\.1)
                        fields.diagnostics.append(Diagnostic(location, rule: fields.ruleID,
                            "unknown folding technique '\(name)'; the techniques are: \(all.joined(separator: ", "))"))
                        return nil
                    }
                }
            }
            var withFoldedHit = true
            if let node = fields.node("with_folded_hit") {
                switch node.scalar?.string {
                case "true": withFoldedHit = true
                case "false": withFoldedHit = false
                default:
                    fields.report(node, "'with_folded_hit' must be true or false")
                    return nil
                }
            }
            return .evasion(EvasionRule(minTechniques: Int(minimum), techniques: techniques, withFoldedHit: withFoldedHit))
        case "handle_lookalike":
            var list: HandleList?
            if fields.node("list") != nil {
                guard let l = handleList(&fields, file: file) else { return nil }
                list = l
            }
            let platformNames = fields.strings("platform_names", minimum: 1)?.map { $0.0.lowercased() } ?? []
            guard let protectOwner = bool("protect_channel_owner", &fields, default: true) else { return nil }
            var author = true
            var mentions = true
            if let checks = fields.strings("check", minimum: 1) {
                author = false
                mentions = false
                for (name, location) in checks {
                    switch name {
                    case "author": author = true
                    case "mentions": mentions = true
                    default:
                        fields.diagnostics.append(Diagnostic(location, rule: fields.ruleID,
                            "unknown check '\(name)'; 'check' lists what to compare with the protected handles: author, mentions"))
                        return nil
                    }
                }
            }
            var techniques = HandleTechniques.default
            if let names = fields.strings("techniques", minimum: 1) {
                techniques = []
                for (name, location) in names {
                    guard let t = HandleTechniques(name: name) else {
                        fields.diagnostics.append(Diagnostic(location, rule: fields.ruleID,
                            "unknown handle technique '\(name)'; the techniques are: \(HandleTechniques.named.map(\.1).joined(separator: ", "))"))
                        return nil
                    }
                    techniques.insert(t)
                }
            }
            if list == nil && platformNames.isEmpty && !protectOwner && techniques != .mixedScript {
                fields.diagnostics.append(Diagnostic(fields.mappingLocation, rule: fields.ruleID,
                    "nothing is protected: give a 'list', 'platform_names' or protect_channel_owner: true"))
                return nil
            }
            return .handleLookalike(HandleLookalikeRule(list: list, platformNames: platformNames, protectChannelOwner: protectOwner,
                                                        checkAuthor: author, checkMentions: mentions, techniques: techniques))
        case "model":
            return modelKind(fields: &fields, file: file)
        default:
            if let signal = SignalRule.Signal(rawValue: name) {
                guard case var .signal(spec)? = signalKind(signal, fields: &fields, file: file) else { return nil }
                // first_contact and spam_wave: `list` names popular domains whose links do not count.
                if fields.node("list") != nil {
                    guard let list = domainList(&fields, file: file) else { return nil }
                    spec.allowDomains.formUnion(list.domains)
                }
                return .signal(spec)
            }
            guard let detector = TxRuleSpec.Detector(rawValue: name) else { return nil }
            return transactionKind(detector, fields: &fields, file: file)
        }
    }

    /// A transaction detector's `params`, or a condition's `when`, checked.
    private func transactionKind(_ detector: TxRuleSpec.Detector, fields: inout YAMLFields, file: String) -> RuleKind? {
        if detector == .condition {
            guard let text = fields.string("when"), let node = fields.node("when") else { return nil }
            var parser = TxExpressionParser()
            if case let .failure(error) = parser.parse(text) {
                var at = Self.valueLocation(node, file: file)
                if Self.isVerbatim(node) { at.column += text.utf8.prefix(error.offset).count }
                fields.diagnostics.append(Diagnostic(at, rule: fields.ruleID, "invalid condition: \(error.message)"))
                return nil
            }
            return .transaction(TxRuleSpec(detector: .condition, condition: text))
        }
        var params = TxParams.defaults(for: detector)
        guard let node = fields.node("params") else { return .transaction(TxRuleSpec(detector: detector, params: params)) }
        guard case let .mapping(mapping) = node else {
            fields.report(node, "'params' must be a mapping of parameter: value (\(TxParams.allowed[detector]!.joined(separator: ", ")))")
            return nil
        }
        let allowed = TxParams.allowed[detector]!
        var p = YAMLFields(file: file, ruleID: fields.ruleID, mapping: mapping, known: allowed, required: [])
        func duration(_ name: String) -> Int64? { p.duration(name, examples: "10m, 24h or 30d") }
        func whole(_ name: String, _ range: ClosedRange<Double>) -> Int? { p.wholeNumber(name, in: range) }
        if p.node("window") != nil, let d = duration("window") { params.window = d }
        if p.node("account_age") != nil, let d = duration("account_age") { params.accountAge = d }
        if p.node("within") != nil, let d = duration("within") { params.within = d }
        if p.node("min_gifted") != nil, let v = p.number("min_gifted", in: 0.01...1) { params.minGifted = v }
        if p.node("min_share") != nil, let v = p.number("min_share", in: 0.01...1) { params.minShare = v }
        if p.node("min_amount") != nil, let v = p.number("min_amount", in: 0...1e12) { params.minAmount = v }
        if p.node("max_amount") != nil, let v = p.number("max_amount", in: 0...1e12) { params.maxAmount = v }
        if p.node("count") != nil, let v = whole("count", 2...256) { params.count = v }
        if p.node("min_accounts") != nil, let v = whole("min_accounts", 2...64) { params.minAccounts = v }
        if p.node("min_coins") != nil, let v = whole("min_coins", 1...1e15) { params.minCoins = Int64(v) }
        if p.node("by") != nil, let keys = p.strings("by", minimum: 1) {
            let allowedKeys = TxParams.allowedKeys[detector] ?? []
            var by: [TxField] = []
            for (name, location) in keys {
                guard let f = TxField(name: name), allowedKeys.contains(f) else {
                    p.diagnostics.append(Diagnostic(location, rule: fields.ruleID,
                        "'by' names what to group by: \(allowedKeys.map(\.name).joined(separator: ", ")); got '\(name)'"))
                    continue
                }
                if !by.contains(f) { by.append(f) }
            }
            params.by = by
        }
        fields.diagnostics += p.diagnostics
        guard p.diagnostics.isEmpty else { return nil }
        return .transaction(TxRuleSpec(detector: detector, params: params))
    }

    /// A `model` rule: its model file (inside the pack, relative to the rule file) and the
    /// probability thresholds of its `params`.
    private mutating func modelKind(fields: inout YAMLFields, file: String) -> RuleKind? {
        guard let path = fields.string("model"), let node = fields.node("model") else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.hasPrefix("/") || parts.contains("..") || path.hasPrefix("~") {
            fields.report(node, "'model' must be a path inside the pack, relative to this rule file (e.g. model.ssm), without '..' or a leading '/'")
            return nil
        }
        let resolved = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
        let model: TextModel
        if let cached = models[resolved] {
            model = cached
        } else {
            do {
                model = try TextModel.read(path: resolved)
            } catch {
                fields.report(node, "cannot load model '\(path)': \(error.description)")
                return nil
            }
            models[resolved] = model
        }
        var spec = ModelRule(path: path, model: model)
        if let params = fields.node("params") {
            guard case let .mapping(mapping) = params else {
                fields.report(params, "'params' must be a mapping of parameter: value (min_probability, confident, max_share)")
                return nil
            }
            var p = YAMLFields(file: file, ruleID: fields.ruleID, mapping: mapping, known: ["min_probability", "confident", "max_share"], required: [])
            if p.node("min_probability") != nil, let v = p.number("min_probability", in: 0.01...0.999999) { spec.minProbability = v }
            if p.node("confident") != nil, let v = p.number("confident", in: 0.01...0.999999) { spec.confident = v }
            if p.node("max_share") != nil, let v = p.number("max_share", in: 1...10) { spec.maxShare = v }
            if p.diagnostics.isEmpty && spec.confident <= spec.minProbability {
                p.report(p.node("confident") ?? params, "'confident' (\(format(spec.confident))) must be above 'min_probability' (\(format(spec.minProbability)))")
            }
            fields.diagnostics += p.diagnostics
            guard p.diagnostics.isEmpty else { return nil }
        }
        return .model(spec)
    }

    /// A `true`/`false` field, or `default` when absent; nil after a problem (reported).
    private func bool(_ name: String, _ fields: inout YAMLFields, default value: Bool) -> Bool? {
        guard let node = fields.node(name) else { return value }
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default:
            fields.report(node, "'\(name)' must be true or false")
            return nil
        }
    }

    /// Reads the rule's `list:` file of protected handles (see `HandleListParser`).
    private mutating func handleList(_ fields: inout YAMLFields, file: String) -> HandleList? {
        guard let (path, resolved, text) = listFile(&fields, file: file) else { return nil }
        let (list, problems) = HandleListParser.parse(text, path: path, file: resolved)
        if !problems.isEmpty {
            fields.diagnostics += problems.map { Diagnostic($0.location, rule: fields.ruleID, $0.message) }
            return nil
        }
        return list
    }

    /// The `list:` path of a rule, checked to stay inside the pack, with its resolved path and text.
    private func listFile(_ fields: inout YAMLFields, file: String, key: String = "list") -> (String, String, String)? {
        guard let path = fields.string(key), let node = fields.node(key) else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.hasPrefix("/") || parts.contains("..") || path.hasPrefix("~") {
            fields.report(node, "'\(key)' must be a path inside the pack, relative to this rule file (e.g. lists/url-shorteners.txt), without '..' or a leading '/'")
            return nil
        }
        let directory = (file as NSString).deletingLastPathComponent
        let resolved = (directory as NSString).appendingPathComponent(path)
        do {
            return (path, resolved, try RuleLoader.readText(resolved))
        } catch {
            fields.report(node, "cannot load list '\(path)' (\(resolved)): \(error.message)")
            return nil
        }
    }

    /// Reads the rule's `list:` file, relative to the rule file's directory and inside it.
    private mutating func domainList(_ fields: inout YAMLFields, file: String, key: String = "list") -> DomainList? {
        guard let node = fields.node(key), let (path, resolved, text) = listFile(&fields, file: file, key: key) else { return nil }
        if let cached = lists[resolved] { return cached }
        let (domains, problems) = DomainListParser.parse(text, file: resolved)
        if !problems.isEmpty {
            fields.diagnostics += problems.map { Diagnostic($0.location, rule: fields.ruleID, $0.message) }
            return nil
        }
        if domains.isEmpty {
            fields.report(node, "list '\(path)' has no domains; add one per line")
            return nil
        }
        let list = DomainList(path: path, domains: domains)
        lists[resolved] = list
        return list
    }

    /// Where a scalar's text begins: after the opening quote of a quoted scalar.
    static func valueLocation(_ node: Node, file: String) -> SourceLocation {
        var loc = location(of: node.mark, in: file)
        if let style = node.scalar?.style, style == .singleQuoted || style == .doubleQuoted { loc.column += 1 }
        return loc
    }

    /// Whether the pattern's YAML text is its value character for character (so an offset in
    /// the pattern is a column offset in the file): plain or quoted without escapes, on one line.
    static func isVerbatim(_ node: Node) -> Bool {
        guard let scalar = node.scalar, !scalar.string.contains("\n") else { return false }
        switch scalar.style {
        case .plain: return true
        case .singleQuoted: return !scalar.string.contains("'")
        case .doubleQuoted: return !scalar.string.contains("\\") && !scalar.string.contains("\"")
        default: return false
        }
    }

    /// Why `id` is not a valid rule id, or nil.
    static func idProblem(_ id: String) -> String? {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        let ok = parts.count >= 2 && parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, isLowerAlnum(first) else { return false }
            return part.unicodeScalars.allSatisfy { isLowerAlnum($0) || $0 == "-" || $0 == "_" }
        }
        return ok ? nil : "invalid id '\(id)': use lowercase dotted names such as 'reseller.cheap-coins' (a-z, 0-9, '-', '_'; parts joined by '.')"
    }

    private static func isLowerAlnum(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("0"..."9").contains(s)
    }
}
