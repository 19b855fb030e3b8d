import Foundation
import SDJSON
import SDStore
import Testing

extension SyncTests {
    /// What the transport refuses: TLS to a plain server, a run past the server's request limit.
    @Suite struct Transport {
        /// https to a server that speaks plain http cannot succeed later either: exit 1, not 75.
        @Test func tlsToAPlainServerIsAnErrorNotOffline() async throws {
            try await withSyncWorld { world in
                let https = world.server.url.replacingOccurrences(of: "http://", with: "https://")
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 2, k: 10), url: https)
                let sync = try await world.sync(db)
                #expect(sync.status == 1, "\(sync)")
                #expect(sync.result.stderr.hasPrefix("Error: \(https)"), "\(sync)")
                #expect(try runIDs(world.serverDB).isEmpty)
            }
        }

        /// A run larger than the server takes in one request is reported rejected (after the 413);
        /// the others arrive.
        @Test func aRunPastTheRequestLimitIsRejectedAndTheOthersArrive() async throws {
            try await withSyncWorld { world in
                await world.server.stop()
                let server = try await ServerProcess(
                    db: world.serverDB, folder: world.folder, options: ["--max-request-bytes", "200000"])
                let small = syntheticRuns(count: 3, k: 10)
                let large = syntheticRuns(count: 1, k: 20_000, rounds: 2, seed: 5)
                let db = try await world.clientDatabase("local.db", runs: small + large, url: server.url)
                let sync = try await world.sync(db)
                #expect(sync.status == 1, "\(sync)")
                #expect(sync.count("inserted") == 3, "\(sync)")
                guard case .array(let rejected)? = sync.summary?["rejected"] else {
                    Issue.record("no rejected list: \(sync)")
                    return
                }
                #expect(rejected.count == 1 && rejected.first?["run_id"]?.stringValue == large[0].run.id, "\(sync)")
                #expect(sync.result.stderr.contains("larger than the server accepts"), "\(sync)")
                #expect(try runIDs(world.serverDB) == small.map(\.run.id).sorted())
                await server.stop()
            }
        }
    }
}
