import Dispatch
import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// One RunStore shared by many threads, as a server's requests share it: every write lands,
/// every read sees a consistent snapshot, and nothing fails on a lock.
@Suite struct ConcurrencyTests {
    @Test(arguments: [RunStore.Reads.pooled, .sharingWriter])
    func oneStoreServesManyThreadsAtOnce(reads: RunStore.Reads) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try RunStore(path: folder.appendingPathComponent("shared.db").path, create: true, reads: reads)
        let threads = 8, runsPerThread = 25
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            do {
                for index in 0..<runsPerThread {
                    // Writers: a live run round by round, and a whole run imported.
                    let live = try LiveRun(store: store, run: sampleRun(experiment: "thread\(thread)"))
                    for t in 0..<3 { try live.record(RoundRecord(t: t, gcv: Double(t))) }
                    try live.finish(summary: RunSummary())
                    var whole = sampleRun(experiment: "thread\(thread)", status: .finished)
                    whole.tags = [Tag(key: "index", value: String(index))]
                    try store.importRuns([CompleteRun(run: whole, rounds: [RoundRecord(t: 0, testMSE: 1)])])
                    // Readers, between the writes: one snapshot never shows a run's row without
                    // the rounds it counts, though other threads write theirs meanwhile.
                    let ids = try store.runs(matching: RunFilter(limit: nil)).map(\.id)
                    for run in try store.completeRuns(ids: ids) where run.rounds.count != run.run.roundCount {
                        failures.add("\(run.run.id): \(run.rounds.count) rounds, round_count \(run.run.roundCount)")
                    }
                    _ = try store.series(matching: RunFilter(), metrics: ["gcv", "test_mse"], groupBy: nil)
                }
            } catch {
                failures.add("thread \(thread): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        let runs = try store.runs(matching: RunFilter(limit: nil))
        #expect(runs.count == threads * runsPerThread * 2)
        #expect(runs.allSatisfy { $0.status == .finished })
        #expect(try store.integrityCheck() == ["ok"])
    }
}

/// Messages collected from concurrent threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages = [String]()

    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
