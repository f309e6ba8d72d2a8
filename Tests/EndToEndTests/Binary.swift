import Foundation

/// The repository root (this file is Tests/EndToEndTests/Binary.swift).
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `scamscan` beside the test bundle (SwiftPM builds every product into one folder).
let scamscanPath: String = {
    var candidates: [String] = []
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    candidates.append(runner.deletingLastPathComponent().appendingPathComponent("scamscan").path)
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("scamscan").path)
    }
    candidates.append(repoRoot + "/.build/debug/scamscan")
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
}()

struct RunResult {
    var status: Int32
    var out: String
    var err: String
    /// Standard output as bytes (for output that need not be UTF-8).
    var outBytes: [UInt8] = []
}

/// Runs scamscan with `arguments`, feeding `stdin`, from `directory`.
@discardableResult
func scamscan(_ arguments: [String], stdin: String? = nil, directory: String = repoRoot,
              environment: [String: String] = [:]) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: scamscanPath)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "SCAMSCAN_RULES")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // stdin and stderr go through temporary files, stdout through a pipe read to its end:
    // nothing can block on a full pipe.
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    FileManager.default.createFile(atPath: dir + "/in", contents: Data((stdin ?? "").utf8))
    FileManager.default.createFile(atPath: dir + "/err", contents: nil)
    let outPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = FileHandle(forWritingAtPath: dir + "/err")
    process.standardInput = FileHandle(forReadingAtPath: dir + "/in")
    try process.run()
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errData = FileManager.default.contents(atPath: dir + "/err") ?? Data()
    return RunResult(status: process.terminationStatus,
                     out: String(decoding: outData, as: UTF8.self),
                     err: String(decoding: errData, as: UTF8.self), outBytes: [UInt8](outData))
}

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "scamscan-e2e-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The shipped corpus without its ordinary chat (`Corpus/ordinary`): the labelled chat and the
/// transaction sample, linked from a temporary `Corpus` folder. Tests of baselines, reports and
/// tuning use it so that each `scamscan test` run does not also scan 17,869 ordinary messages
/// (slow under AddressSanitizer); the ordinary-chat measure has its own tests.
let labelledCorpus: String = {
    let dir = temporaryDirectory() + "/Corpus"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for part in ["chat", "transactions"] {
        try! FileManager.default.createSymbolicLink(atPath: dir + "/" + part, withDestinationPath: repoRoot + "/Corpus/" + part)
    }
    return dir
}()
