import Foundation

/// Summary statistics over seeds. Precision: means and standard deviations are plain sums
/// (runs per group are few); the Student-t quantile is accurate to about 1e-10.
public struct Summary: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (n - 1); nil for a single value.
    public let standardDeviation: Double?
    /// The 95% confidence interval of the mean, mean -/+ t(0.975, n - 1) sd / sqrt(n);
    /// nil for a single value.
    public let interval: ClosedRange<Double>?

    /// nil for no values.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        count = values.count
        // Offset by the first value: equal values then give exactly that mean and sd 0.
        let mean = values[0] + values.reduce(0) { $0 + ($1 - values[0]) } / Double(values.count)
        self.mean = mean
        guard values.count > 1 else {
            standardDeviation = nil
            interval = nil
            return
        }
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        standardDeviation = sd
        let halfWidth =
            Statistics.studentT975(degreesOfFreedom: values.count - 1) * sd / Double(values.count).squareRoot()
        interval = (mean - halfWidth)...(mean + halfWidth)
    }
}

public enum Statistics {
    /// t(0.975, nu), remembered per nu: a best-rounds over thousands of groups asks for the
    /// same few quantiles again and again.
    static func studentT975(degreesOfFreedom nu: Int) -> Double {
        QuantileCache.shared.value(nu) { studentTQuantile(0.975, degreesOfFreedom: Double(nu)) }
    }

    /// The p-quantile of sorted-or-not `values` by linear interpolation between order
    /// statistics (R's type 7, numpy's default); nil for no values.
    public static func quantile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// The p-quantile (0 < p < 1) of Student's t distribution with `degreesOfFreedom` > 0,
    /// by bisection on the CDF.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1 && nu > 0)
        if p < 0.5 { return -studentTQuantile(1 - p, degreesOfFreedom: nu) }
        var low = 0.0, high = 1.0
        while studentTCDF(high, degreesOfFreedom: nu) < p { high *= 2 }
        for _ in 0..<200 where high - low > 1e-13 * high {
            let middle = (low + high) / 2
            if studentTCDF(middle, degreesOfFreedom: nu) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// P(T <= t) for Student's t with `nu` degrees of freedom.
    public static func studentTCDF(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let tail = 0.5 * regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// I_x(a, b) by its continued fraction (modified Lentz), using the symmetry
    /// I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a) }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPower: Double = a * log(x) + b * log(1 - x)
        let front = exp(logPower - logBeta) / a
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d
            if abs(d) < tiny { d = tiny }
            c = 1 + even / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d
            if abs(d) < tiny { d = tiny }
            c = 1 + odd / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return front * result
    }
}

private final class QuantileCache: @unchecked Sendable {
    static let shared = QuantileCache()
    private let lock = NSLock()
    private var values = [Int: Double]()

    func value(_ key: Int, compute: () -> Double) -> Double {
        if let value = lock.withLock({ values[key] }) { return value }
        let value = compute()
        lock.withLock { values[key] = value }
        return value
    }
}
