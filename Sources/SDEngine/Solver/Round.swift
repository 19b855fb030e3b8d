/// Everything docs/math.md section 3 records for round t, the fit f_t to the targets y_t.
public struct Round: Sendable, Equatable {
    /// The round index, 0 for the fit to the labels.
    public let t: Int
    /// c_t: the Lagrange constant (eps mode) or the fixed constant.
    public let c: Double
    /// The bracket c_t was solved in (eps mode only).
    public let bracket: ClosedRange<Double>?
    /// ||y_t||.
    public let targetNorm: Double
    /// r_t = ||y_t|| / sqrt(K eps) (eps mode only).
    public let r: Double?
    /// (1/K) ||f_t(X) - y_0||^2.
    public let trainMSE: Double
    /// (1/K) ||f_t(X) - y_t||^2: equals eps in eps mode (a check, not a metric).
    public let targetMSE: Double
    /// Mean squared error on the held-out set, when there is one.
    public let testMSE: Double?
    /// Mean squared error against the noiseless function on its grid (synthetic data).
    public let truthMSE: Double?
    /// df_t = trace of the smoother S_t = sum_k B_t[k].
    public let degreesOfFreedom: Double
    /// GCV_t = trainMSE / (1 - df_t / K)^2, treating c_0..c_t as fixed.
    public let gcv: Double
    /// R(f_t) = (1/K) sum_k d_k z_t[k]^2 / (c_t + d_k)^2.
    public let rkhsNorm: Double
}

extension Array where Element == Round {
    /// The t of the round with the smallest `metric` (the first on ties), or nil when no
    /// round has the metric.
    public func bestRound(by metric: (Round) -> Double?) -> Int? {
        var best: (t: Int, value: Double)?
        for round in self {
            guard let value = metric(round), value.isFinite else { continue }
            if best == nil || value < best!.value { best = (round.t, value) }
        }
        return best?.t
    }
}
