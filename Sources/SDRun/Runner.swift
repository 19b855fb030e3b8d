import SDEngine
import SDJSON
import SDSpec
import SDStore

/// What running a specification gave: the run as the engine left it (its spectrum, checks
/// and collapse), its rounds, its configuration, and where it was recorded.
public struct RunOutcome: Sendable {
    /// The configuration recorded (canonical JSON).
    public let configuration: JSONValue
    public let distillation: Distillation
    public let rounds: [Round]
    /// The recorded run's ID, nil when it was not recorded.
    public let runID: String?
    /// Why recording stopped part way (a lock held too long, a full disk, the row deleted by
    /// another process), when it did. The run was computed to its end all the same; it is
    /// stored as failed with this reason if the database could still be written.
    public let recordingError: StoreError?
}

/// The message a run that could not be recorded to its end is stored (failed) with.
struct RecordingFailure: Error, CustomStringConvertible {
    let error: StoreError
    var description: String { "recording failed: \(error.message)" }
}

/// Runs specifications: loads the data, decomposes the kernel's Gram matrix once, distils
/// round after round and records the run as it goes (`RunRecorder`): its row before any
/// computation, then its spectra, each round, and its end, finished or failed.
public enum Runner {
    /// Runs `specification`, recording it in `store` unless nil. `progress` hears the set-up
    /// stages (Gram matrix, eigendecomposition, held-out kernel rows). A failure of the
    /// engine (an infeasible eps, say) is recorded as the run's failure and thrown.
    /// With `interruption`, SIGINT and SIGTERM end the recorded run as failed ("interrupted").
    /// `shared`, the decomposition made for another run of the same data and kernel request (a
    /// sweep's runs that differ only in eps, c or rounds), is used instead of decomposing again,
    /// and its resolved kernel instead of resolving again (a default length scale is the median
    /// of K^2 / 2 distances, as long as a small run). Throws `SharedProblem.Mismatch` when it
    /// was made for other data or another kernel. `deferred` writes the spectrum and rounds
    /// with the run's end, in one transaction (`LiveRun`): a sweep's many short runs.
    public static func run(
        _ specification: RunSpecification, store: RunStore?,
        progress: (DistillationStage) -> Void = { _ in }, interruption: Interruption? = nil,
        shared: SharedProblem? = nil, deferred: Bool = false
    ) throws -> RunOutcome {
        if let shared, shared.data != specification.data || shared.kernel != specification.kernel {
            throw SharedProblem.Mismatch()
        }
        let problem = shared?.problem
        let prepared = try PreparedRun(specification, resolvedKernel: problem?.kernel)
        let (dataset, kernel, mode, eps) = (prepared.dataset, prepared.kernel, prepared.mode, prepared.eps)
        let configuration = prepared.configuration
        let recorder = try store.map { store throws(StoreError) in
            try RunRecorder.start(
                store: store, dataset: dataset, kernel: kernel, mode: mode, eps: eps,
                configuration: configuration.serialized(), seed: specification.data.seed,
                noise: specification.data.resolvedNoise, labels: specification.labels, deferred: deferred)
        }
        if let recorder { interruption?.track(recorder) }
        defer { if let recorder { interruption?.untrack(recorder) } }
        var distillation: Distillation
        do {
            distillation = try prepared.distillation(problem: problem, progress: progress)
        } catch {
            try recorder?.fail(error, run: nil)
            throw error
        }
        // A recording failure stops the recording, not the run: the results are still computed
        // and printed, and the run is stored as failed with the reason if the store can write.
        var recordingError: StoreError?
        func record(_ body: (RunRecorder) throws -> Void) {
            guard let recorder, recordingError == nil else { return }
            do {
                try body(recorder)
            } catch {
                let failure = (error as? StoreError) ?? StoreError(.sqlite, "\(error)")
                recordingError = failure
                try? recorder.fail(RecordingFailure(error: failure), run: distillation)
            }
        }
        record { try $0.record(distillation.spectrum) }
        var rounds = [Round]()
        while let round = distillation.next() {
            rounds.append(round)
            record { try $0.record(round) }
        }
        if let failure = distillation.failure {
            // A round double precision could not compute: the run fails with the rounds it has.
            record { try $0.fail(failure, run: distillation) }
            throw failure
        }
        record { try $0.finish(distillation) }
        return RunOutcome(
            configuration: configuration, distillation: distillation, rounds: rounds,
            runID: recorder?.id, recordingError: recordingError)
    }
}

/// A decomposition shared by runs that differ only in eps, c or rounds, with what it was made
/// from, so that a run of other data or another kernel cannot use it by mistake.
public struct SharedProblem: Sendable {
    public let data: DataSpecification
    public let kernel: KernelRequest
    public let problem: KernelProblem

    /// The decomposition of `specification`'s data and kernel.
    public init(for specification: RunSpecification, progress: (DistillationStage) -> Void = { _ in }) throws {
        data = specification.data
        kernel = specification.kernel
        problem = try PreparedRun(specification).problem(progress: progress)
    }

    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String { "a shared decomposition was made for other data or another kernel" }
    }
}

/// A specification made ready to run, before anything is recorded or decomposed: validated,
/// its data loaded (and checked to fit in memory), its kernel and eps resolved against the
/// training points. `Runner` runs it; `Recomputation` computes a recorded run again from it.
struct PreparedRun {
    let specification: RunSpecification
    let loaded: LoadedData
    let kernel: Kernel
    let mode: DistillationMode
    /// The resolved eps, nil in fixed-c mode.
    let eps: Double?

    /// `resolvedKernel`: the kernel as resolved for these data already (by a shared problem).
    init(_ specification: RunSpecification, resolvedKernel: Kernel? = nil) throws {
        try specification.validate()
        loaded = try specification.data.load()
        // Before any row is written: a run that cannot fit in memory is an error, not a crash.
        try KernelProblem.checkMemory(for: loaded.dataset, solver: specification.solver)
        self.specification = specification
        kernel = resolvedKernel ?? specification.kernel.resolve(for: loaded.dataset.train.points)
        mode = specification.mode.mode
        eps = mode.resolvedEps(labels: loaded.dataset.train.targets)
    }

    var dataset: Dataset { loaded.dataset }

    /// The configuration a run of it records.
    var configuration: JSONValue { specification.configuration(data: loaded, kernel: kernel, eps: eps) }

    /// The run, before its first round: the kernel problem decomposed (its stages reported to
    /// `progress`), or `shared` when given, and the distillation of the mode, at most
    /// `resolvedMaxRounds` rounds.
    func distillation(
        problem shared: KernelProblem? = nil, progress: (DistillationStage) -> Void = { _ in }
    ) throws -> Distillation {
        let problem = try shared ?? self.problem(progress: progress)
        return try Distillation(problem: problem, mode: mode, maxRounds: specification.resolvedMaxRounds)
    }

    /// The decomposition of this run's data and kernel, for runs that share it.
    func problem(progress: (DistillationStage) -> Void = { _ in }) throws -> KernelProblem {
        try KernelProblem(dataset: dataset, kernel: kernel, solver: specification.solver, progress: progress)
    }
}
