import Foundation
import SDStore
import Testing

extension SyncTests {
    /// What the server refuses, as `sdtrack sync` reports it: conflicts, a token's scope, a wrong token.
    @Suite struct Refusals {
        /// A copy of the database, made before its first sync, in which one run's configuration and another's
        /// round were changed with SQLite: its sync names both conflicts, exits 1, changes neither stored
        /// run, and stores (and acknowledges) the rest.
        @Test func aConflictingReuploadIsNamedAndChangesNothing() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 20, k: 100))
                let copy = world.path("copy.db")
                try FileManager.default.copyItem(atPath: db, toPath: copy)
                #expect(try await world.sync(db).status == 0)

                let ids = try runIDs(db)
                let (configChanged, roundChanged) = (ids[4], ids[11])
                let edited = try await runChild(
                    URL(fileURLWithPath: "/usr/bin/sqlite3"),
                    [
                        copy,
                        "UPDATE runs SET config_json = replace(config_json, '\"noise\":0.3', '\"noise\":0.4') "
                            + "WHERE run_id = '\(configChanged)'; "
                            + "UPDATE rounds SET gcv = 99 WHERE run_id = '\(roundChanged)' AND t = 3;",
                    ], folder: world.folder)
                #expect(edited.status == 0, "\(edited.stderr)")
                let extra = syntheticRuns(count: 1, k: 100, seed: 7)
                try RunStore(path: copy, create: false).importRuns(extra)
                let before = try exportedRuns(world.serverDB)

                let sync = try await world.sync(copy)
                #expect(sync.status == 1, "\(sync)")
                let lines = sync.result.stderr.split(separator: "\n")
                #expect(
                    lines.contains {
                        $0.hasPrefix("conflict: ") && $0.contains(configChanged) && $0.contains("config")
                    },
                    "\(sync)")
                #expect(
                    lines.contains { $0.hasPrefix("conflict: ") && $0.contains(roundChanged) && $0.contains("rounds") },
                    "\(sync)")
                #expect(sync.count("unchanged") == 18 && sync.count("inserted") == 1, "\(sync)")
                guard case .array(let conflicts)? = sync.summary?["conflicts"] else {
                    throw TestFailure("no conflicts in \(sync)")
                }
                #expect(Set(conflicts.compactMap { $0["run_id"]?.stringValue }) == [configChanged, roundChanged])

                // The server's copies are as the first database sent them; the new run is there too.
                #expect(try exportedRuns(world.serverDB, ids: ids) == before)
                #expect(try exportedRuns(world.serverDB, ids: ids) == exportedRuns(db))
                #expect(
                    try exportedRuns(world.serverDB, ids: [extra[0].run.id])
                        == exportedRuns(copy, ids: [extra[0].run.id]))
                // Conflicts are not acknowledged: the next sync sends them again, and fails again.
                let again = try await world.sync(copy)
                #expect(again.status == 1 && again.pending("total") == 2, "\(again)")
            }
        }

        /// A token without the push scope, and a token the server does not know: exit 1 saying so, nothing
        /// written, and the token never printed.
        @Test func aRefusedTokenWritesNothingAndIsNeverPrinted() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 5, k: 50))
                let unknown = "sdt_0123456789abcdef_" + String(repeating: "x", count: 43)
                // The right id with another secret.
                let wrongSecret = String(world.token.dropLast(43)) + String(repeating: "A", count: 43)
                let cases: [(token: String, status: String)] = [
                    (world.readToken, "403"), (unknown, "401"), (wrongSecret, "401"),
                ]
                for (token, status) in cases {
                    let sync = try await world.sync(db, token: token)
                    #expect(sync.status == 1, "\(sync)")
                    #expect(sync.result.stderr.hasPrefix("Error: "), "\(sync)")
                    #expect(sync.result.stderr.contains("(\(status): "), "\(sync)")
                    if status == "403" { #expect(sync.result.stderr.contains("push scope"), "\(sync)") }
                    #expect(try runIDs(world.serverDB).isEmpty)
                    let secret = String(token.suffix(43))
                    #expect(!sync.result.stdout.contains(secret) && !sync.result.stderr.contains(secret), "\(sync)")
                }
                // Still all pending; the push token alone sends them (and is not printed either).
                let sync = try await world.sync(db, token: world.pushToken)
                #expect(sync.status == 0 && sync.count("inserted") == 5, "\(sync)")
                let secret = String(world.pushToken.suffix(43))
                #expect(!sync.result.stdout.contains(secret) && !sync.result.stderr.contains(secret))
                // --verify needs read too.
                let verify = try await world.sync(db, ["--verify"], token: world.pushToken)
                #expect(verify.status == 1 && verify.result.stderr.contains("(403: "), "\(verify)")
                #expect(try exportedRuns(world.serverDB) == exportedRuns(db))
                for suffix in ["", "-wal"] {
                    let bytes = FileManager.default.contents(atPath: db + suffix) ?? Data()
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "the token is in the client's database")
                }
            }
        }
    }
}
