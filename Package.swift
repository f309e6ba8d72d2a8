// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ScamScan",
    products: [
        .executable(name: "scamscan", targets: ["scamscan"]),
        .library(name: "ScamScan", targets: ["ScamScan"]),
        .library(name: "Matcher", targets: ["Matcher"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The C bridge: libpcre2-8 found through pkg-config (Debian: libpcre2-dev).
        .systemLibrary(
            name: "CPCRE2",
            path: "Sources/CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // The Redis client: hiredis found through pkg-config (Debian: libhiredis-dev).
        .systemLibrary(
            name: "CHiredis",
            path: "Sources/CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        // The multi-pattern engine. Knows nothing of scams.
        .target(name: "Matcher", dependencies: ["CPCRE2"]),
        // Rules, normalisation, streams, scoring, output.
        .target(name: "ScamScan", dependencies: ["Matcher", .product(name: "Yams", package: "Yams")]),
        // Redis Streams: the client over hiredis, the partition convention, publisher and worker.
        .target(name: "RedisStream", dependencies: ["CHiredis", "ScamScan"]),
        // The command line: parses flags and wires the library.
        .executableTarget(
            name: "scamscan",
            dependencies: ["ScamScan", "RedisStream", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "MatcherTests", dependencies: ["Matcher"]),
        .testTarget(name: "ScamScanTests", dependencies: ["ScamScan", "Matcher"], exclude: ["Data"]),
        .testTarget(name: "RedisStreamTests", dependencies: ["RedisStream", "ScamScan", "scamscan"]),
        .testTarget(name: "EndToEndTests", dependencies: ["scamscan"], exclude: ["Data"]),
    ]
)

// libFuzzer targets (Fuzz/), only when asked: `make fuzz` sets SCAMSCAN_FUZZ=1 and builds them
// with --sanitize=fuzzer --sanitize=address in .build-fuzz. Ordinary builds never see them.
if Context.environment["SCAMSCAN_FUZZ"] == "1" {
    for name in ["fold", "pattern", "rules", "chat", "tx", "signals"] {
        package.targets.append(.executableTarget(
            name: "fuzz-\(name)", dependencies: ["ScamScan", "Matcher"], path: "Fuzz/\(name)"))
    }
}
