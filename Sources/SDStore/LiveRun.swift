import Dispatch
import Foundation

/// A run being recorded as it computes: its row goes in first (status running), then its
/// spectra and rounds as they come, each in its own short transaction, then the end.
/// While it lives, a background heartbeat tells readers on other hosts it is alive.
///
/// `deferred` keeps the spectra and rounds until the end and writes them in its transaction:
/// two transactions a run instead of one a round, for the many short runs of a sweep, whose
/// writes would otherwise take turns with each other's. A run killed part way then has its row
/// and no rounds (it is run again: a sweep resumes), where an interactive run shows its rounds
/// as they come.
public final class LiveRun: Sendable {
    public let id: String
    private let store: RunStore
    private let heartbeat: Heartbeat
    private let pending: PendingRecords?

    /// Inserts `run` (which should have status running) and starts its heartbeat.
    public init(store: RunStore, run: RunRecord, deferred: Bool = false) throws(StoreError) {
        try store.insert(run)
        self.id = run.id
        self.store = store
        self.heartbeat = Heartbeat(store: store, runID: run.id)
        self.pending = deferred ? PendingRecords() : nil
    }

    deinit { heartbeat.stop() }

    public func record(_ spectrum: SpectrumRecord) throws(StoreError) {
        if let pending { return pending.update { $0.spectrum = spectrum } }
        try store.record(spectrum, runID: id)
    }

    public func record(_ round: RoundRecord) throws(StoreError) {
        if let pending { return pending.update { $0.rounds.append(round) } }
        try store.record(round, runID: id)
    }

    public func finish(summary: RunSummary) throws(StoreError) {
        heartbeat.stop()
        try store.end(runID: id, status: .finished, summary: summary, with: pending?.take())
    }

    public func fail(error: String, summary: RunSummary) throws(StoreError) {
        heartbeat.stop()
        try store.end(runID: id, status: .failed, summary: summary, error: error, with: pending?.take())
    }
}

/// What a deferred run has computed and not yet written.
final class PendingRecords: @unchecked Sendable {
    struct Records {
        var spectrum: SpectrumRecord?
        var rounds: [RoundRecord] = []
    }

    private var records = Records()
    private let lock = NSLock()

    func update(_ change: (inout Records) -> Void) { lock.withLock { change(&records) } }

    /// The records, once: a second end (an interruption after a failure) writes none again.
    func take() -> Records {
        lock.withLock {
            defer { records = Records() }
            return records
        }
    }
}

/// Writes a running run's heartbeat_at every `interval` seconds from a background queue
/// (through the store, which serializes it with the run's own writes), so that a long
/// eigendecomposition still looks alive.
final class Heartbeat: @unchecked Sendable {
    /// Well under `RunLiveness.staleAfter`, so that a few missed beats (a busy disk) do not
    /// make a live run look killed.
    static let interval: Double = 15

    private let queue = DispatchQueue(label: "sdtrack.heartbeat")
    private let store: RunStore
    private let runID: String
    // Touched only on `queue`.
    private var timer: DispatchSourceTimer?

    init(store: RunStore, runID: String, interval: Double = Heartbeat.interval) {
        self.store = store
        self.runID = runID
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.beat() }
        self.timer = timer
        timer.resume()
    }

    /// A failed beat is skipped, not reported: the next beat or round retries, and a run
    /// only looks killed after `RunLiveness.staleAfter` seconds without any.
    private func beat() {
        try? store.heartbeat(runID: runID)
    }

    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }
}
