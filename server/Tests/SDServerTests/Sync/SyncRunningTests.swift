import Foundation
import SDStore
import Testing

extension SyncTests {
    /// Runs still running, and `--verify`.
    @Suite struct RunningAndVerify {
        /// A run whose process (this test's) is alive: left out by default, sent with --include-running,
        /// sent again as it grows, and its end sent when it finishes.
        @Test func aRunningRunIsSentOnlyWhenAskedAndAgainAsItGrows() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 5, k: 50))
                let store = try RunStore(path: db, create: false)
                let id = UUID().uuidString.lowercased()
                let now = Timestamp.now()
                var config = RunConfig()
                config.dataset = "toy"
                var running = RunRecord(
                    id: id, experiment: "live", status: .running, source: .sdtrack, createdAt: now,
                    host: RunLiveness.currentHost, pid: Int(getpid()), sdtrackVersion: "0.4.0",
                    configJSON: #"{"dataset":"toy"}"#, config: config)
                running.startedAt = now
                running.heartbeatAt = now
                try store.insert(running)
                try store.record(SpectrumRecord(d: [2, 1], z0: [0.5, -0.0], zeroTolerance: 1e-12), runID: id)
                func record(_ rounds: Range<Int>) throws {
                    for t in rounds {
                        try store.record(RoundRecord(t: t, c: 0.1 * Double(t + 1), gcv: 1 / Double(t + 1)), runID: id)
                    }
                }
                try record(0..<3)
                func stored() throws -> RunRecord? {
                    try RunStore(path: world.serverDB, create: false).runs().first { $0.id == id }
                }

                let plain = try await world.sync(db)
                #expect(plain.status == 0 && plain.pending("total") == 5, "\(plain)")
                #expect(try stored() == nil)

                let included = try await world.sync(db, ["--include-running"])
                #expect(included.status == 0 && included.pending("new") == 1, "\(included)")
                #expect(try stored()?.roundCount == 3)
                #expect(try stored()?.status == .running)

                try record(3..<5)
                #expect(try await world.sync(db).pending("total") == 0)
                let grown = try await world.sync(db, ["--include-running"])
                #expect(grown.pending("grown") == 1 && grown.count("updated") == 1, "\(grown)")
                #expect(try stored()?.roundCount == 5)

                try store.end(runID: id, status: .finished, summary: RunSummary())
                let ended = try await world.sync(db)
                #expect(ended.status == 0 && ended.pending("grown") == 1, "\(ended)")
                #expect(try stored()?.status == .finished)
                #expect(try exportedRuns(world.serverDB) == exportedRuns(db))

                // A run whose process is gone (killed) is sent without --include-running, as it is; the
                // server stores it running with its last heartbeat, which its readers here see as killed.
                let dead = try ChildProcess(URL(fileURLWithPath: "/bin/true"), [], folder: world.folder)
                await dead.waitForExit()
                var killed = running
                killed.id = UUID().uuidString.lowercased()
                killed.pid = Int(dead.pid)
                try store.insert(killed)
                try store.record(RoundRecord(t: 0, c: 0.5, gcv: 0.25), runID: killed.id)
                #expect(try store.run(id: killed.id).status == .killed)
                let sentKilled = try await world.sync(db)
                #expect(sentKilled.status == 0 && sentKilled.count("inserted") == 1, "\(sentKilled)")
                let raw = try RunStore(path: world.serverDB, create: false).runs(
                    liveness: RunLiveness(host: "elsewhere"))
                #expect(raw.first { $0.id == killed.id }?.status == .running)
                #expect(try exportedRuns(world.serverDB) == exportedRuns(db))
            }
        }

        /// A run deleted on the server behind the client's back: a plain sync trusts its acknowledgements;
        /// --verify finds the run missing there and sends it again.
        @Test func verifySendsAgainWhatTheServerLost() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 12, k: 50))
                #expect(try await world.sync(db).status == 0)
                let lost = try runIDs(db)[6]
                let deleted = try await world.sdtrack(["runs", "delete", "--db", world.serverDB, lost])
                #expect(deleted.status == 0, "\(deleted.stderr)")
                #expect(try runIDs(world.serverDB).count == 11)

                #expect(try await world.sync(db).pending("total") == 0)
                let verified = try await world.sync(db, ["--verify"])
                #expect(verified.status == 0, "\(verified)")
                #expect(verified.summary?["verified_missing"] == .array([.string(lost)]), "\(verified)")
                #expect(verified.count("inserted") == 1, "\(verified)")
                #expect(try exportedRuns(world.serverDB) == exportedRuns(db))
                let again = try await world.sync(db, ["--verify"])
                #expect(again.summary?["verified_missing"] == .array([]), "\(again)")

                // Labels edited here for a run the server lost: it answers unknown, and the whole run follows.
                let relabelled = try runIDs(db)[2]
                #expect(try await world.sdtrack(["runs", "delete", "--db", world.serverDB, relabelled]).status == 0)
                #expect(try await world.sdtrack(["runs", "tag", "--db", db, relabelled, "k=v"]).status == 0)
                let labels = try await world.sync(db)
                #expect(labels.status == 0 && labels.pending("labels") == 1, "\(labels)")
                #expect(labels.count("inserted") == 1 && labels.count("batches") == 2, "\(labels)")
                #expect(try exportedRuns(world.serverDB) == exportedRuns(db))
                #expect(try await world.sync(db).pending("total") == 0)

                // A run deleted here stays there, and the sync says so.
                let gone = try runIDs(db)[0]
                #expect(try await world.sdtrack(["runs", "delete", "--db", db, gone]).status == 0)
                let after = try await world.sync(db)
                #expect(after.summary?["deleted_here"] == .array([.string(gone)]), "\(after)")
                #expect(try runIDs(world.serverDB).contains(gone))

                // With nothing to send a sync needs no server; with something, an unreachable one is offline.
                await world.server.stop()
                let idle = try await world.sync(db)
                #expect(idle.status == 0 && idle.pending("total") == 0, "\(idle)")
                try RunStore(path: db, create: false).importRuns(syntheticRuns(count: 2, k: 10, seed: 3))
                let offline = try await world.sync(db)
                #expect(offline.status == 75, "\(offline)")
                #expect(offline.result.stderr.hasSuffix("2 runs pending for team\n"), "\(offline)")
            }
        }
    }
}
