import ScanSupport
import Normalise
import Stream
import Model
import Checks
import Score
import Transactions
import Output
import Pipeline

/// Runs a behaviour signal rule's own examples. An example is a short conversation, one message
/// per line:
///
///     [+GAP] [xN] [#channel] [<user>] text
///
/// `+GAP` is the time since the previous line (`+30s`, `+2m`; default `+1s`), `xN` repeats the
/// line N times, each GAP apart. A `match:` example passes when the rule hits its last message,
/// a `no_match:` example when it hits none. The whole pack classifies each message (so a wave
/// rule can require another rule's hit) with a fresh state holding only this signal.
public enum SignalExamples {
    public enum Outcome: Equatable {
        /// Per message: whether the rule hit it.
        case messages([Bool])
        case invalid(String)
    }

    struct Line {
        var gap: Int64 = 1000
        var repeats = 1
        var channel: String?
        var user: String?
        var text: String
    }

    /// The example's lines, or why one is not readable.
    static func parse(_ example: String) -> Result<[Line], SignalExampleError> {
        var lines: [Line] = []
        for (n, raw) in example.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            var rest = Substring(raw)
            var line = Line(text: "")
            while true {
                rest = rest.drop { $0 == " " }
                if rest.hasPrefix("+") {
                    let token = rest.prefix { $0 != " " }
                    guard let gap = TxDuration.parse(String(token.dropFirst())) else {
                        return .failure(SignalExampleError("line \(n + 1): '\(token)' is not a gap such as +30s or +2m"))
                    }
                    line.gap = gap
                    rest = rest.dropFirst(token.count)
                } else if rest.hasPrefix("x"), let token = Optional(rest.prefix { $0 != " " }), token.count > 1,
                          token.dropFirst().allSatisfy(\.isNumber) {
                    guard let k = Int(token.dropFirst()), k >= 1, k <= 1000 else {
                        return .failure(SignalExampleError("line \(n + 1): '\(token)' must repeat the line 1 to 1000 times"))
                    }
                    line.repeats = k
                    rest = rest.dropFirst(token.count)
                } else {
                    break
                }
            }
            if rest.hasPrefix("#"), let space = rest.firstIndex(of: " ") {
                line.channel = String(rest[rest.index(after: rest.startIndex)..<space])
                rest = rest[rest.index(after: space)...]
            }
            if rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") {
                line.user = String(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...].drop { $0 == " " }
            }
            guard !rest.isEmpty else { return .failure(SignalExampleError("line \(n + 1) has no message text")) }
            line.text = String(rest)
            lines.append(line)
        }
        if lines.isEmpty { return .failure(SignalExampleError("the example has no messages")) }
        return .success(lines)
    }

    /// Runs rule `index` of the classifier's pack over the example's messages.
    public static func run(_ index: Int, _ example: String, classifier: Classifier) -> Outcome {
        guard case let .signal(spec) = classifier.pack.rules[index].kind else { return .invalid("not a behaviour signal rule") }
        let lines: [Line]
        switch parse(example) {
        case let .success(l): lines = l
        case let .failure(error): return .invalid(error.message)
        }
        var state: SignalState? = SignalState(rules: [(index, spec)], key: classifier.pack.hashKey)
        var time: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
        let clock = Clock.fixed(time)
        var result = Classification()
        var fired: [Bool] = []
        for line in lines {
            for _ in 0..<line.repeats {
                time += line.gap
                classifier.classify(line.text, user: line.user, channel: line.channel, time: time, state: &state, clock: clock,
                                    into: &result)
                fired.append(result.hits.contains { $0.rule == index })
            }
        }
        return .messages(fired)
    }
}

public struct SignalExampleError: Error, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}
