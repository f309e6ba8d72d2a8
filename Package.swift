// swift-tools-version: 6.0
import PackageDescription

// The library is one target per pipeline stage; a stage depends only on the stages below it, so the
// compiler rejects any upward import (README's layout section says what each holds):
//
//   ScanSupport ← Normalise ← Model ← Checks ← Score ← Output ← Pipeline ← Regression ← ScamScan
//   ScanSupport ← Stream ← Transactions (← Output)          Matcher ← Model, Score, Pipeline
//
// Declarations shared between stages are `package`, not `public`: visible to this package only.
let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let stages: [(name: String, dependencies: [Target.Dependency])] = [
    // Shared value types: clock, timestamps and durations, diagnostics, usage errors, byte output,
    // terminal escaping, UTF-8 helpers.
    ("ScanSupport", []),
    // The folded view (obfuscation undone), links, the Public Suffix List.
    ("Normalise", ["ScanSupport"]),
    // The readers: lines, TSV, JSON Lines, CSV, chat records, channel partitions.
    ("Stream", ["ScanSupport"]),
    // Rules and their kind specs (patterns, lists, handles, signals, transactions, models), the
    // rule-file parser and loader, verdicts and thresholds.
    ("Model", ["ScanSupport", "Normalise", "Matcher", yams]),
    // Heuristics (domains, handles), behaviour signals and their state, model features.
    ("Checks", ["ScanSupport", "Normalise", "Model"]),
    // The compiled pack and the classifier.
    ("Score", ["ScanSupport", "Normalise", "Model", "Checks", "Matcher"]),
    // Transaction columns, state, detectors and the transaction scanner.
    ("Transactions", ["ScanSupport", "Stream", "Model"]),
    // Printers: text, JSON Lines, transaction output.
    ("Output", ["ScanSupport", "Normalise", "Stream", "Model", "Checks", "Score", "Transactions"]),
    // The runs: chat (file, -j, one record from a worker) and match.
    ("Pipeline", ["ScanSupport", "Normalise", "Stream", "Model", "Checks", "Score", "Transactions", "Output", "Matcher"]),
    // Lint, test, tune and learn: rule examples, the labelled corpus, baselines, training.
    ("Regression", ["ScanSupport", "Normalise", "Stream", "Model", "Checks", "Score", "Transactions", "Output", "Pipeline",
                    "Matcher", yams]),
]
let stageNames = stages.map { Target.Dependency(stringLiteral: $0.name) }

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
    ] + stages.map { .target(name: $0.name, dependencies: $0.dependencies) } + [
        // Every stage re-exported, and the invariants the fuzz targets and tests check.
        .target(name: "ScamScan", dependencies: stageNames + ["Matcher"]),
        // Redis Streams: the client over hiredis, the partition convention, publisher and worker.
        .target(name: "RedisStream", dependencies: ["CHiredis", "ScamScan"]),
        // The command line: parses flags and wires the library.
        .executableTarget(
            name: "scamscan",
            dependencies: ["ScamScan", "RedisStream", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "MatcherTests", dependencies: ["Matcher"]),
        .testTarget(name: "ScamScanTests", dependencies: stageNames + ["ScamScan", "Matcher"], exclude: ["Data"]),
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
