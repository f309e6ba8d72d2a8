import ScanSupport
import Normalise
import Model

/// The compiled form of `domain_list` and `domain_lookalike` rules, run on the hosts of each
/// message's links. Immutable and shared between threads.
package struct DomainCheck: Sendable {
    /// Index into `CompiledPack.rules`.
    package let rule: Int
    let test: Test

    enum Test: Sendable {
        case list(Set<String>, suffix: Bool, path: String)
        case lookalike(Lookalike)
    }

    /// A `domain_lookalike` rule, compiled.
    struct Lookalike: Sendable {
        var protected: [ProtectedDomain]
        /// The protected domains and the other domains their brands own: hosts at or under
        /// these are genuine.
        var genuine: Set<String>
        var suffixes: PublicSuffixList?
        var maxDistance: Int?
        var path: String
    }

    package init(rule: Int, kind: RuleKind) {
        self.rule = rule
        switch kind {
        case let .domainList(r):
            test = .list(Set(r.list.domains), suffix: r.suffix, path: r.list.path)
        case let .domainLookalike(r):
            test = .lookalike(Lookalike(
                protected: r.list.domains.map { ProtectedDomain($0, suffixes: r.suffixes) },
                genuine: Set(r.list.domains + (r.owned?.domains ?? [])),
                suffixes: r.suffixes, maxDistance: r.maxDistance, path: r.list.path))
        default:
            preconditionFailure("DomainCheck for a rule of kind \(kind.name)")
        }
    }

    /// Why `host` hits this rule, or nil. `written` is the host as written (raw text with only
    /// case and defanging undone): a protected domain written exactly is never a look-alike.
    /// - Complexity: O(labels) for a list; O(protected × label length²) for look-alikes.
    package func evidence(host: String, written: String) -> String? {
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
        case let .lookalike(rule):
            return rule.evidence(host: host, written: written)
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

extension DomainCheck.Lookalike {
    /// Why `host` imitates a protected domain, or nil.
    func evidence(host: String, written: String) -> String? {
        if DomainCheck.listed(written, in: genuine, suffix: true) != nil { return nil }
        let split = DomainName(host, suffixes: suffixes)
        if DomainCheck.listed(host, in: genuine, suffix: true) != nil {
            // Folds to a genuine domain, but is written otherwise: a homograph when the written
            // form still ends in a real suffix; styled text (`ťẅįṭćḧ.ťṽ`) is no working link.
            let writtenSuffix = DomainName(written, suffixes: suffixes)
            guard suffixes != nil ? writtenSuffix.listed : writtenSuffix.suffix == split.suffix else { return nil }
        }
        for p in protected {
            if let how = p.imitation(host: host, split: split, written: written, maxDistance: maxDistance) {
                return "\(written) imitates \(p.domain) (\(how); protected in \(path))"
            }
        }
        return nil
    }
}

/// A host split at its public suffix: by the Public Suffix List when the rule has one, else at
/// the last label.
struct DomainName {
    /// The labels before the suffix (`media`, `discordapp` of media.discordapp.net).
    var labels: [Substring]
    var suffix: String
    /// The suffix is a rule of the Public Suffix List.
    var listed: Bool
    /// The suffix is in the list's private section: a free host where anyone registers a name.
    var privateSuffix: Bool

    init(_ host: String, suffixes: PublicSuffixList?) {
        let all = host.split(separator: ".", omittingEmptySubsequences: false)
        if let suffixes {
            let s = suffixes.split(host)
            suffix = s.suffix
            listed = s.listed
            privateSuffix = s.privateSuffix
            let count = s.suffix.split(separator: ".", omittingEmptySubsequences: false).count
            labels = Array(all.dropLast(min(count, all.count)))
        } else {
            suffix = all.last.map(String.init) ?? host
            listed = true
            privateSuffix = false
            labels = Array(all.dropLast())
        }
    }

    /// The label that names the site (`discordapp`), or nil when the host is a suffix.
    var site: Substring? { labels.last }
}

/// One protected domain, with what look-alike checks compare.
struct ProtectedDomain: Sendable {
    let domain: String
    /// The label before the public suffix (`tiktok` of `tiktok.com`).
    let label: String
    let topLevel: String
    let skeleton: String

    init(_ domain: String, suffixes: PublicSuffixList? = nil) {
        self.domain = domain
        let name = DomainName(domain, suffixes: suffixes)
        label = name.site.map(String.init) ?? domain
        topLevel = name.suffix
        skeleton = FoldTable.shared.skeleton(domain)
    }

    func isGenuine(_ host: String) -> Bool { host == domain || host.hasSuffix("." + domain) }

    /// How `host` (folded, split at its suffix) or `written` imitates this domain, or nil.
    func imitation(host: String, split: DomainName, written: String, maxDistance: Int?) -> String? {
        if isGenuine(host) { return "reads as \(domain) once folded" }
        if FoldTable.shared.skeleton(written) == skeleton { return "confusable characters" }
        guard let second = split.site.map(String.init) else { return nil }
        let where_ = split.privateSuffix ? " on \(split.suffix), a free host (private suffix in the Public Suffix List)" : ""
        if second == label && split.suffix != topLevel {
            return split.privateSuffix ? "same name\(where_)" : "same name, top-level domain .\(split.suffix)"
        }
        let limit = maxDistance ?? (label.utf8.count <= 4 ? 0 : label.utf8.count <= 7 ? 1 : 2)
        if limit > 0 && second != label && abs(second.utf8.count - label.utf8.count) <= limit {
            let d = optimalStringAlignmentDistance(Array(second.utf8), Array(label.utf8))
            if d <= limit { return "edit distance \(d) from \(label)\(where_)" }
        }
        if label.utf8.count >= 5 {
            let labels = split.labels
            for (k, l) in labels.enumerated() where l.contains(label) && !(k == labels.count - 1 && l == label) {
                return k == labels.count - 1 ? "\(label) with extra words\(where_)" : "\(label) in a subdomain of another site\(where_)"
            }
        }
        return nil
    }
}
