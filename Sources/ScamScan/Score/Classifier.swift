import Matcher

/// Scores records against a compiled pack. One per thread: it owns the match scratch and the
/// folding buffers, so classifying a record does not allocate once warmed up.
public final class Classifier {
    public let pack: CompiledPack
    public var thresholds: Thresholds
    /// Whether `Classification.folded` is filled (for `--explain`; it copies the folded text).
    public var keepsFoldedText = false
    private let scratch: MatchScratch
    private var folded = FoldedText()
    private var patternHits: [PatternHit] = []
    private var limitedPatterns: [Int] = []
    private var links: [Link] = []
    /// A host as written: only case and defanging undone, so `tikt0k.com` is not `tiktok.com`.
    private var writtenHost = FoldedText(steps: [.defang])

    public init(pack: CompiledPack, thresholds: Thresholds? = nil, limits: MatchLimits = .default) {
        self.pack = pack
        self.thresholds = thresholds ?? pack.settings.thresholds
        self.scratch = MatchScratch(limits: limits)
    }

    /// Classifies one record's text into `result` (cleared first).
    /// - Complexity: one matcher scan per view in use; folding is O(n); link checks run only on
    ///   texts with a link.
    public func classify(_ text: UnsafeRawBufferPointer, into result: inout Classification) {
        result.hits.removeAll(keepingCapacity: true)
        result.limited.removeAll(keepingCapacity: true)
        result.foldedBy = []
        result.folded.removeAll(keepingCapacity: true)
        var sources = 0
        let raw = pack.raw
        if !raw.ruleIndices.isEmpty {
            sources += 1
            raw.matcher.scan(text, scratch: scratch, hits: &patternHits, limited: &limitedPatterns)
            for hit in patternHits {
                result.hits.append(RuleHit(rule: raw.ruleIndices[hit.pattern], start: hit.start, end: hit.end))
            }
            for p in limitedPatterns { result.limited.append(raw.ruleIndices[p]) }
        }
        if pack.needsFolding {
            folded.fold(text)
            result.foldedBy = folded.techniques
            if keepsFoldedText {
                result.folded.append(contentsOf: folded.bytes)
                result.links.removeAll(keepingCapacity: true)
                links.removeAll(keepingCapacity: true)
                LinkExtractor.extract(folded.bytes, into: &links)
                for link in links {
                    let span = folded.rawSpan(start: link.start, end: link.end)
                    result.links.append(FoundLink(kind: link.kind, value: String(decoding: folded.bytes[link.nameStart..<link.nameEnd], as: UTF8.self),
                                                  start: span.start, end: span.end))
                }
            }
            let view = pack.folded
            var firstFoldedHit: (start: Int, end: Int)?
            if !view.ruleIndices.isEmpty {
                sources += 1
                folded.bytes.withUnsafeBytes { bytes in
                    view.matcher.scan(bytes, scratch: scratch, hits: &patternHits, limited: &limitedPatterns)
                }
                for hit in patternHits {
                    let span = folded.rawSpan(start: hit.start, end: hit.end)
                    if firstFoldedHit == nil { firstFoldedHit = span }
                    result.hits.append(RuleHit(rule: view.ruleIndices[hit.pattern], start: span.start, end: span.end))
                }
                for p in limitedPatterns { result.limited.append(view.ruleIndices[p]) }
            }
            if !pack.domainChecks.isEmpty {
                sources += checkDomains(text, into: &result.hits)
            }
            for (rule, spec) in pack.evasionRules {
                let used = result.foldedBy.intersection(spec.techniques)
                guard used.count >= spec.minTechniques, !spec.withFoldedHit || firstFoldedHit != nil else { continue }
                // Where the folded hit is, when one is required; else the whole message.
                let span = spec.withFoldedHit ? firstFoldedHit ?? (0, text.count) : (0, text.count)
                result.hits.append(RuleHit(rule: rule, start: span.start, end: span.end,
                                           evidence: "folded by \(used.names.joined(separator: ", "))"))
                sources += 1
            }
        }
        if sources > 1 {
            result.hits.sort { $0.rule < $1.rule }
            result.limited.sort()
        }
        var score = 0.0
        for hit in result.hits { score += pack.rules[hit.rule].score }
        result.score = score
        result.verdict = Verdict(score: score, thresholds: thresholds)
    }

    /// Runs the domain rules on the links of the folded text; returns how many rules hit.
    private func checkDomains(_ text: UnsafeRawBufferPointer, into hits: inout [RuleHit]) -> Int {
        guard folded.bytes.contains(UInt8(ascii: ".")) else { return 0 }
        links.removeAll(keepingCapacity: true)
        LinkExtractor.extract(folded.bytes, into: &links)
        var hitCount = 0
        for link in links where link.kind != .handle {
            let host = String(decoding: folded.bytes[link.nameStart..<link.nameEnd], as: UTF8.self)
            let span = folded.rawSpan(start: link.nameStart, end: link.nameEnd)
            writtenHost.fold(UnsafeRawBufferPointer(rebasing: text[span.start..<span.end]))
            let written = writtenHost.string
            for check in pack.domainChecks where !hits.contains(where: { $0.rule == check.rule }) {
                if let evidence = check.evidence(host: host, written: written) {
                    hits.append(RuleHit(rule: check.rule, start: span.start, end: span.end, evidence: evidence))
                    hitCount += 1
                }
            }
        }
        return hitCount
    }

    /// Whether `rule`'s own pattern matches `text` in the rule's view; for lint and tests.
    public func ruleMatches(_ ruleIndex: Int, _ text: String) -> MatchResult {
        let rule = pack.rules[ruleIndex]
        guard case .pattern = rule.kind else {
            // Rules in code are checked through the whole classifier.
            var result = Classification()
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBytes { classify(UnsafeRawBufferPointer($0), into: &result) }
            guard let hit = result.hits.first(where: { $0.rule == ruleIndex }) else { return .noMatch }
            return .match(start: hit.start, end: hit.end)
        }
        let view = rule.view == .raw ? pack.raw : pack.folded
        guard let p = view.ruleIndices.firstIndex(of: ruleIndex) else { return .noMatch }
        let pattern = view.matcher.patterns[p]
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buf -> MatchResult in
            let raw = UnsafeRawBufferPointer(buf)
            if rule.view == .raw { return pattern.firstMatch(in: raw, scratch: scratch) }
            folded.fold(raw)
            let r = folded.bytes.withUnsafeBytes { pattern.firstMatch(in: $0, scratch: scratch) }
            if case let .match(s, e) = r {
                let span = folded.rawSpan(start: s, end: e)
                return .match(start: span.start, end: span.end)
            }
            return r
        }
    }
}
