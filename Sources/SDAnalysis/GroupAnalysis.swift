import SDStore

/// Per-round statistics of a metric over the runs of one group.
public struct CurvePoint: Sendable, Equatable {
    public let t: Int
    public let summary: Summary
}

/// How often GCV's best round is the held-out best round, and what trusting it costs.
public struct GCVAgreement: Sendable, Equatable {
    public let runs: Int
    /// Runs whose GCV-best round equals their test-MSE-best round.
    public let agreeing: Int
    /// Mean over runs of test MSE at GCV's round minus test MSE at the best round (>= 0).
    public let meanTestMSELost: Double
    /// The same, relative to each run's best test MSE.
    public let meanRelativeLoss: Double

    /// Several groups' agreements as one, each run weighing the same; nil for none.
    public static func combined(_ all: [GCVAgreement]) -> GCVAgreement? {
        guard !all.isEmpty else { return nil }
        let runs = all.reduce(0) { $0 + $1.runs }
        func weighted(_ value: (GCVAgreement) -> Double) -> Double {
            all.reduce(0) { $0 + value($1) * Double($1.runs) } / Double(runs)
        }
        return GCVAgreement(
            runs: runs, agreeing: all.reduce(0) { $0 + $1.agreeing },
            meanTestMSELost: weighted(\.meanTestMSELost), meanRelativeLoss: weighted(\.meanRelativeLoss))
    }
}

/// best-rounds' answer for one group of runs.
public struct GroupAnalysis: Sendable {
    /// The group's key: a JSON text (see `RunSeries.group`).
    public let group: String
    public let metric: String
    public let maximize: Bool
    public let runIDs: [String]
    /// The mean curve, rounds 0...horizon.
    public let curve: [CurvePoint]
    /// t*: the best round of the mean curve (the first on ties).
    public let bestRound: Int
    public var atBest: Summary { curve[bestRound].summary }
    public var atRoundZero: Summary { curve[0].summary }
    /// Each run's own best round over the same rounds.
    public let runBestRounds: [Int]
    /// The collapse round of each run that collapsed.
    public let collapseRounds: [Int]
    /// Whether docs/math.md 4.2's bounds held in every run that judged them; nil if none did.
    public let boundsHeldEverywhere: Bool?
    public let gcvAgreement: GCVAgreement?

    /// The relative improvement of t* over round 0 (positive is better); nil when round 0's
    /// mean is 0.
    public var gain: Double? {
        let zero = atRoundZero.mean, best = atBest.mean
        guard zero != 0 else { return nil }
        return (maximize ? best - zero : zero - best) / abs(zero)
    }

    /// nil when some run has no value at round 0.
    init?(group: String, series: [RunSeries], metric: String, maximize: Bool) {
        let curves = series.map { RunCurve($0, metric: metric) }
        guard let horizon = RunCurve.horizon(curves) else { return nil }
        self.group = group
        self.metric = metric
        self.maximize = maximize
        runIDs = series.map(\.runID)
        let runs = curves.map { $0.values(through: horizon) }
        curve = (0...horizon).map { t in CurvePoint(t: t, summary: Summary(runs.map { $0[t] })!) }
        bestRound = RunCurve.bestRound(curve.map(\.summary.mean), maximize: maximize)
        runBestRounds = runs.map { RunCurve.bestRound($0, maximize: maximize) }
        collapseRounds = series.compactMap(\.collapseRound)
        let judged = series.compactMap(\.boundsHeld)
        boundsHeldEverywhere = judged.isEmpty ? nil : judged.allSatisfy { $0 }
        // The metric's curves are one of the two by default: not made twice.
        func curvesOf(_ name: String) -> [RunCurve] {
            name == metric ? curves : series.map { RunCurve($0, metric: name) }
        }
        gcvAgreement = Self.gcvAgreement(gcv: curvesOf(RoundMetric.gcv.name), test: curvesOf(RoundMetric.testMSE.name))
    }

    /// Compares the round GCV picks with the held-out best round in each run; nil unless every
    /// run of the group has both at round 0. A run whose best held-out error is 0 adds 0 to
    /// the relative loss (it cannot be scaled) and still counts in the mean.
    static func gcvAgreement(gcv: [RunCurve], test: [RunCurve]) -> GCVAgreement? {
        guard let gcvHorizon = RunCurve.horizon(gcv), let testHorizon = RunCurve.horizon(test) else { return nil }
        let horizon = min(gcvHorizon, testHorizon)
        var agreeing = 0, lost = 0.0, relative = 0.0
        for (gcvCurve, testCurve) in zip(gcv, test) {
            let testValues = testCurve.values(through: horizon)
            let byGCV = RunCurve.bestRound(gcvCurve.values(through: horizon), maximize: false)
            let byTest = RunCurve.bestRound(testValues, maximize: false)
            if byGCV == byTest { agreeing += 1 }
            let best = testValues[byTest], chosen = testValues[byGCV]
            lost += chosen - best
            relative += best > 0 ? (chosen - best) / best : 0
        }
        let n = Double(test.count)
        return GCVAgreement(
            runs: test.count, agreeing: agreeing, meanTestMSELost: lost / n, meanRelativeLoss: relative / n)
    }
}
