/// The compiled form of `domain_list` and `domain_lookalike` rules, run on the hosts of each
/// message's links. Immutable and shared between threads.
struct DomainCheck: Sendable {
    /// Index into `CompiledPack.rules`.
    let rule: Int
    let test: Test

    enum Test: Sendable {
        case list(Set<String>, suffix: Bool, path: String)
        case lookalike([ProtectedDomain], maxDistance: Int?, path: String)
    }

    init(rule: Int, kind: RuleKind) {
        self.rule = rule
        switch kind {
        case let .domainList(r):
            test = .list(Set(r.list.domains), suffix: r.suffix, path: r.list.path)
        case let .domainLookalike(r):
            test = .lookalike(r.list.domains.map(ProtectedDomain.init), maxDistance: r.maxDistance, path: r.list.path)
        default:
            preconditionFailure("DomainCheck for a rule of kind \(kind.name)")
        }
    }

    /// Why `host` hits this rule, or nil. `written` is the host as written (raw text with only
    /// case and defanging undone): a protected domain written exactly is never a look-alike.
    /// - Complexity: O(labels) for a list; O(protected × label length²) for look-alikes.
    func evidence(host: String, written: String) -> String? {
        switch test {
        case let .list(set, suffix, path):
            for candidate in Set([host, written]) {
                if let listed = Self.listed(candidate, in: set, suffix: suffix) {
                    return listed == candidate
                        ? "\(candidate) is on \(path)"
                        : "\(candidate) is a subdomain of \(listed), on \(path)"
                }
            }
            return nil
        case let .lookalike(protected, maxDistance, path):
            for p in protected where p.isGenuine(written) { return nil }
            for p in protected {
                if let how = p.imitation(host: host, written: written, maxDistance: maxDistance) {
                    return "\(written) imitates \(p.domain) (\(how); protected in \(path))"
                }
            }
            return nil
        }
    }

    /// The listed domain `host` is, or is under (with `suffix`).
    static func listed(_ host: String, in set: Set<String>, suffix: Bool) -> String? {
        if set.contains(host) { return host }
        guard suffix else { return nil }
        var rest = Substring(host)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if !rest.contains(".") { break }  // a bare top-level domain is never listed
            let parent = String(rest)
            if set.contains(parent) { return parent }
        }
        return nil
    }
}

/// One protected domain, with what look-alike checks compare.
struct ProtectedDomain: Sendable {
    let domain: String
    /// The label before the top-level domain (`tiktok` of `tiktok.com`).
    let label: String
    let topLevel: String
    let skeleton: String

    init(_ domain: String) {
        self.domain = domain
        let labels = domain.split(separator: ".")
        label = labels.count >= 2 ? String(labels[labels.count - 2]) : domain
        topLevel = labels.last.map(String.init) ?? ""
        skeleton = FoldTable.shared.skeleton(domain)
    }

    func isGenuine(_ host: String) -> Bool { host == domain || host.hasSuffix("." + domain) }

    /// How `host` (folded) or `written` imitates this domain, or nil.
    func imitation(host: String, written: String, maxDistance: Int?) -> String? {
        if isGenuine(host) { return "reads as \(domain) once folded" }
        if FoldTable.shared.skeleton(written) == skeleton { return "confusable characters" }
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return nil }
        let second = labels[labels.count - 2]
        if second == label && labels[labels.count - 1] != topLevel { return "same name, top-level domain .\(labels[labels.count - 1])" }
        let limit = maxDistance ?? (label.utf8.count <= 4 ? 0 : label.utf8.count <= 7 ? 1 : 2)
        if limit > 0 && second != label && abs(second.utf8.count - label.utf8.count) <= limit {
            let d = optimalStringAlignmentDistance(Array(second.utf8), Array(label.utf8))
            if d <= limit { return "edit distance \(d) from \(label)" }
        }
        if label.utf8.count >= 5 {
            for (k, l) in labels.enumerated() where l.contains(label) && !(k == labels.count - 2 && l == label) {
                return k == labels.count - 2 ? "\(label) with extra words" : "\(label) in a subdomain of another site"
            }
        }
        return nil
    }
}
