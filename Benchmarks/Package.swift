// swift-tools-version: 6.1
// Per-stage microbenchmarks of ScamScan with ordo-one/benchmark (a package of its own, so that
// neither `swift build` nor `make test` of the tool resolves or builds it). Run from this folder:
//
//     swift package benchmark --target Stages
//
// or `make -C Benchmarks stages`. The stages use the library's public API only.
import PackageDescription

let package = Package(
    name: "ScamScanBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "ScamScan", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Stages",
            dependencies: [
                .product(name: "ScamScan", package: "ScamScan"),
                .product(name: "Matcher", package: "ScamScan"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Stages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
