import Foundation
import Logging
import SDServer
import SDStore

/// A server started in-process on 127.0.0.1 with a free port, over a new database in a temporary
/// folder, with one token of each kind. `withTestServer` stops it after the test.
struct TestServer: Sendable {
    let folder: URL
    let store: RunStore
    let client: HTTPTestClient
    /// Tokens with the scopes read, push, and both.
    let readToken: String
    let pushToken: String
    let bothToken: String
    /// The id of `bothToken`, for revoking it.
    let bothTokenID: String
}

func withTestServer(
    limits: ServerLimits = ServerLimits(), _ body: (TestServer) async throws -> Void
) async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try RunStore(path: folder.appendingPathComponent("server.db").path, create: true)
    var tokens = [String]()
    var bothID = ""
    for scopes in [[TokenScope.read], [.push], [.read, .push]] {
        let token = TokenText.generate()
        try store.addToken(token.record(name: "test \(scopes)", scopes: scopes))
        tokens.append(token.text)
        bothID = token.id
    }
    // Stopping by cancellation makes Hummingbird log errors about the cancelled channels.
    var logger = Logger(label: "sdtrack-server-test")
    logger.logLevel = .critical
    let server = try SyncServer(
        store: store, address: ListenAddress(host: "127.0.0.1", port: 0), limits: limits, logger: logger)
    let (addresses, continuation) = AsyncStream.makeStream(of: ListenAddress.self)
    let task = Task { try await server.run { continuation.yield($0) } }
    defer { task.cancel() }
    var iterator = addresses.makeAsyncIterator()
    guard let bound = await iterator.next() else { throw TestFailure("the server did not start") }
    let testServer = TestServer(
        folder: folder, store: store, client: HTTPTestClient(base: "http://127.0.0.1:\(bound.port)"),
        readToken: tokens[0], pushToken: tokens[1], bothToken: tokens[2], bothTokenID: bothID)
    do {
        try await body(testServer)
    } catch {
        task.cancel()
        _ = try? await task.value
        throw error
    }
    task.cancel()
    _ = try? await task.value
}

func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sdtrack-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
