// swift-tools-version:6.0
import PackageDescription

// Modules, each with one job, layered so that imports only point down:
//
//   sdtrack (the CLI: argument parsing, printing, exit codes)
//   SDSync       the sync client: what a server lacks, batches, retries, acknowledgements
//   SDReports    what commands print: run reports, best-rounds, curves, comparisons, tables,
//                figures and the HTML report
//   SDImport     runs made elsewhere (JSON Lines, CSV, sdtrack exports) into the store
//   SDDocuments  recorded runs as JSON (sdtrack.record/1, sdtrack.export/1, sdtrack.runs/1)
//   SDSweep      sweeps: grids of runs sharing decompositions, resumable, in shards
//   SDRun        running a specification: the engine's values recorded as they come
//   SDSpec       a run's specification (data, kernel, mode, rounds, labels), its configuration
//   SDAnalysis   cross-run analysis: best rounds over seeds, mean curves, GCV against held-out
//   SDStore      runs in SQLite: migrations, records, queries; no numerics
//   SDEngine     kernels, data sets, the spectral solver, rounds; no I/O
//   SDHTTP       the HTTP transport of sync: libcurl (CCurl), loaded by dlopen on the first request
//   SDCharts     figures as SVG: scales, ticks, panels, series, legends; no sdtrack concepts
//   SDJSON       the JSON model, reader and writer; SDSchema the SQL migrations
let package = Package(
    name: "sdtrack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sdtrack", targets: ["sdtrack"]),
        .library(name: "SDEngine", targets: ["SDEngine"]),
        .library(name: "SDStore", targets: ["SDStore"]),
        // Everything a front end builds on (a server, a sweep, a sync client).
        .library(
            name: "SDTrackKit",
            targets: [
                "SDReports", "SDCharts", "SDImport", "SDDocuments", "SDRun", "SDSpec", "SDAnalysis", "SDJSON", "SDHTTP",
                "SDSync", "SDSweep",
            ]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // LAPACKE + OpenBLAS. Every call into them lives in SDEngine/LinearAlgebra/Lapack.swift.
        .systemLibrary(
            name: "CLapack",
            path: "Sources/CLapack",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        // SQLite. Every call into it lives in SDStore/SQLite/.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libcurl's headers only: SDHTTP/Curl/ loads libcurl.so.4 with dlopen on the first
        // request, so that commands which send none do not load it at start (module.modulemap).
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "SDJSON"),
        .target(name: "SDCharts", dependencies: ["SDJSON"]),
        .target(name: "SDHTTP", dependencies: ["CCurl"]),
        .target(name: "SDEngine", dependencies: ["CLapack", "SDJSON"]),
        // The database schema: schema/*.sql, the one source of truth, embedded in the binary.
        .target(
            name: "SDSchema",
            path: "schema",
            exclude: ["README.md", "example.py"],
            sources: ["Schema.swift"],
            resources: [
                .embedInCode("v001-initial.sql"), .embedInCode("v002-zero-predictor.sql"),
                .embedInCode("v003-group-key.sql"), .embedInCode("v004-curves.sql"),
                .embedInCode("v005-canonical-config.sql"),
                .embedInCode("v006-sync.sql"), .embedInCode("v007-warning.sql"), .embedInCode("v008-solver.sql"),
            ]
        ),
        .target(name: "SDStore", dependencies: ["CSQLite", "SDSchema", "SDJSON"]),
        .target(name: "SDAnalysis", dependencies: ["SDStore"]),
        .target(name: "SDSpec", dependencies: ["SDEngine", "SDStore", "SDJSON"]),
        .target(name: "SDRun", dependencies: ["SDSpec", "SDEngine", "SDStore", "SDJSON"]),
        .target(name: "SDDocuments", dependencies: ["SDStore", "SDJSON"]),
        // Sweeps: a grid of runs, one decomposition per (data, kernel, seed), resumable, sharded.
        .target(name: "SDSweep", dependencies: ["SDRun", "SDSpec", "SDEngine", "SDStore", "SDJSON"]),
        // The engine for its CSV reader (CSVTable), the one CSV parser of data sets and imports.
        .target(name: "SDImport", dependencies: ["SDDocuments", "SDEngine", "SDStore", "SDJSON"]),
        // The sync client: what is due, batches, retries, what the server acknowledged.
        .target(name: "SDSync", dependencies: ["SDHTTP", "SDDocuments", "SDStore", "SDJSON"]),
        .target(
            name: "SDReports",
            dependencies: [
                "SDCharts", "SDRun", "SDAnalysis", "SDImport", "SDDocuments", "SDEngine", "SDStore", "SDJSON",
            ]
        ),
        .executableTarget(
            name: "sdtrack",
            dependencies: [
                "SDReports", "SDCharts", "SDImport", "SDDocuments", "SDRun", "SDSpec", "SDAnalysis", "SDStore",
                "SDEngine", "SDJSON", "SDSync", "SDSweep",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks, run on demand: swift run -c release --static-swift-stdlib store-benchmark
        .executableTarget(
            name: "store-benchmark",
            dependencies: [
                "SDEngine", "SDStore", "SDRun", "SDSpec", "SDAnalysis", "SDDocuments", "SDImport", "SDJSON",
            ],
            path: "tools/StoreBenchmark"
        ),
        .executableTarget(
            name: "engine-benchmark",
            dependencies: ["SDEngine", "CLapack"],
            path: "tools/EngineBenchmark"
        ),
        // Helpers every test target shares: temporary folders, closeness, running the binary.
        .target(name: "SDTestSupport", dependencies: ["SDEngine"], path: "Tests/SDTestSupport"),
        .testTarget(name: "SDJSONTests", dependencies: ["SDJSON", "SDTestSupport"]),
        .testTarget(name: "SDChartsTests", dependencies: ["SDCharts", "SDJSON"]),
        .testTarget(name: "SDSweepTests", dependencies: ["SDSweep", "SDSpec", "SDJSON"]),
        .testTarget(name: "SDHTTPTests", dependencies: ["SDHTTP", "SDTestSupport"]),
        .testTarget(name: "SDEngineTests", dependencies: ["SDEngine", "CLapack", "SDTestSupport"]),
        .testTarget(name: "SDStoreTests", dependencies: ["SDStore", "SDSchema", "SDJSON", "SDTestSupport"]),
        .testTarget(name: "SDAnalysisTests", dependencies: ["SDAnalysis", "SDStore", "SDTestSupport"]),
        .testTarget(name: "SDSpecTests", dependencies: ["SDSpec", "SDEngine", "SDStore", "SDJSON", "SDTestSupport"]),
        .testTarget(
            name: "SDRunTests", dependencies: ["SDRun", "SDSpec", "SDStore", "SDEngine", "SDJSON", "SDTestSupport"]),
        .testTarget(name: "SDDocumentsTests", dependencies: ["SDDocuments", "SDStore", "SDJSON", "SDTestSupport"]),
        .testTarget(
            name: "SDImportTests", dependencies: ["SDImport", "SDDocuments", "SDStore", "SDJSON", "SDTestSupport"]),
        .testTarget(
            name: "SDReportsTests",
            dependencies: [
                "SDReports", "SDRun", "SDSpec", "SDAnalysis", "SDEngine", "SDStore", "SDJSON", "SDTestSupport",
            ]
        ),
        // The command line end to end: runs the built `sdtrack` binary.
        .testTarget(
            name: "sdtrackTests", dependencies: ["SDStore", "SDSchema", "SDEngine", "SDJSON", "SDTestSupport"]),
    ]
)
