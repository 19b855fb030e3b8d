import Foundation
import SDStore
import Testing

extension SyncTests {
    /// Faults between client and server (a fault-injecting proxy, a killed server): every run arrives, once.
    @Suite struct Faults {
        struct Fault: Sendable, CustomTestStringConvertible {
            let mode: FaultProxy.Mode
            let count: Int
            let seconds: Double
            /// The sync's own options.
            let options: [String]
            /// Runs of the first batch the server stored before the client heard of it.
            let resent: Int
            var testDescription: String { "\(mode.rawValue) x\(count)" }
        }

        static let faults = [
            // The server committed; the client never heard: the batch is sent again and is unchanged.
            Fault(mode: .drop, count: 2, seconds: 0, options: [], resent: 10),
            Fault(mode: .unavailable, count: 4, seconds: 0, options: [], resent: 0),
            Fault(mode: .unavailable, count: 1, seconds: 1, options: [], resent: 0),
            // The answer is held far past --timeout: the client gives up on it and sends the batch again.
            Fault(mode: .stall, count: 1, seconds: 12, options: ["--timeout", "1"], resent: 10),
        ]

        @Test(arguments: faults)
        func aFaultyConnectionStillDeliversEachRunOnce(fault: Fault) async throws {
            try await withSyncWorld { world in
                let proxy = try await FaultProxy(
                    upstreamPort: world.server.port, mode: fault.mode, count: fault.count, seconds: fault.seconds,
                    folder: world.folder)
                defer { proxy.child.signal(SIGKILL) }
                let db = try await world.clientDatabase("local.db", runs: syntheticRuns(count: 30), url: proxy.url)
                let started = Date()
                let sync = try await world.sync(db, ["--batch-runs", "10"] + fault.options)
                let elapsed = Date().timeIntervalSince(started)
                #expect(sync.status == 0, "\(sync)")
                #expect(proxy.faults == fault.count, "\(proxy.child.stdoutSoFar())")
                #expect(sync.result.stderr.contains("sync: retrying in"), "\(sync)")
                #expect(sync.count("inserted") == 30 - fault.resent, "\(sync)")
                #expect(sync.count("unchanged") == fault.resent, "\(sync)")
                #expect(sync.count("batches") == 3, "\(sync)")
                if fault.mode == .unavailable && fault.seconds > 0 {
                    #expect(elapsed >= fault.seconds, "Retry-After: \(Int(fault.seconds)) is honoured")
                }
                if fault.mode == .stall {
                    // --timeout 1 (checked each second), a backoff of at most 0.25 s, then two batches.
                    #expect(elapsed < 5, "a stall is given up after --timeout 1 s")
                }
                let ids = try runIDs(db)
                #expect(ids.count == 30)
                #expect(try runIDs(world.serverDB) == ids)
                #expect(try exportedRuns(db) == exportedRuns(world.serverDB))
                let again = try await world.sync(db)
                #expect(again.status == 0 && again.pending("total") == 0, "\(again)")
                await proxy.stop()
            }
        }

        /// The server is killed (SIGKILL) in the middle of a sync and started again on the same port and
        /// database: the sync stops as offline (75), unless it got through; the next one completes.
        @Test func aServerKilledMidSyncLosesNothingAndDuplicatesNothing() async throws {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let serverDB = folder.appendingPathComponent("team.db").path
            let token = try await runChild(
                try serverBinary(), ["token", "create", "--db", serverDB, "--name", "t", "--scope", "read,push"],
                folder: folder
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let port = try freePort()
            var server = try await ServerProcess(db: serverDB, port: port, folder: folder)
            let db = folder.appendingPathComponent("local.db").path
            try RunStore(path: db, create: true).importRuns(syntheticRuns(count: 200, k: 300))
            let environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "SDTRACK_TOKEN": token]
            let sdtrack = try sdtrackBinary()
            let url = "http://127.0.0.1:\(port)"
            #expect(
                try await runChild(sdtrack, ["remote", "add", "team", url, "--db", db], folder: folder).status == 0)

            let sync = try ChildProcess(
                sdtrack, ["sync", "--db", db, "--json", "--batch-runs", "5"], environment: environment, folder: folder)
            // Kill the server once it holds some of the runs, and start it again at once.
            let deadline = Date().addingTimeInterval(20)
            while sync.isRunning, Date() < deadline, (try? runIDs(serverDB).count) ?? 0 < 20 {
                try await Task.sleep(for: .milliseconds(5))
            }
            let heldWhenKilled = try runIDs(serverDB).count
            await server.kill()
            server = try await restarted(db: serverDB, port: port, folder: folder)
            let first = SyncRun(await sync.result())
            #expect([0, 75].contains(first.status), "\(first)")
            if first.status == 75 {
                #expect(first.result.stderr.contains("runs pending for team"), "\(first)")
            }
            let second = SyncRun(
                try await runChild(sdtrack, ["sync", "--db", db, "--json"], environment: environment, folder: folder))
            #expect(second.status == 0, "\(second)")
            #expect((second.count("unchanged") ?? 99) <= 5, "at most the batch in flight again: \(second)")
            let ids = try runIDs(db)
            #expect(ids.count == 200)
            #expect(try runIDs(serverDB) == ids)
            #expect(try exportedRuns(db) == exportedRuns(serverDB))
            #expect(heldWhenKilled < 200, "the kill came too late to be mid-sync")
            await server.stop()
        }

        /// A server on `port` again; a port the kernel still holds for the killed one is tried again.
        private func restarted(db: String, port: Int, folder: URL) async throws -> ServerProcess {
            var attempts = 0
            while true {
                do {
                    return try await ServerProcess(db: db, port: port, folder: folder)
                } catch  where attempts < 50 {
                    attempts += 1
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }
}
