import Foundation
import SDJSON
import SDStore
import Testing

/// `sdtrack sync` end to end (docs/sync.md): the built `sdtrack` against the built `sdtrack-server` on
/// loopback, real processes and sockets. One at a time: the processes would fight for the CPU, and some
/// tests time kills.
@Suite(.serialized) struct SyncTests {}

extension SyncTests {
    @Suite struct Convergence {
        /// 200 runs of a sweep and two of `sdtrack run`: afterwards the server holds each as it is here, field
        /// by field and spectra bit for bit; a second sync sends nothing; an edited tag sends only labels.
        @Test func aSweepArrivesExactlyAndASecondSyncSendsNothing() async throws {
            try await withSyncWorld { world in
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 200))
                for options in [["--gamma", "80", "--eps", "0.01"], ["--kernel", "laplacian", "--tag", "real=yes"]] {
                    let run = try await world.sdtrack(["run", "--db", db] + options)
                    #expect(run.status == 0, "\(run.stderr)")
                }
                let first = try await world.sync(db)
                #expect(first.status == 0, "\(first)")
                #expect(first.pending("total") == 202 && first.pending("new") == 202, "\(first)")
                #expect(first.count("inserted") == 202 && first.count("unchanged") == 0, "\(first)")

                // `sdtrack runs export` of every run, of both databases: the same bytes.
                let ids = try runIDs(db)
                #expect(ids.count == 202)
                #expect(try runIDs(world.serverDB) == ids)
                let here = try await world.sdtrack(["runs", "export", "--db", db] + ids)
                let there = try await world.sdtrack(["runs", "export", "--db", world.serverDB] + ids)
                #expect(here.status == 0 && there.status == 0, "\(here.stderr) \(there.stderr)")
                #expect(here.stdout.utf8.count > 1_000_000)
                #expect(here.stdout == there.stdout)
                #expect(try exportedRuns(db) == exportedRuns(world.serverDB))

                let second = try await world.sync(db)
                #expect(second.status == 0, "\(second)")
                #expect(second.pending("total") == 0 && second.count("batches") == 0, "\(second)")
                #expect(second.count("bytes") == 0, "\(second)")

                let tagged = ids[17]
                let tag = try await world.sdtrack(["runs", "tag", "--db", db, tagged, "reviewed=yes"])
                #expect(tag.status == 0, "\(tag.stderr)")
                let third = try await world.sync(db)
                #expect(third.status == 0, "\(third)")
                #expect(third.pending("total") == 1 && third.pending("labels") == 1, "\(third)")
                #expect(third.count("updated") == 1 && third.count("batches") == 1, "\(third)")
                #expect(third.count("bytes").map { $0 < 2000 } == true, "only the labels: \(third)")
                let stored = try RunStore(path: world.serverDB, create: false).run(id: tagged)
                #expect(stored.tags.contains(Tag(key: "reviewed", value: "yes")))
                #expect(try exportedRuns(db) == exportedRuns(world.serverDB))
                #expect(try await world.sync(db).pending("total") == 0)
            }
        }
    }
}
