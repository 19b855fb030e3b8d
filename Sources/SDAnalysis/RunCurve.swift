import SDStore

/// One run's metric by round, extended past its collapse (docs/math.md section 7).
///
/// From its collapse round T on a run's model is the zero function, so its metric at every
/// round t >= T is the zero predictor's (`RoundMetric.zeroPredictorValue`). A run that
/// stopped at its round cap without collapsing has no value beyond its last round.
public struct RunCurve: Sendable {
    public let collapseRound: Int?
    /// Round t at startIndex + t; NaN where a round lacks the value.
    private let recorded: ArraySlice<Double>
    private let zeroValue: Double?

    /// `values[t]` is the metric at round t, NaN where the round lacks it; `zeroValue` the
    /// metric of the zero function (nil when the metric has none: the curve then ends at the
    /// last recorded round even after a collapse).
    public init(values: ArraySlice<Double>, collapseRound: Int?, zeroValue: Double?) {
        self.collapseRound = collapseRound
        recorded = values
        self.zeroValue = collapseRound == nil ? nil : zeroValue
    }

    init(_ series: RunSeries, metric: String) {
        self.init(
            values: series.values(of: metric) ?? [], collapseRound: series.collapseRound,
            zeroValue: RoundMetric(rawValue: metric)?.zeroPredictorValue(series.zeroPredictor))
    }

    /// The run's own best round, found as best-rounds finds each run's: over rounds 0 through
    /// its horizon (its collapse round when it collapsed, where the zero predictor counts), the
    /// first on ties; nil when it has no value at round 0.
    public func bestRound(maximize: Bool) -> Int? {
        guard let horizon = Self.horizon([self]) else { return nil }
        return Self.bestRound(values(through: horizon), maximize: maximize)
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
        (0...horizon).map { value(at: $0)! }
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
