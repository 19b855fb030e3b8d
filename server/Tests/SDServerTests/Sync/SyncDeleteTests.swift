import Foundation
import SDJSON
import SDStore
import Testing

extension SyncTests {
    /// A server whose database was replaced has a new id: the next sync that sends anything
    /// notices, and sends everything the new one lacks.
    @Suite struct ReplacedServer {
        @Test func aNewServerBehindTheSameURLGetsEverything() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 6, k: 10))
                #expect(try await world.sync(db).count("inserted") == 6)
                await world.server.stop()
                // The same tokens, no runs and no identity: a database started afresh.
                let fresh = world.path("fresh.db")
                try FileManager.default.copyItem(atPath: world.serverDB, toPath: fresh)
                let emptied = try await runChild(
                    URL(fileURLWithPath: "/usr/bin/sqlite3"),
                    [fresh, "PRAGMA foreign_keys = ON; DELETE FROM runs; DELETE FROM server_identity;"],
                    folder: world.folder)
                #expect(emptied.status == 0, "\(emptied.stderr)")
                let server = try await ServerProcess(db: fresh, port: world.server.port, folder: world.folder)
                defer { Task { await server.stop() } }
                try RunStore(path: db, create: false).importRuns(syntheticRuns(count: 1, k: 10, seed: 9))
                let sync = try await world.sync(db)
                #expect(sync.status == 0 && sync.count("inserted") == 7, "\(sync)")
                #expect(sync.result.stderr.contains("is another server now"), "\(sync)")
                #expect(try runIDs(fresh) == runIDs(db))
                await server.stop()
            }
        }
    }

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
