/// Runs a transaction rule's own examples. An example is a small CSV export with the canonical
/// header; a `match:` example passes when the rule hits its last row, a `no_match:` example when
/// the rule hits none of its rows. The rule runs alone, with fresh state.
public enum TxExamples {
    public enum Outcome: Equatable {
        /// Per row: whether the rule hit it.
        case rows([Bool])
        /// The example is not a readable export.
        case invalid(String)
    }

    public static func run(_ rule: Rule, _ text: String) -> Outcome {
        let engine = TxEngine(rules: [rule], thresholds: .default)
        let reader = CSVReader(text: text)
        var columns: [Int?]?
        var width = 0
        var fired: [Bool] = []
        var problem: String?
        var result = TxClassification()
        do {
            try reader.forEachRecord({ row in
                guard problem == nil else { return }
                guard let map = columns else {
                    var header: [String] = []
                    for i in 0..<row.count { header.append(String(decoding: row[i], as: UTF8.self)) }
                    switch TxColumnMap().resolve(header: header) {
                    case let .success(m): columns = m; width = row.count
                    case let .failure(e): problem = "example header: \(e.description)"
                    }
                    return
                }
                guard row.count == width else {
                    problem = "example line \(row.line): \(row.count) fields, the header has \(width)"
                    return
                }
                switch TxDecoder.decode(line: row.line, { f in map[f.rawValue].map { row[$0] } }) {
                case let .success(tx):
                    engine.process(tx, into: &result)
                    fired.append(result.hits.contains { $0.rule == 0 })
                case let .failure(e):
                    problem = "example line \(row.line): '\(e.field.name)': \(e.message)"
                }
            }, problem: { p in
                if problem == nil { problem = "example line \(p.line), column \(p.column): \(p.message)" }
            })
        } catch {
            return .invalid("\(error)")
        }
        if let problem { return .invalid(problem) }
        if fired.isEmpty { return .invalid("the example has no rows after its header") }
        return .rows(fired)
    }
}
