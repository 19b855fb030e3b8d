import Foundation
import SDEngine
import SDStore

/// Records one run as it computes: the engine's values turned into the store's records.
/// The engine never sees the database and the store never sees the engine; this module is
/// the one place that knows both.
public struct RunRecorder {
    /// How a new run is labelled.
    public struct Labels: Sendable {
        public var experiment: String
        public var tags: [Tag]
        public var note: String?

        public init(experiment: String = "default", tags: [Tag] = [], note: String? = nil) {
            self.experiment = experiment
            self.tags = tags
            self.note = note
        }
    }

    let live: LiveRun

    /// Writes the run's row (status running) before any computation.
    public static func start(store: RunStore, dataset: Dataset, settings: DistillationSettings, eps: Double?,
                             configJSON: String, seed: UInt64, noise: Double?, labels: Labels,
                             sdtrackVersion: String) throws -> RunRecorder {
        var run = RunRecord(id: UUID().uuidString.lowercased(), experiment: labels.experiment, status: .running,
                            source: .sdtrack, createdAt: .now(), host: RunLiveness.currentHost,
                            pid: Int(ProcessInfo.processInfo.processIdentifier), sdtrackVersion: sdtrackVersion,
                            configJSON: configJSON,
                            config: config(dataset: dataset, settings: settings, eps: eps, seed: seed, noise: noise),
                            note: labels.note, tags: labels.tags)
        run.startedAt = run.createdAt
        run.heartbeatAt = run.createdAt
        let zero = dataset.zeroPredictorMSE
        run.zeroPredictor = ZeroPredictorErrors(trainMSE: zero.train, testMSE: zero.test, truthMSE: zero.truth)
        return RunRecorder(live: try LiveRun(store: store, run: run))
    }

    public var id: String { live.id }

    public func record(_ spectrum: Spectrum) throws {
        try live.record(SpectrumRecord(d: spectrum.eigenvalues, z0: spectrum.z0, zeroTolerance: spectrum.zeroTolerance))
    }

    public func record(_ round: Round) throws {
        try live.record(RoundRecord(
            t: round.t, c: round.c, r: round.r, targetNorm: round.targetNorm, trainMSE: round.trainMSE,
            targetMSE: round.targetMSE, testMSE: round.testMSE, truthMSE: round.truthMSE, df: round.degreesOfFreedom,
            gcv: round.gcv, rkhsNorm: round.rkhsNorm))
    }

    public func finish(_ run: Distillation) throws {
        try live.finish(summary: Self.summary(run))
    }

    /// Marks the run failed with `error`'s message; `run` is nil when the engine failed
    /// before it had a spectrum.
    public func fail(_ error: any Error, run: Distillation?) throws {
        try live.fail(error: "\(error)", summary: run.map(Self.summary) ?? RunSummary())
    }

    public static func summary(_ run: Distillation) -> RunSummary {
        var summary = RunSummary()
        summary.r0 = run.r0
        summary.kappa = run.spectrum.conditionNumber
        summary.collapseRound = run.collapseRound
        summary.boundLower = run.collapseBounds?.lower
        summary.boundUpper = run.collapseBounds?.upper
        summary.boundsHeld = run.checks.collapseBounds
        summary.checksHeld = run.checks.allHeld
        return summary
    }

    public static func config(dataset: Dataset, settings: DistillationSettings, eps: Double?, seed: UInt64, noise: Double?) -> RunConfig {
        var config = RunConfig()
        config.dataset = dataset.name
        config.dataSHA256 = dataset.fingerprint
        config.k = dataset.train.count
        config.testSize = dataset.test?.count ?? 0
        config.kernel = settings.kernel.name
        switch settings.kernel {
        case .rbf(let gamma), .laplacian(let gamma): config.gamma = gamma
        case .matern32(let lengthScale), .matern52(let lengthScale): config.lengthScale = lengthScale
        case .polynomial(let degree, let gamma, let coef0):
            config.degree = degree
            config.gamma = gamma
            config.coef0 = coef0
        case .linear: break
        case .ntk(let depth): config.depth = depth
        }
        config.mode = settings.mode.name
        config.eps = eps
        if case .fixedC(let c) = settings.mode { config.c = c }
        config.seed = Int(truncatingIfNeeded: seed)
        config.noise = noise
        return config
    }
}
