/// A necessary condition for patterns without literals: every match contains a run of at least
/// `length` consecutive bytes, all in `bytes`. `[A-Z0-9]{27,}` needs 27 bytes from A-Z0-9;
/// an emoji class repeated 6 times needs 24 bytes from the emoji's UTF-8 bytes.
///
/// Soundness: a class's byte set holds every byte of every member's UTF-8 encoding (case orbits
/// included), and each member takes at least `minBytes` bytes, so `n` consecutive members make
/// a run of at least `n * minBytes` bytes from the set.
public struct RunRequirement: Hashable, Sendable {
    public var bytes: ByteSet
    public var length: Int

    /// The strongest run requirement of `node`, or nil.
    static func of(_ node: RegexNode) -> RunRequirement? {
        switch node {
        case let .wideClass(bytes, minBytes):
            return RunRequirement(bytes: bytes, length: minBytes)
        case let .chars(scalars):
            let (bytes, shortest) = ByteSet.of(scalars)
            return RunRequirement(bytes: bytes, length: shortest)
        case let .repeated(child, min, _) where min >= 1:
            guard let r = of(child), isSingleCharacter(child) else { return of(child) }
            return RunRequirement(bytes: r.bytes, length: r.length * min)
        case let .concat(items):
            return items.compactMap(of).max { $0.length < $1.length }
        case let .alternation(branches):
            var result: RunRequirement?
            for b in branches {
                guard let r = of(b) else { return nil }
                if var acc = result {
                    acc.bytes.formUnion(r.bytes)
                    acc.length = Swift.min(acc.length, r.length)
                    result = acc
                } else {
                    result = r
                }
            }
            return result
        default:
            return nil
        }
    }

    private static func isSingleCharacter(_ node: RegexNode) -> Bool {
        switch node {
        case .chars, .wideClass: return true
        default: return false
        }
    }
}
