import Dispatch
import Foundation
import SDEngine
import SDRun
import SDSpec
import SDStore

/// What a sweep did, and what it is doing while it runs.
public struct SweepProgress: Sendable {
    public var total: Int
    /// Points already finished in the database before this sweep started (not run again).
    public var skipped = 0
    public var finished = 0
    public var failed = 0
    public var decompositions = 0
    public var decompositionsTotal: Int
    /// Each distinct reason runs failed with, and how many.
    public var failures: [String: Int] = [:]

    public var done: Int { skipped + finished + failed }
}

/// Runs a `SweepPlan` into a store: group after group (several at once with `jobs`), one
/// decomposition per group shared by its points, every point an ordinary recorded run. Points
/// finished in the store already are skipped unless `rerun`; failed or killed ones run again.
public struct Sweep: Sendable {
    public let plan: SweepPlan
    public var jobs: Int
    public var rerun: Bool

    public init(plan: SweepPlan, jobs: Int = 1, rerun: Bool = false) {
        self.plan = plan
        self.jobs = max(1, jobs)
        self.rerun = rerun
    }

    /// The points already finished in `store` (by their `sweep.point` tag).
    public func finishedPoints(in store: RunStore) throws -> Set<Int> {
        var filter = RunFilter()
        filter.tags = [Tag(key: SweepPlan.sweepTag, value: plan.id)]
        filter.statuses = [.finished]
        return Set(
            try store.runs(matching: filter).compactMap { run in
                run.tags.first { $0.key == SweepPlan.pointTag }.flatMap { Int($0.value) }
            })
    }

    /// Runs the plan; `report` hears the progress at the start and after every run and
    /// decomposition (from the jobs' threads, one call at a time). OpenBLAS gets cores / jobs threads, so that jobs do
    /// not oversubscribe the cores.
    public func run(
        store: RunStore, interruption: Interruption? = nil,
        report: @escaping @Sendable (SweepProgress) -> Void = { _ in }
    ) throws -> SweepProgress {
        let done = rerun ? [] : try finishedPoints(in: store)
        // Runs of a few milliseconds each: the log's checkpoints would take turns with the jobs.
        try store.preferBulkWrites()
        let todo = plan.groups.map { group in group.points.filter { !done.contains($0.index) } }
        let state = Locked(
            SweepProgress(
                total: plan.pointCount, skipped: plan.pointCount - todo.reduce(0) { $0 + $1.count },
                decompositionsTotal: todo.filter { !$0.isEmpty }.count))
        report(state.value)
        // No more jobs than groups with work left; each with its share of the cores for BLAS.
        let work = todo.filter { !$0.isEmpty }
        let jobs = max(1, min(self.jobs, work.count))
        let cores = ProcessInfo.processInfo.activeProcessorCount
        Lapack.setThreads(max(1, cores / jobs))
        defer { Lapack.setThreads(cores) }
        let next = Locked(0), storeFailure = Locked<StoreError?>(nil)
        let finished = DispatchGroup()
        // Threads of their own: concurrentPerform runs no more at once than there are cores.
        for _ in 0..<jobs {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                while storeFailure.value == nil {
                    let index = next.update { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard index < work.count else { return }
                    do {
                        try runGroup(
                            work[index], store: store, interruption: interruption, state: state, report: report)
                    } catch {
                        storeFailure.update { $0 = $0 ?? (error as? StoreError) ?? StoreError(.sqlite, "\(error)") }
                    }
                }
            }
        }
        finished.wait()
        if let failure = storeFailure.value { throw failure }
        return state.value
    }

    private func runGroup(
        _ points: [SweepPlan.Point], store: RunStore, interruption: Interruption?, state: Locked<SweepProgress>,
        report: @Sendable (SweepProgress) -> Void
    ) throws {
        /// Counts under the lock and reports there too, so that reports come one at a time, in order.
        func count(_ change: (inout SweepProgress) -> Void) {
            state.update { progress in
                change(&progress)
                report(progress)
            }
        }
        guard let first = points.first else { return }
        // One decomposition for the group; when it cannot be made, each run tries and records why.
        let shared = try? SharedProblem(for: first.specification)
        if shared != nil { count { $0.decompositions += 1 } }
        for point in points {
            do {
                let outcome = try Runner.run(
                    point.specification, store: store, interruption: interruption, shared: shared, deferred: true)
                if let error = outcome.recordingError {
                    // The store cannot take runs: no point in computing the rest.
                    count { $0.failed += 1 }
                    throw error
                }
                count { $0.finished += 1 }
            } catch let error as StoreError {
                throw error
            } catch {
                count {
                    $0.failed += 1
                    $0.failures["\(error)", default: 0] += 1
                }
            }
        }
    }
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    /// Changes the value and returns what `change` returns, under the lock.
    func update<Result>(_ change: (inout Value) -> Result) -> Result { lock.withLock { change(&stored) } }
}
