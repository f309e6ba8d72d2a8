import Foundation
import RedisStream
import Testing

/// A redis-server of the test's own: a random free loopback port, no persistence unless asked,
/// a temporary directory, stopped at the end (`stop()`, also on deinit).
final class RedisServer {
    let port: Int
    let directory: String
    let persistent: Bool
    private var process: Process?
    var url: RedisURL { try! RedisURL("redis://127.0.0.1:\(port)") }
    var urlText: String { "redis://127.0.0.1:\(port)" }

    /// `persistent`: an append-only file synced on every write, so a restart keeps the streams,
    /// groups and pending entries (the restart test).
    init(persistent: Bool = false, password: String? = nil) throws {
        port = RedisServer.freePort()
        directory = NSTemporaryDirectory() + "scamscan-redis-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.persistent = persistent
        self.password = password
        try start()
    }

    private let password: String?

    func start() throws {
        guard let server = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("redis-server is not installed: `make test-deps` installs it (apt-get install redis-server)")
            throw RedisError.connection("no redis-server")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: server)
        var args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", directory,
                    "--daemonize", "no", "--logfile", directory + "/redis.log", "--protected-mode", "no"]
        args += persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]
        if let password { args += ["--requirepass", password] }
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        // Ready when it answers PING (or asks for the password).
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let c = try? RedisConnection(url: try! RedisURL("redis://127.0.0.1:\(port)"), timeout: 1) {
                if let r = try? c.run(RedisCommand("PING")), r == .status("PONG") || r.isError { return }
            }
            usleep(20_000)
        }
        throw RedisError.connection("redis-server on port \(port) did not start")
    }

    /// Stops the server with SHUTDOWN (with persistence it syncs its append-only file first),
    /// or SIGKILL when it does not answer. (Not SIGTERM: a test runner may start children with
    /// that signal blocked.)
    func stop() {
        guard let p = process else { return }
        if let c = try? client() {
            _ = try? c.run(RedisCommand("SHUTDOWN", persistent ? "SAVE" : "NOSAVE"))
        }
        let deadline = Date().addingTimeInterval(5)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        process = nil
    }

    func restart() throws {
        stop()
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A connection for the test's own checks.
    func client() throws -> RedisConnection {
        var u = url
        u.password = password
        return try RedisConnection(url: u, timeout: 10)
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

extension RedisConnection {
    /// Every entry of a stream: (id, fields as strings).
    func entries(_ key: String) throws -> [(id: String, fields: [String: String])] {
        var out: [(String, [String: String])] = []
        var start = "-"
        while true {
            let r = try call(RedisCommand("XRANGE", key, start, "+", "COUNT", "10000"))
            let items = r.elements ?? []
            for item in items {
                let pair = item.elements!
                var fields: [String: String] = [:]
                let flat = pair[1].elements ?? []
                for i in stride(from: 0, to: flat.count - 1, by: 2) { fields[flat[i].text!] = flat[i + 1].text! }
                out.append((pair[0].text!, fields))
            }
            if items.count < 10000 { break }
            start = "(" + out.last!.0
        }
        return out
    }

    /// How many entries of `key` are pending in `group` (0 when the group is missing).
    func pendingCount(_ key: String, group: String) throws -> Int {
        let r = try run(RedisCommand("XPENDING", key, group))
        return Int(r.elements?.first?.integer ?? 0)
    }
}

/// The scamscan built beside this test bundle.
let scamscanBinary: String = {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    var candidates = [runner.appendingPathComponent("scamscan").path]
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("scamscan").path)
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
}()

let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A scamscan process started in the background, its output in files.
final class Background {
    let process = Process()
    let outPath: String
    let errPath: String

    init(_ arguments: [String], stdin: String? = nil) throws {
        let dir = NSTemporaryDirectory() + "scamscan-bg-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        outPath = dir + "/out"
        errPath = dir + "/err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        FileManager.default.createFile(atPath: dir + "/in", contents: Data((stdin ?? "").utf8))
        process.executableURL = URL(fileURLWithPath: scamscanBinary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SCAMSCAN_RULES")
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle(forReadingAtPath: dir + "/in")
        try process.run()
    }

    /// Waits for the exit (at most `seconds`, then kills it and records an issue).
    @discardableResult
    func wait(seconds: Double = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            Issue.record("scamscan \(process.arguments!.joined(separator: " ")) still running after \(seconds) s; killed")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var out: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var err: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
}

/// Runs scamscan to its end; (status, stdout, stderr).
@discardableResult
func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
    let b = try Background(arguments, stdin: stdin)
    let status = b.wait()
    return (status, b.out, b.err)
}

/// Polls `condition` every 20 ms for at most `seconds`.
func eventually(seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return false
}
