// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sdtrack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sdtrack", targets: ["sdtrack"]),
        .library(name: "SDEngine", targets: ["SDEngine"]),
        .library(name: "SDStore", targets: ["SDStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // LAPACKE + OpenBLAS. Every call into them lives in SDEngine/LinearAlgebra/Lapack.swift.
        .systemLibrary(
            name: "CLapack",
            path: "Sources/CLapack",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        // Kernels, datasets, the spectral solver, rounds and theory checks. No I/O.
        .target(name: "SDEngine", dependencies: ["CLapack"]),
        // SQLite. Every call into it lives in SDStore/SQLite/.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The database schema: schema/*.sql, the one source of truth, embedded in the binary.
        .target(
            name: "SDSchema",
            path: "schema",
            exclude: ["README.md", "example.py"],
            sources: ["Schema.swift"],
            resources: [.embedInCode("v001-initial.sql"), .embedInCode("v002-zero-predictor.sql"),
                        .embedInCode("v003-group-key.sql"),
                        .embedInCode("v004-curves.sql")]
        ),
        // Runs, rounds and spectra in SQLite: migrations, records, queries. No numerics.
        .target(name: "SDStore", dependencies: ["CSQLite", "SDSchema"]),
        // Recording a run as it computes: the engine's values as the store's records.
        .target(name: "SDRecording", dependencies: ["SDEngine", "SDStore"]),
        // Cross-run analysis: best rounds over seeds, mean curves, GCV against held-out error.
        .target(name: "SDAnalysis", dependencies: ["SDStore"]),
        // The command-line interface: thin commands over the modules.
        .executableTarget(
            name: "sdtrack",
            dependencies: [
                "SDEngine",
                "SDStore",
                "SDAnalysis",
                "SDRecording",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks run on demand: swift run -c release engine-benchmark
        .executableTarget(
            name: "store-benchmark",
            dependencies: ["SDEngine", "SDStore", "SDRecording", "SDAnalysis"],
            path: "tools/StoreBenchmark"
        ),
        .executableTarget(
            name: "engine-benchmark",
            dependencies: ["SDEngine", "CLapack"],
            path: "tools/EngineBenchmark"
        ),
        .testTarget(name: "SDEngineTests", dependencies: ["SDEngine", "CLapack"]),
        .testTarget(name: "SDStoreTests", dependencies: ["SDStore", "SDSchema"]),
        .testTarget(name: "SDAnalysisTests", dependencies: ["SDAnalysis", "SDStore"]),
        .testTarget(name: "sdtrackTests", dependencies: ["sdtrack", "SDEngine", "SDSchema", "SDStore"]),
    ]
)
