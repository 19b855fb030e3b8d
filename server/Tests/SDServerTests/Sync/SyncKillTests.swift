import Foundation
import SDStore
import Testing

extension SyncTests {
    /// `kill -9` of `sdtrack sync` at random moments: acknowledgements are recorded batch by batch, so the
    /// next sync resends at most the batch that was in flight, and the server ends with each run once.
    @Suite struct Kills {
        @Test func aSyncKilledAtRandomMomentsResendsAtMostOneBatch() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 200, k: 200))
                let seed = UInt64.random(in: 1...UInt64(UInt32.max))
                var random = SplitMix(seed: seed)
                // How long a sync of one run takes, learned from the syncs that complete.
                var secondsPerRun = 0.004, overhead = 0.05
                var killedMidSync = 0
                for round in 0..<20 {
                    if round > 0 {
                        try RunStore(path: db, create: false).importRuns(
                            syntheticRuns(count: 40, k: 200, seed: UInt64(round) + 100))
                    }
                    let expected = overhead + secondsPerRun * Double(round == 0 ? 200 : 40)
                    let delay = random.unit() * expected
                    let sync = try world.start(["sync", "--db", db, "--json", "--batch-runs", "10"])
                    try await Task.sleep(for: .seconds(delay))
                    let wasRunning = sync.isRunning
                    sync.signal(SIGKILL)
                    let killed = await sync.result()
                    if wasRunning && killed.status == 128 + SIGKILL { killedMidSync += 1 }

                    let started = Date()
                    let rerun = try await world.sync(db, ["--batch-runs", "10"])
                    let wall = Date().timeIntervalSince(started)
                    let context = "seed \(seed), kill \(round) after \(delay) s: \(rerun)"
                    #expect(rerun.status == 0, "\(context)")
                    #expect((rerun.count("unchanged") ?? 99) <= 10, "more than one batch resent; \(context)")
                    let sent = (rerun.count("inserted") ?? 0) + (rerun.count("unchanged") ?? 0)
                    #expect(sent == rerun.pending("total"), "\(context)")
                    if let total = rerun.pending("total"), total >= 10,
                        let seconds = rerun.summary?["seconds"]?.doubleValue
                    {
                        secondsPerRun = max(0.001, seconds / Double(total))
                        overhead = max(0.02, wall - seconds)
                    }
                    #expect(try await world.sync(db).pending("total") == 0)
                    #expect(try runIDs(world.serverDB) == runIDs(db), "\(context)")
                }
                let ids = try runIDs(db)
                #expect(ids.count == 200 + 19 * 40)
                #expect(try runIDs(world.serverDB) == ids)
                #expect(try exportedRuns(db) == exportedRuns(world.serverDB))
                #expect(killedMidSync >= 5, "too few kills landed while a sync ran (seed \(seed))")
            }
        }
    }
}
