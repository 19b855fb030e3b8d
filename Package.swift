// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sdtrack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sdtrack", targets: ["sdtrack"]),
        .library(name: "SDEngine", targets: ["SDEngine"]),
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
        // The command-line interface: thin commands over the modules.
        .executableTarget(
            name: "sdtrack",
            dependencies: [
                "SDEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks run on demand: swift run -c release engine-benchmark
        .executableTarget(
            name: "engine-benchmark",
            dependencies: ["SDEngine", "CLapack"],
            path: "tools/EngineBenchmark"
        ),
        .testTarget(name: "SDEngineTests", dependencies: ["SDEngine", "CLapack"]),
        .testTarget(name: "sdtrackTests", dependencies: ["SDEngine"]),
    ]
)
