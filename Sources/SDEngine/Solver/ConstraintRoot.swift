import Foundation

/// The Lagrange constant c_t of one round: the unique root of
///
///     h(c) = (1/K) sum_k (c z[k] / (c + d_k))^2 - eps
///
/// (docs/math.md section 2). h is continuous and strictly increasing in c. Components with
/// d_k = 0 contribute the constant z[k]^2, so with eps' = eps - (1/K) sum_{d_k=0} z[k]^2 and
/// r' = ||z_+|| / sqrt(K eps') over the other components, the root lies in
/// [d_min+ / (r' - 1), d_max / (r' - 1)], d_min+ the smallest positive eigenvalue. Without
/// zero eigenvalues this is docs/math.md's bracket [d_min / (r - 1), d_max / (r - 1)].
///
/// nil when there is no root to find in double precision: eps' <= 0 (infeasible), r' <= 1
/// (collapsed), or a bracket that is not a finite positive interval (values beyond double
/// range, eps too small for its data). The caller checks collapse and feasibility first; this
/// catches what rounding lets through.
/// The root is found by Newton's method in u = log c, safeguarded by bisection of the
/// bracket, until the bracket is a few ulps of u wide or a step changes u by less than 4
/// ulps; then Newton steps in c itself polish it while |h| falls, because an ulp of
/// log c is |log c| ulps of c. The result zeroes h to the rounding error of evaluating h.
public struct ConstraintRoot: Sendable {
    public let c: Double
    public let bracket: ClosedRange<Double>

    /// `pointCount` is K, which is d.count except on the low-rank path, whose last component
    /// stands for all K - r zero eigenvalues.
    public init?(eigenvalues d: [Double], z: [Double], eps: Double, pointCount: Int) {
        let k = Double(pointCount)
        var zeroMass = 0.0, positiveNormSquared = 0.0
        var smallestPositive = Double.infinity
        for (dk, zk) in zip(d, z) {
            if dk == 0 {
                zeroMass += zk * zk
            } else {
                positiveNormSquared += zk * zk
                smallestPositive = min(smallestPositive, dk)
            }
        }
        let reducedEps = eps - zeroMass / k
        guard reducedEps > 0, smallestPositive.isFinite else { return nil }
        let r = (positiveNormSquared / (k * reducedEps)).squareRoot()
        guard r > 1, r.isFinite else { return nil }
        let (lower, upper) = (smallestPositive / (r - 1), d[0] / (r - 1))
        guard lower.isNormal, upper.isFinite, lower <= upper else { return nil }
        let bracket = lower...upper
        self.bracket = bracket

        // phi(u) = h(e^u); phi'(u) = (2/K) sum c^2 z^2 d / (c + d)^3 > 0.
        func phi(_ u: Double) -> (value: Double, slope: Double) {
            let c = exp(u)
            var value = 0.0, slope = 0.0
            for (dk, zk) in zip(d, z) {
                let q = c / (c + dk)
                let w = q * zk
                value += w * w
                slope += w * w * (1 - q)
            }
            return (value / k - eps, 2 * slope / k)
        }
        var low = log(bracket.lowerBound), high = log(bracket.upperBound)
        var u = 0.5 * (low + high)
        for _ in 0..<200 {
            let (value, slope) = phi(u)
            if value == 0 { break }
            if value < 0 { low = u } else { high = u }
            if high - low <= 4 * Double.ulpOfOne * max(abs(low), abs(high), 1) { break }
            var next = u - value / slope
            if !(next > low && next < high) { next = 0.5 * (low + high) }
            if abs(next - u) <= 4 * Double.ulpOfOne * max(abs(u), 1) {
                u = next
                break
            }
            u = next
        }
        var c = min(max(exp(u), bracket.lowerBound), bracket.upperBound)
        var (value, slope) = phi(log(c))
        for _ in 0..<3 where value != 0 {
            let polished = c * (1 - value / slope)  // c - h(c) / h'(c), as slope = c h'(c)
            let next = phi(log(polished))
            guard polished > 0, abs(next.value) < abs(value) else { break }
            (c, value, slope) = (polished, next.value, next.slope)
        }
        guard c.isNormal else { return nil }
        self.c = c
    }
}
