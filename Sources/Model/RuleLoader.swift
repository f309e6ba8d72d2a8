import Foundation
import ScanSupport
import Normalise

/// Loads rule packs from directories: `pack.yml` for the settings, every other `*.yml` or
/// `*.yaml` below the directory (sorted by path) for rules.
public enum RuleLoader {
    public static let settingsFileName = "pack.yml"

    /// Loads and validates the packs in `directories`, in order. The settings come from the first
    /// directory that has a `pack.yml`; every problem in every file is reported at once.
    public static func load(directories: [String]) throws(RulePackError) -> RulePack {
        let (pack, diagnostics) = collect(directories: directories)
        if !diagnostics.isEmpty { throw RulePackError(diagnostics) }
        return pack
    }

    /// Loads what validates and returns it with every problem found, so a later stage (pattern
    /// compilation) can add its own problems to the same report.
    package static func collect(directories: [String]) -> (RulePack, [Diagnostic]) {
        var parser = RuleParser()
        var settings: PackSettings?
        for directory in directories {
            let files: [String]
            do {
                files = try ruleFiles(in: directory)
            } catch {
                parser.diagnostics.append(Diagnostic(SourceLocation(file: directory, line: 1, column: 1), rule: "-", error.message))
                continue
            }
            for file in files {
                let text: String
                do {
                    text = try readText(file)
                } catch {
                    parser.diagnostics.append(Diagnostic(SourceLocation(file: file, line: 1, column: 1), rule: "-", error.message))
                    continue
                }
                if (file as NSString).lastPathComponent == settingsFileName {
                    let parsed = parser.parseSettings(yaml: text, file: file)
                    if settings == nil { settings = parsed }
                } else {
                    parser.parseRules(yaml: text, file: file)
                }
            }
        }
        parser.diagnostics += duplicateIDs(parser.rules)
        let pack = RulePack(settings: settings ?? PackSettings(name: "unnamed"), rules: parser.rules, directories: directories)
        return (pack, parser.diagnostics)
    }

    /// Parses one rule file's text (no settings); for tests and for single-file packs.
    public static func parse(yaml: String, file: String) throws(RulePackError) -> [Rule] {
        let (rules, diagnostics) = collect(yaml: yaml, file: file)
        if !diagnostics.isEmpty { throw RulePackError(diagnostics) }
        return rules
    }

    static func collect(yaml: String, file: String) -> ([Rule], [Diagnostic]) {
        var parser = RuleParser()
        parser.parseRules(yaml: yaml, file: file)
        return (parser.rules, parser.diagnostics + duplicateIDs(parser.rules))
    }

    static func duplicateIDs(_ rules: [Rule]) -> [Diagnostic] {
        var first: [String: SourceLocation] = [:]
        var diagnostics: [Diagnostic] = []
        for rule in rules {
            if let earlier = first[rule.id] {
                diagnostics.append(Diagnostic(rule.location, rule: rule.id,
                    "duplicate rule id (first defined at \(earlier)); rename one of them"))
            } else {
                first[rule.id] = rule.location
            }
        }
        return diagnostics
    }

    package struct LoadError: Error { package var message: String }

    static func ruleFiles(in directory: String) throws(LoadError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw LoadError(message: "rules directory does not exist; pass an existing directory with --rules DIR")
        }
        if !isDirectory.boolValue {
            // A single rule file is a pack of its own.
            return [directory]
        }
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw LoadError(message: "cannot list the rules directory (check its permissions)")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let ext = (relative as NSString).pathExtension
            guard ext == "yml" || ext == "yaml" else { continue }
            files.append((directory as NSString).appendingPathComponent(relative))
        }
        let rules = files.filter { ($0 as NSString).lastPathComponent != settingsFileName }
        if rules.isEmpty {
            throw LoadError(message: "no rule files (*.yml, *.yaml) in this directory; is it a rule pack?")
        }
        // Settings first, then rule files in path order: load order is deterministic.
        return files.filter { ($0 as NSString).lastPathComponent == settingsFileName }.sorted() + rules.sorted()
    }

    package static func readText(_ path: String) throws(LoadError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(message: "cannot read the file (check that it exists and is readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError(message: "the file is not valid UTF-8; save it as UTF-8")
        }
        return text
    }
}

/// Finds the shipped rules when no `--rules` is given.
public enum RulePackLocator {
    /// Candidate directories, most specific first: `$SCAMSCAN_RULES`, `./Rules`, `Rules/` beside
    /// the executable or in any directory above it (a build tree), the install's
    /// `share/scamscan/Rules`, then the system share directories.
    public static func candidates(executablePath: String, workingDirectory: String,
                                  environment: [String: String]) -> [String] {
        var result: [String] = []
        if let env = environment["SCAMSCAN_RULES"], !env.isEmpty { result.append(env) }
        result.append((workingDirectory as NSString).appendingPathComponent("Rules"))
        let exeDir = ((executablePath as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        result.append(((exeDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/scamscan/Rules"))
        var dir = exeDir
        while dir != "/" && !dir.isEmpty {
            result.append((dir as NSString).appendingPathComponent("Rules"))
            dir = (dir as NSString).deletingLastPathComponent
        }
        result += ["/usr/local/share/scamscan/Rules", "/usr/share/scamscan/Rules"]
        return result
    }

    /// The first candidate that holds a `pack.yml`.
    public static func locate(executablePath: String, workingDirectory: String,
                              environment: [String: String]) -> String? {
        candidates(executablePath: executablePath, workingDirectory: workingDirectory, environment: environment)
            .first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(RuleLoader.settingsFileName)) }
    }
}
