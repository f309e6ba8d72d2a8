import Foundation
@testable import ScamScan
@testable import ScanSupport
@testable import Normalise
@testable import Stream
@testable import Model
@testable import Checks
@testable import Score
@testable import Transactions
@testable import Output
@testable import Pipeline
@testable import Regression

/// A valid rule in YAML, with fields overridable for error cases.
func ruleYAML(
    id: String = "coin_generator.free-gen", category: String = "coin_generator",
    pattern: String = "'\\bfree\\s+coins?\\s+generator\\b'", view: String = "folded", score: String = "8",
    extra: String = ""
) -> String {
    """
    - id: \(id)
      category: \(category)
      description: Offers a free coin generator.
      pattern: \(pattern)
      view: \(view)
      score: \(score)
      match:
        - "FREE COINS GENERATOR no survey"
        - "free coin generator works!!"
      no_match:
        - "are free coins a thing?"
        - "just bought coins in the app"
    \(extra)
    """
}

/// The diagnostics of parsing and compiling `yaml` as file `t.yml`, as printed.
func diagnostics(_ yaml: String) -> [String] {
    let (rules, found) = RuleLoader.collect(yaml: yaml, file: "t.yml")
    do {
        _ = try CompiledPack.compile(RulePack(settings: PackSettings(name: "t"), rules: rules, directories: []), after: found)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

func compile(_ yaml: String, thresholds: Thresholds = .default, engine: CompiledPack.Engine = .prefilter) throws -> CompiledPack {
    let rules = try RuleLoader.parse(yaml: yaml, file: "t.yml")
    return try CompiledPack(RulePack(settings: PackSettings(name: "t", thresholds: thresholds), rules: rules, directories: []), engine: engine)
}

/// Every engine: tests that take it run once per engine, as ripgrep's rgtest! runs each test twice.
let engines = CompiledPack.Engine.allCases

/// A fresh temporary directory, removed by the caller with `cleanup`.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "scamscan-test-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) {
    try! text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// A small pack used by classifier and scanner tests.
let testPackYAML = """
- id: coin_generator.free-gen
  category: coin_generator
  description: Free coin generator.
  pattern: '\\bfree\\s+coins?\\s+generator\\b'
  view: folded
  score: 8
  match: ["FREE COINS GENERATOR", "free coin generator"]
  no_match: ["free coins?", "coin generator"]
- id: reseller.cheap-coins
  category: reseller
  description: Cheap coins.
  pattern: '\\bcheap\\s+coins\\b'
  view: folded
  score: 5
  match: ["Cheap coins here", "CHEAP COINS"]
  no_match: ["cheap shoes", "coins are cheap"]
- id: other.telegram
  category: other
  description: Telegram contact.
  pattern: '(?i)\\btelegram\\b'
  view: raw
  score: 3
  match: ["on Telegram", "telegram me"]
  no_match: ["telegraph", "tg"]
"""
