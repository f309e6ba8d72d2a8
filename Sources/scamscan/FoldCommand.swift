import ArgumentParser
import Foundation
import ScamScan

/// Shows what rules on the folded view see: for rule authors and for checking a suspicious message.
struct FoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fold",
        abstract: "Print the folded view of each message, and the folding steps it needed.",
        discussion: """
        Each message (the arguments, or else each line of standard input) is printed as its folded view, then a tab and the techniques it needed (folded_by: invisible, compat, marks, confusables, leet, spacing, defang), or '-' for none. Control characters are escaped.

        Examples:
          scamscan fold 'fr33 c0ins at t . me / cheapcoins'
          scamscan fold < messages.txt
        """)

    @Argument(help: "Messages to fold (default: each line of standard input).")
    var messages: [String] = []

    func run() throws {
        var folded = FoldedText()
        var out = ""
        func emit(_ bytes: UnsafeRawBufferPointer) {
            folded.fold(bytes)
            let names = folded.techniques.names
            out += escapeForTerminal(folded.string) + "\t" + (names.isEmpty ? "-" : names.joined(separator: ",")) + "\n"
        }
        if messages.isEmpty {
            while let line = readLine(strippingNewline: true) {
                var copy = line
                copy.withUTF8 { emit(UnsafeRawBufferPointer($0)) }
                if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
            }
        } else {
            for var m in messages { m.withUTF8 { emit(UnsafeRawBufferPointer($0)) } }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
