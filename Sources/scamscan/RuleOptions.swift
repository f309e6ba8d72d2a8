import ArgumentParser
import Foundation
import Matcher
import ScamScan

/// Options every command that loads rules shares.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "A rule pack directory (or one rule file); repeat to combine packs. Default: the shipped Rules/.",
        valueName: "DIR"))
    var directories: [String] = []

    @Option(help: ArgumentHelp("PCRE2 match limit per rule and record; a rule that needs more gives up on that record (reported once with a count).", valueName: "N"))
    var matchLimit: UInt32 = MatchLimits.default.matchSteps

    @Option(help: "Matching engine: prefilter, or naive (every rule on every record; the reference).")
    var engine: CompiledPack.Engine = .prefilter

    @Option(name: .customLong("protect"), help: ArgumentHelp(
        "A handle to protect from look-alikes (handle_lookalike rules), everywhere, or only in one channel as CHANNEL:NAME; repeatable.",
        valueName: "NAME"))
    var protect: [String] = []

    func validate() throws {
        for spec in protect {
            if let problem = protectedHandleProblem(spec) {
                throw ValidationError("--protect '\(escapeForTerminal(spec))': \(problem) (handles are letters, digits, '_', '.' and '-'; one per --protect)")
            }
        }
    }

    /// The directories to load: as given, or the shipped pack found from here or the executable.
    func resolvedDirectories() throws -> [String] {
        if !directories.isEmpty { return directories }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        if let found = RulePackLocator.locate(executablePath: exe, workingDirectory: FileManager.default.currentDirectoryPath,
                                              environment: ProcessInfo.processInfo.environment) {
            return [found]
        }
        throw CLIError("no rule pack found (looked in $SCAMSCAN_RULES, ./Rules, beside the executable and in share/scamscan/Rules); pass --rules DIR")
    }

    /// Loads, validates and compiles the packs, printing every problem and exiting 2 on any;
    /// `onFailure` sees the problems first (`test --junit` writes them as failures).
    func load(onFailure: ([String]) -> Void = { _ in }) throws -> CompiledPack {
        do {
            return try CompiledPack.load(directories: try resolvedDirectories(), engine: engine,
                                         protect: protect.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 })
        } catch let error as RulePackError {
            onFailure(error.diagnostics.map(\.description))
            var text = error.diagnostics.map { "\($0)\n" }.joined()
            text += "scamscan: \(error.diagnostics.count) error\(error.diagnostics.count == 1 ? "" : "s") in the rule pack; nothing was scanned\n"
            FileHandle.standardError.write(Data(text.utf8))
            throw ExitCode(2)
        } catch let error as CLIError {
            onFailure(["scamscan: \(error.description)"])
            throw error
        }
    }
}

/// A fatal command-line problem: printed as `scamscan: message`, exit status 2.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
