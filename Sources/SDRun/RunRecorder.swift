import Foundation
import SDEngine
import SDSpec
import SDStore

/// Records one run as it computes: the engine's values turned into the store's records.
/// The engine never sees the database and the store never sees the engine; this module is
/// the one place that knows both.
public struct RunRecorder: Sendable {
    let live: LiveRun

    /// Writes the run's row (status running) before any computation. `configuration` is the
    /// run's configuration JSON (`RunSpecification.configuration`). `deferred` writes the
    /// spectrum and rounds with the end (`LiveRun`), for a sweep's short runs.
    public static func start(
        store: RunStore, dataset: Dataset, kernel: Kernel, mode: DistillationMode, eps: Double?,
        configuration: String, seed: UInt64, noise: Double?,
        labels: RunLabels, deferred: Bool = false
    ) throws(StoreError) -> RunRecorder {
        var run = RunRecord(
            id: UUID().uuidString.lowercased(), experiment: labels.experiment, status: .running,
            source: .sdtrack, createdAt: .now(), host: RunLiveness.currentHost,
            pid: Int(ProcessInfo.processInfo.processIdentifier), sdtrackVersion: sdtrackVersion,
            configJSON: configuration,
            config: config(
                dataset: dataset, kernel: kernel, mode: mode, eps: eps, seed: seed,
                noise: noise),
            note: labels.note, tags: labels.tags)
        run.startedAt = run.createdAt
        run.heartbeatAt = run.createdAt
        run.zeroPredictor = zeroPredictor(dataset)
        return RunRecorder(live: try LiveRun(store: store, run: run, deferred: deferred))
    }

    public var id: String { live.id }

    public func record(_ spectrum: Spectrum) throws(StoreError) {
        try live.record(SpectrumRecord(d: spectrum.eigenvalues, z0: spectrum.z0, zeroTolerance: spectrum.zeroTolerance))
    }

    public func record(_ round: Round) throws(StoreError) {
        try live.record(Self.roundRecord(round))
    }

    public func finish(_ run: Distillation) throws(StoreError) {
        try live.finish(summary: Self.summary(run))
    }

    /// Marks the run failed with `error`'s message; `run` is nil when the engine failed
    /// before it had a spectrum.
    public func fail(_ error: any Error, run: Distillation?) throws(StoreError) {
        try live.fail(error: "\(error)", summary: run.map(Self.summary) ?? Self.blasSummary())
    }

    /// The errors of f = 0 on the data set: every metric's value from a collapse on.
    public static func zeroPredictor(_ dataset: Dataset) -> ZeroPredictorErrors {
        let zero = dataset.zeroPredictorMSE
        return ZeroPredictorErrors(trainMSE: zero.train, testMSE: zero.test, truthMSE: zero.truth)
    }

    /// A round as the store keeps it.
    public static func roundRecord(_ round: Round) -> RoundRecord {
        RoundRecord(
            t: round.t, c: round.c, r: round.r, targetNorm: round.targetNorm, trainMSE: round.trainMSE,
            targetMSE: round.targetMSE, testMSE: round.testMSE, truthMSE: round.truthMSE,
            df: round.degreesOfFreedom, gcv: round.gcv, rkhsNorm: round.rkhsNorm)
    }

    public static func summary(_ run: Distillation) -> RunSummary {
        var summary = blasSummary()
        summary.r0 = run.r0
        summary.kappa = run.spectrum.conditionNumber
        summary.collapseRound = run.collapseRound
        summary.boundLower = run.collapseBounds?.lower
        summary.boundUpper = run.collapseBounds?.upper
        summary.boundsHeld = run.checks.collapseBounds
        summary.checksHeld = run.checks.allHeld
        summary.warning = run.warning
        summary.solver = run.spectrum.path.rawValue
        summary.solverRank = run.spectrum.resolvedCount
        summary.solverErrorBound = run.spectrum.errorBound
        summary.cSensitivity = run.r0 == nil ? nil : run.sensitivity
        return summary
    }

    /// A summary with only the OpenBLAS core and its thread count now (a sweep's jobs change the
    /// count): with the build and the input, what makes the run's numbers reproducible.
    public static func blasSummary() -> RunSummary {
        var summary = RunSummary()
        let blas = BLASCore.current
        summary.blasCore = blas.name
        summary.blasThreads = blas.threads
        return summary
    }

    /// The configuration columns of a run: what it used, whatever was asked.
    public static func config(
        dataset: Dataset, kernel: Kernel, mode: DistillationMode, eps: Double?, seed: UInt64,
        noise: Double?
    ) -> RunConfig {
        var config = RunConfig()
        config.dataset = dataset.name
        config.dataSHA256 = dataset.fingerprint
        config.k = dataset.train.count
        config.testSize = dataset.test?.count ?? 0
        config.kernel = kernel.name
        // The engine's parameters and the configuration columns share their names.
        for (parameter, value) in kernel.parameters {
            guard let column = ConfigColumn(rawValue: parameter.rawValue) else { continue }
            config[column] = parameter.isInteger ? .integer(Int(value)) : .real(value)
        }
        config.mode = mode.name
        config.eps = eps
        if case .fixedC(let c) = mode { config.c = c }
        config.seed = Int(exactly: seed)  // a specification keeps it within Int
        config.noise = noise
        return config
    }
}
