import Yams
import ScanSupport
import Normalise

/// Reads typed fields out of a YAML mapping, recording a diagnostic for each problem
/// instead of stopping, so one pass reports every error of a file.
struct YAMLFields {
    let file: String
    let ruleID: String
    let mapping: Node.Mapping
    let mappingLocation: SourceLocation
    var diagnostics: [Diagnostic] = []

    init(file: String, ruleID: String, mapping: Node.Mapping, known: [String], required: [String]) {
        self.file = file
        self.ruleID = ruleID
        self.mapping = mapping
        self.mappingLocation = location(of: mapping.mark, in: file)
        var seen: Set<String> = []
        for (key, _) in mapping {
            guard let name = key.scalar?.string else {
                report(key, "field names must be plain strings")
                continue
            }
            seen.insert(name)
            if !known.contains(name) {
                var message = "unknown field '\(name)'"
                if let guess = closestMatch(to: name, in: known) { message += " (did you mean '\(guess)'?)" }
                message += "; the fields are: \(known.joined(separator: ", "))"
                report(key, message)
            }
        }
        for name in required where !seen.contains(name) {
            diagnostics.append(Diagnostic(mappingLocation, rule: ruleID, "missing required field '\(name)'"))
        }
    }

    func node(_ name: String) -> Node? {
        for (key, value) in mapping where key.scalar?.string == name { return value }
        return nil
    }

    func keyLocation(_ name: String) -> SourceLocation {
        for (key, _) in mapping where key.scalar?.string == name { return location(of: key.mark, in: file) }
        return mappingLocation
    }

    mutating func report(_ node: Node, _ message: String) {
        diagnostics.append(Diagnostic(location(of: node.mark, in: file), rule: ruleID, message))
    }

    /// A non-empty scalar string, or nil (with a diagnostic when present but wrong).
    mutating func string(_ name: String, allowEmpty: Bool = false) -> String? {
        guard let value = node(name) else { return nil }
        guard let scalar = value.scalar else {
            report(value, "'\(name)' must be a string, not a \(kindName(value))")
            return nil
        }
        if !allowEmpty && scalar.string.trimmingWhitespace().isEmpty {
            report(value, "'\(name)' must not be empty")
            return nil
        }
        return scalar.string
    }

    /// A finite number within `range`.
    mutating func number(_ name: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = node(name) else { return nil }
        guard let scalar = value.scalar, scalar.style == .plain, let number = Double(scalar.string),
              number.isFinite
        else {
            report(value, "'\(name)' must be a number (e.g. \(name): 5), got '\(value.scalar?.string ?? kindName(value))'")
            return nil
        }
        guard range.contains(number) else {
            report(value, "'\(name)' must be between \(format(range.lowerBound)) and \(format(range.upperBound)), got \(format(number))")
            return nil
        }
        return number
    }

    /// A positive duration (`90s`, `10m`, `24h`, `30d`, `2w`) in ms; `examples` are named in the error.
    mutating func duration(_ name: String, examples: String) -> Int64? {
        guard let text = string(name), let n = node(name) else { return nil }
        guard let d = TxDuration.parse(text), d > 0 else {
            report(n, "'\(name)' must be a duration such as \(examples) (s, m, h, d, w), got '\(text)'")
            return nil
        }
        return d
    }

    /// A whole number within `range`.
    mutating func wholeNumber(_ name: String, in range: ClosedRange<Double>) -> Int? {
        guard let v = number(name, in: range) else { return nil }
        guard v == v.rounded() else { report(node(name)!, "'\(name)' must be a whole number"); return nil }
        return Int(v)
    }

    /// A list of non-empty strings with their locations.
    mutating func strings(_ name: String, minimum: Int) -> [(String, SourceLocation)]? {
        guard let value = node(name) else { return nil }
        guard case let .sequence(sequence) = value else {
            report(value, "'\(name)' must be a list (each item on its own line starting with '- ')")
            return nil
        }
        var result: [(String, SourceLocation)] = []
        for item in sequence {
            guard let scalar = item.scalar else {
                report(item, "each item of '\(name)' must be a string, not a \(kindName(item))")
                continue
            }
            if scalar.string.isEmpty {
                report(item, "items of '\(name)' must not be empty")
                continue
            }
            result.append((scalar.string, location(of: item.mark, in: file)))
        }
        if sequence.count < minimum {
            report(value, "'\(name)' needs at least \(minimum) item\(minimum == 1 ? "" : "s"), has \(sequence.count)")
        }
        return result
    }
}

func location(of mark: Mark?, in file: String) -> SourceLocation {
    SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
}

func kindName(_ node: Node) -> String {
    switch node {
    case .scalar: return "scalar"
    case .mapping: return "mapping"
    case .sequence: return "list"
    case .alias: return "alias"
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}

