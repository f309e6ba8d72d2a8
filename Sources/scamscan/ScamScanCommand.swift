import ArgumentParser
import Foundation

@main
struct ScamScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scamscan",
        abstract: "Find scams in live-stream chat and gifting transactions: coin generators, resellers, impersonators, phishing, fake giveaways, gift-and-chargeback fraud.",
        discussion: """
        Examples:
          tail -f live.log | scamscan chat --line-buffered
          scamscan chat --explain Corpus/chat/sample.tsv
          scamscan tx --summary Corpus/transactions/sample.csv
          scamscan test --junit results.xml
          scamscan explain 'fr33 c0ins at t . me / plug'
          scamscan lint --rules Rules
        """,
        version: "scamscan \(scamscanVersion)",
        subcommands: [ChatCommand.self, TxCommand.self, MatchCommand.self, LintCommand.self, TestCommand.self, ExplainCommand.self, TuneCommand.self, LearnCommand.self, FoldCommand.self, PublishCommand.self])

    /// grep's conventions: 0 found, 1 none, 2 error (also for usage errors, which
    /// ArgumentParser would otherwise give 64); a closed stdout is a quiet success.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("scamscan: \(error.description)\n".utf8))
            Foundation.exit(2)
        } catch {
            if exitCode(for: error) == .success {
                exit(withError: error)  // --help, --version
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
