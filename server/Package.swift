// swift-tools-version:6.0
import Foundation
import PackageDescription

// The collection server, a package of its own so that Hummingbird (about ten minutes to build) stays out of the
// command line's build: `tools/setup serve` builds it, `sdtrack serve` launches it.
//
//   sdtrack-server  (the executable: arguments, logging, signals)
//   SDServer        routes, authentication, limits, request decoding; the store's upserts do the writing
//
// SwiftPM names a path dependency after its folder, which is whatever the clone is called.
let sdtrackPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent

let package = Package(
    name: "sdtrack-server",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sdtrack-server", targets: ["sdtrack-server"])
    ],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Already in the graph through Hummingbird; named because SDServer uses them directly (the bound
        // channel's address, the logger).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "SDServer",
            dependencies: [
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SDTrackKit", package: sdtrackPackage),
                .product(name: "SDStore", package: sdtrackPackage),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "sdtrack-server",
            dependencies: [
                "SDServer", .product(name: "SDStore", package: sdtrackPackage),
                .product(name: "SDEngine", package: sdtrackPackage),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The server end to end: started in-process on a free port and spoken to over HTTP (URLSession), and
        // the built `sdtrack-server` binary for the token commands; the dashboard's routes also called in
        // process, through the router's responder (NIOEmbedded for a request context's channel).
        .testTarget(
            name: "SDServerTests",
            dependencies: [
                "SDServer", "CZlib", .product(name: "SDStore", package: sdtrackPackage),
                .product(name: "SDTrackKit", package: sdtrackPackage), .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ]
)
