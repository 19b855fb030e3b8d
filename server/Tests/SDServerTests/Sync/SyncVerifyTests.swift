import Foundation
import SDJSON
import SDStore
import Testing

extension SyncTests {
    /// --verify compares more than presence: rounds, the end and the labels' time.
    @Suite struct VerifyDepth {
        @Test func verifySendsAgainARunWhoseEndOrLabelsTheServerLost() async throws {
            try await withSyncWorld { world in
                let runs = syntheticRuns(count: 3, k: 10)
                let db = try await world.clientDatabase("local.db", runs: runs)
                let ids = runs.map(\.run.id).sorted()
                #expect(try await world.sdtrack(["runs", "tag", ids[1], "k=v", "--db", db]).status == 0)
                #expect(try await world.sync(db).count("inserted") == 3)
                let before = try exportedRuns(world.serverDB)
                // The server loses run 0's end and run 1's labels.
                let damaged = try await runChild(
                    URL(fileURLWithPath: "/usr/bin/sqlite3"),
                    [
                        world.serverDB,
                        "UPDATE runs SET status = 'running', ended_at = NULL WHERE run_id = '\(ids[0])'; "
                            + "DELETE FROM curves WHERE run_id = '\(ids[0])'; "
                            + "DELETE FROM tags WHERE run_id = '\(ids[1])'; "
                            + "UPDATE runs SET labels_edited_at = NULL WHERE run_id = '\(ids[1])';",
                    ], folder: world.folder)
                #expect(damaged.status == 0, "\(damaged.stderr)")
                #expect(try await world.sync(db).pending("total") == 0)
                let verified = try await world.sync(db, ["--verify"])
                #expect(verified.status == 0, "\(verified)")
                #expect(
                    verified.summary?["verified_missing"] == .array([.string(ids[0]), .string(ids[1])]), "\(verified)")
                #expect(try exportedRuns(world.serverDB) == before)
            }
        }
    }
}
