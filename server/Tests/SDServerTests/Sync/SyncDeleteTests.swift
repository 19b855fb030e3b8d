import Foundation
import SDJSON
import SDStore
import Testing

extension SyncTests {
    /// Local deletes: reported by default; deleted there too for a remote that asks for it.
    @Suite struct Deletes {
        @Test func aRemoteThatPropagatesDeletesHasThemDeletedThereAtTheNextSync() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 5, k: 10))
                #expect(try await world.sync(db).count("inserted") == 5)
                // Added again with the flag: what the server acknowledged is kept (by its id).
                #expect(try await world.sdtrack(["remote", "remove", "team", "--db", db]).status == 0)
                let added = try await world.sdtrack(
                    ["remote", "add", "team", world.server.url, "--propagate-deletes", "--db", db])
                #expect(added.status == 0, "\(added.stderr)")
                #expect(try await world.sync(db).pending("total") == 0)

                let gone = try runIDs(db)[0]
                #expect(try await world.sdtrack(["runs", "delete", "--db", db, gone]).status == 0)
                let sync = try await world.sync(db)
                #expect(sync.status == 0, "\(sync)")
                #expect(sync.summary?["deleted_there"] == .array([.string(gone)]), "\(sync)")
                #expect(sync.summary?["deleted_here"] == .array([]), "\(sync)")
                #expect(try runIDs(world.serverDB) == runIDs(db))
                // Nothing left to delete; a second delete of the same run is not an error.
                #expect(try await world.sync(db).summary?["deleted_there"] == .array([]))
            }
        }
    }
}
