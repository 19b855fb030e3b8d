import Foundation
import SDStore
import SDTestSupport
import Testing

/// The store's promises under the two things that break other trackers: processes killed
/// mid-run, and many processes writing one database at once.
@Suite(.serialized) struct CrashAndParallelTests {
    /// A run of many cheap rounds, each committed on its own, so that kills land at every
    /// stage: before the spectra, between rounds and inside round commits.
    static let longRun = [
        "run", "--data", "sine", "--n", "300", "--test-fraction", "0.25", "--fixed-c", "0.001", "--rounds", "20000",
    ]

    @Test func sigkillAtVariedMomentsLeavesAConsistentDatabaseAndAKilledRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("crash.db").path
        var killedIDs = Set<String>()
        for attempt in 0..<20 {
            let process = try sdtrackProcess(Self.longRun + ["--db", path], in: folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The first kills land right after the run's row is written (the Gram matrix and
            // eigendecomposition), the others after a growing number of rounds, plus a few
            // microseconds so that some land inside a commit.
            let runID = try Self.waitForNewRun(path: path, known: killedIDs)
            if attempt >= 5 { try Self.waitForRounds(path: path, runID: runID, count: (attempt - 4) * 7) }
            usleep(UInt32(attempt * 97 % 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(
                process.terminationReason == .uncaughtSignal, "attempt \(attempt): the run ended before it was killed")

            let store = try RunStore(path: path, create: false)
            #expect(try store.integrityCheck() == ["ok"], "attempt \(attempt)")
            let run = try store.run(id: runID)
            #expect(run.status == .killed, "attempt \(attempt): \(run.status)")
            // No half-written round: the count in the row is the rounds committed with it.
            #expect(try store.rounds(runID: runID).count == run.roundCount, "attempt \(attempt)")
            killedIDs.insert(runID)
        }
        let runs = try RunStore(path: path, create: false).runs()
        #expect(runs.count == 20 && runs.allSatisfy { $0.status == .killed })
        #expect(runs.filter { $0.roundCount >= 7 }.count >= 15, "kills after rounds began: \(runs.map(\.roundCount))")
    }

    /// Polls until a run not in `known` appears (the process writes it before computing).
    static func waitForNewRun(path: String, known: Set<String>) throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path),
                let runs = try? RunStore(path: path, create: false).runs(),
                let run = runs.first(where: { !known.contains($0.id) })
            {
                return run.id
            }
            usleep(2_000)
        }
        throw TestSupportError("no new run appeared in \(path) within 30 s")
    }

    static func waitForRounds(path: String, runID: String, count: Int) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let run = try? RunStore(path: path, create: false).run(id: runID), run.roundCount >= count { return }
            usleep(500)
        }
        throw TestSupportError("run \(runID) did not reach \(count) rounds within 30 s")
    }

    @Test func fourProcessesTimesTwentyFiveRunsIntoOneDatabase() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("parallel.db").path  // created by the racing writers
        let failures = Failures()
        let done = DispatchGroup()
        for worker in 0..<4 {
            done.enter()
            Thread {
                defer { done.leave() }
                for index in 0..<25 {
                    let eps = 0.002 * Double(1 + (worker * 25 + index) % 10)
                    do {
                        let result = try sdtrack([
                            "run", "--db", path, "--eps", String(eps), "--gamma", "80",
                            "--experiment", "worker\(worker)", "--tag", "index=\(index)",
                        ])
                        if result.status != 0 || !result.stderr.isEmpty {
                            failures.add("worker \(worker) run \(index): \(result.stderr)")
                        }
                    } catch {
                        failures.add("worker \(worker) run \(index): \(error)")
                    }
                }
            }.start()
        }
        done.wait()
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let store = try RunStore(path: path, create: false)
        #expect(try store.integrityCheck() == ["ok"])
        let runs = try store.runs()
        #expect(runs.count == 100 && runs.allSatisfy { $0.status == .finished && $0.roundCount > 0 })
        for worker in 0..<4 {
            #expect(try store.runs(matching: RunFilter(experiment: "worker\(worker)")).count == 25)
        }
        for run in runs.prefix(10) { #expect(try store.rounds(runID: run.id).count == run.roundCount) }
    }
}

/// Failure messages collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages = [String]()

    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
