import Foundation
import ScanSupport
import Normalise

public enum Verdict: String, Comparable, CaseIterable, Sendable {
    case allow, review, block

    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
    private var rank: Int {
        switch self {
        case .allow: 0
        case .review: 1
        case .block: 2
        }
    }

    public init(score: Double, thresholds: Thresholds) {
        if score >= thresholds.block { self = .block }
        else if score >= thresholds.review { self = .review }
        else { self = .allow }
    }
}

/// One rule that matched a record, with its first match as a span of the raw text.
public struct RuleHit: Hashable, Sendable {
    /// Index into `CompiledPack.rules`.
    public var rule: Int
    /// Byte offsets into the raw text (also for rules on the folded view).
    public var start: Int
    public var end: Int
    /// What the rule saw, for rules in code (a listed domain, a look-alike, the folding used);
    /// nil for patterns, whose span says it.
    public var evidence: String?
    /// The score this hit adds when it is not the rule's own (a `model` rule's share of it).
    public var score: Double?
    public init(rule: Int, start: Int, end: Int, evidence: String? = nil, score: Double? = nil) {
        self.rule = rule
        self.start = start
        self.end = end
        self.evidence = evidence
        self.score = score
    }
}

/// What the classifier says of one record; reused across records to avoid allocation.

extension Verdict: Codable {}
