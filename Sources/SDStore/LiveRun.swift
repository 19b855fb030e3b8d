import Dispatch

/// A run being recorded as it computes: its row goes in first (status running), then its
/// spectra and rounds as they come, each in its own short transaction, then the end.
/// While it lives, a background heartbeat tells readers on other hosts it is alive.
public final class LiveRun: Sendable {
    public let id: String
    private let store: RunStore
    private let heartbeat: Heartbeat

    /// Inserts `run` (which should have status running) and starts its heartbeat.
    public init(store: RunStore, run: RunRecord) throws(StoreError) {
        try store.insert(run)
        self.id = run.id
        self.store = store
        self.heartbeat = Heartbeat(store: store, runID: run.id)
    }

    deinit { heartbeat.stop() }

    public func record(_ spectrum: SpectrumRecord) throws(StoreError) {
        try store.record(spectrum, runID: id)
    }

    public func record(_ round: RoundRecord) throws(StoreError) {
        try store.record(round, runID: id)
    }

    public func finish(summary: RunSummary) throws(StoreError) {
        heartbeat.stop()
        try store.end(runID: id, status: .finished, summary: summary)
    }

    public func fail(error: String, summary: RunSummary) throws(StoreError) {
        heartbeat.stop()
        try store.end(runID: id, status: .failed, summary: summary, error: error)
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
