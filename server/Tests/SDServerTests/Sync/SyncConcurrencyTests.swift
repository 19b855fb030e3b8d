import Foundation
import SDStore
import Testing

extension SyncTests {
    /// Several clients sending to one server at once.
    @Suite struct Concurrency {
        /// Four clients with databases of their own, started together: the server holds the union, each once.
        @Test func fourClientsAtOnceMakeTheUnion() async throws {
            try await withSyncWorld { world in
                var databases = [String]()
                for client in 0..<4 {
                    databases.append(
                        try await world.clientDatabase(
                            "client\(client).db", runs: syntheticRuns(count: 50, k: 200, seed: UInt64(client) + 10)))
                }
                let syncs = try databases.map { try world.start(["sync", "--db", $0, "--json", "--batch-runs", "10"]) }
                for (db, sync) in zip(databases, syncs) {
                    let result = SyncRun(await sync.result())
                    #expect(result.status == 0, "\(result)")
                    #expect(result.count("inserted") == 50, "\(result)")
                    #expect(try exportedRuns(world.serverDB, ids: runIDs(db)) == exportedRuns(db))
                }
                let union = try databases.flatMap { try runIDs($0) }.sorted()
                #expect(Set(union).count == 200)
                #expect(try runIDs(world.serverDB) == union)
            }
        }

        /// Two copies of one database (the file copied) send the same runs at once: each is stored once,
        /// and both syncs succeed (the second copy of a run is unchanged).
        @Test func twoCopiesOfADatabaseAtOnceStoreEachRunOnce() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("a.db", runs: syntheticRuns(count: 80, k: 200))
                let copy = world.path("b.db")
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
                    try FileManager.default.copyItem(atPath: db + suffix, toPath: copy + suffix)
                }
                let syncs = try [db, copy].map {
                    try world.start(["sync", "--db", $0, "--json", "--batch-runs", "10"])
                }
                var inserted = 0, unchanged = 0
                for sync in syncs {
                    let result = SyncRun(await sync.result())
                    #expect(result.status == 0, "\(result)")
                    inserted += result.count("inserted") ?? 0
                    unchanged += result.count("unchanged") ?? 0
                }
                #expect(inserted == 80 && unchanged == 80)
                let ids = try runIDs(db)
                #expect(try runIDs(copy) == ids)
                #expect(try runIDs(world.serverDB) == ids)
                #expect(try exportedRuns(world.serverDB) == exportedRuns(db))
                for path in [db, copy] { #expect(try await world.sync(path).pending("total") == 0) }
            }
        }
        /// Two copies tag the same run differently: the later edit wins on the server, whichever syncs last.
        @Test func theLabelsEditedLastWinWhateverTheOrderOfArrival() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("a.db", runs: syntheticRuns(count: 5, k: 20))
                #expect(try await world.sync(db).status == 0)
                let copy = world.path("b.db")
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
                    try FileManager.default.copyItem(atPath: db + suffix, toPath: copy + suffix)
                }
                let run = try runIDs(db)[1]
                #expect(try await world.sdtrack(["runs", "tag", "--db", db, run, "owner=alice"]).status == 0)
                try await Task.sleep(for: .milliseconds(20))
                #expect(try await world.sdtrack(["runs", "tag", "--db", copy, run, "owner=bob"]).status == 0)
                let later = try await world.sync(copy)
                #expect(later.status == 0 && later.count("updated") == 1, "\(later)")
                let earlier = try await world.sync(db)
                #expect(earlier.status == 0 && earlier.pending("labels") == 1, "\(earlier)")
                #expect(earlier.count("unchanged") == 1, "\(earlier)")
                let stored = try RunStore(path: world.serverDB, create: false).run(id: run)
                #expect(stored.tags.contains(Tag(key: "owner", value: "bob")))
                #expect(try exportedRuns(world.serverDB, ids: [run]) == exportedRuns(copy, ids: [run]))
            }
        }
    }
}
