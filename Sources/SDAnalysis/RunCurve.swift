import SDStore

/// One run's metric by round, extended past its collapse.
///
/// From its collapse round T on a run's model is the zero function (math.md 2: f_t = 0 once
/// r_t <= 1), so its metric at every round t >= T is the zero predictor's: test MSE = mean of
/// y^2 over the held-out set, truth MSE = mean of the truth squared, train MSE and GCV =
/// (1/K) ||y_0||^2 (df = 0), df = RKHS norm = 0. A run that stopped at its round cap without
/// collapsing has no value beyond its last round.
struct RunCurve {
    let collapseRound: Int?
    /// Round t at startIndex + t; NaN where a round lacks the value.
    private let recorded: ArraySlice<Double>
    private let zeroValue: Double?

    init(_ series: RunSeries, metric: String) {
        collapseRound = series.collapseRound
        recorded = series.values(of: metric) ?? []
        zeroValue = collapseRound == nil ? nil : Self.zeroValue(of: metric, zero: series.zeroPredictor)
    }

    static func zeroValue(of metric: String, zero: ZeroPredictorErrors) -> Double? {
        switch metric {
        case "test_mse": zero.testMSE
        case "truth_mse": zero.truthMSE
        case "train_mse", "gcv": zero.trainMSE
        case "df", "rkhs_norm", "target_norm", "target_mse": 0
        default: nil
        }
    }

    /// The last round t such that the run has a value at every round 0...t; nil when it has
    /// none at round 0; Int.max when it collapsed (its value is known at every round).
    var lastDefinedRound: Int? {
        let collapse = zeroValue == nil ? nil : collapseRound
        var t = 0
        while t < (collapse ?? recorded.count), t < recorded.count, !recorded[recorded.startIndex + t].isNaN { t += 1 }
        if let collapse, t >= collapse { return Int.max }
        return t == 0 ? nil : t - 1
    }

    func value(at t: Int) -> Double? {
        if let collapse = collapseRound, let zeroValue, t >= collapse { return zeroValue }
        guard t < recorded.count else { return nil }
        let value = recorded[recorded.startIndex + t]
        return value.isNaN ? nil : value
    }

    /// The values at rounds 0...horizon, for a horizon from `horizon(_:)` (so every one is
    /// defined).
    func values(through horizon: Int) -> [Double] {
        (0 ... horizon).map { value(at: $0)! }
    }

    /// The index of the best of `values` (the first on ties).
    static func bestRound(_ values: [Double], maximize: Bool) -> Int {
        var best = 0
        for t in values.indices where maximize ? values[t] > values[best] : values[t] < values[best] { best = t }
        return best
    }

    /// The rounds a group of runs can be compared over: 0 through the last round at which
    /// every run has a value. Collapsed runs have one at every round, so a group of collapsed
    /// runs ends at its latest collapse (all zero predictors from there on). nil when some
    /// run lacks round 0.
    static func horizon(_ curves: [RunCurve]) -> Int? {
        var horizon = Int.max
        for curve in curves {
            guard let last = curve.lastDefinedRound else { return nil }
            horizon = min(horizon, last)
        }
        if horizon == Int.max { horizon = curves.compactMap(\.collapseRound).max() ?? 0 }
        return horizon
    }
}
