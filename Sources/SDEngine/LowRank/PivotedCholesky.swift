import Foundation

/// A low-rank factorization G ~ F F^T of the scaled Gram matrix G[j,k] = scale * g(x_j, x_k)
/// (scale = 1/K in the solver, docs/math.md section 1) by pivoted Cholesky, without forming G.
///
/// The algorithm (greedy pivoting, e.g. Harbrecht, Peters & Schneider 2012). Keep the
/// residual diagonal e_i = G_ii - sum_j F[i,j]^2, starting from diag(G). Step m picks the
/// pivot p_m = argmax e_i, evaluates column p_m of G (`Kernel.column`), subtracts the previous
/// columns' contribution F[:, 0..<m] F[p_m, 0..<m]^T (one dgemv), and divides by the square
/// root of the pivot's fresh residual: F[:, m] = c / sqrt(c[p_m]). Then e_i -= F[i,m]^2. The
/// entries of F at earlier pivots are set to exactly 0, so F[P, :] (the rows at the pivots,
/// in pivot order) is lower triangular with positive diagonal. Each pivot column is reproduced:
/// (F F^T)[:, p] = G[:, p] up to rounding.
///
/// Stopping rule. tau = trace(G - F F^T) = sum_i e_i is the discarded trace. E = G - F F^T is
/// the Schur complement, positive semi-definite, so ||E||_2 <= tau, and by Weyl's inequality
/// every eigenvalue of F F^T is within tau of G's (the k-th of F F^T, 0 beyond rank r, against
/// the k-th of G). The factorization stops at the first r with tau <= `relativeTolerance` *
/// lambda, where lambda is a lower bound of G's largest eigenvalue: the largest of max_i G_ii,
/// max_j ||F[:, j]||^2 and lambda_max(F^T F), all <= lambda_max(G) because F F^T <= G (the
/// last is computed, by dsyrk and dsyevr, only when it could decide the stop: when tau <=
/// relativeTolerance * trace(F F^T), and then at ranks growing by a quarter). The default
/// relative tolerance 4 eps_mach puts tau at the dense eigensolver's own noise level (a few
/// eps_mach d_max).
///
/// Precision of tau: it is summed from the residual diagonal each step, never as trace(G)
/// minus the captured trace (a difference of two numbers near trace(G), wrong by
/// eps_mach * trace(G), which can be the whole tolerance). Each e_i carries the rounding of
/// its subtractions, at most about eps_mach * G_ii and random in sign; entries that rounding
/// takes below 0 count as 0, which keeps tau >= 0 and errs on the safe side. In practice that
/// floor is far below the tolerance (an rbf of bandwidth 0.003 at K = 20,000, trace(G) = 120
/// lambda_max, converged to tau = 0.03 eps_mach trace(G)); were it not, tau would stop
/// falling and the factorization would give up (`slowDecay`) rather than stop early. At
/// K = 2000 the tests check ||G - F F^T||_2 <= tau densely; at an exact rank (polynomial
/// kernels) the residual is rounding alone, not semi-definite, and its norm is instead a few
/// eps_mach lambda_max. A pivot whose fresh residual c[p] is <= 0 (rounding, beyond the
/// numerical rank) is not taken: e_p is set to 0 and the next is tried.
///
/// Cost: r kernel columns (r K kernel evaluations) and r dgemv's, O(K r^2) flops; memory
/// O(K r): F (K r doubles, grown by doubling) and three K-vectors.
public struct PivotedCholesky: Sendable {
    public let kernel: Kernel
    /// The factor the kernel values are multiplied by (1/K for the solver's G).
    public let scale: Double
    /// K, the number of points.
    public let count: Int
    /// F, column-major K x r: column j is the j-th Cholesky column, pivot `pivots[j]`.
    public let factor: [Double]
    /// p_1..p_r, distinct indices into the points, in the order they were chosen.
    public let pivots: [Int]
    /// The points at `pivots`, in pivot order (what predictions at new points need).
    public let pivotPoints: Points
    /// tau = trace(G - F F^T) >= ||G - F F^T||_2, the sum of the residual diagonal.
    public let discardedTrace: Double
    /// The lower bound of lambda_max(G) the stopping rule used.
    public let eigenvalueLowerBound: Double
    public let relativeTolerance: Double
    /// trace(G) = sum_i scale * g(x_i, x_i).
    public let trace: Double

    /// r, the number of columns of F.
    public var rank: Int { pivots.count }
    /// relativeTolerance * eigenvalueLowerBound: the bound tau met.
    public var tolerance: Double { relativeTolerance * eigenvalueLowerBound }
    /// F[P, :], the r x r lower triangular matrix of F's rows at the pivots, column-major:
    /// L_P[j, l] = F[p_j, l], with L_P[j, j] = sqrt(pivot value) > 0 and zeros above.
    public var pivotRows: [Double] {
        let r = rank
        var rows = [Double](repeating: 0, count: r * r)
        for l in 0..<r {
            for j in l..<r { rows[l * r + j] = factor[l * count + pivots[j]] }
        }
        return rows
    }

    /// 4 eps_mach: tau within a few rounding errors of lambda_max, the dense solver's noise.
    public static let defaultRelativeTolerance = 4 * Double.ulpOfOne

    public enum Outcome: Sendable {
        case converged(PivotedCholesky)
        case gaveUp(GiveUp)
    }

    /// Why and where a factorization stopped without meeting its tolerance.
    public struct GiveUp: Sendable, Equatable {
        public enum Reason: Sendable, Equatable {
            /// The next column would have exceeded `maxRank`.
            case rankLimit
            /// tau decays like a power of the rank, not faster, and extrapolating that power
            /// needs more than twice `maxRank` columns (capped at Int32.max, which it also is
            /// when tau stopped falling): an algebraically decaying spectrum (laplacian,
            /// matern32, short matern52 length scales) or a tolerance below the rounding floor.
            case slowDecay(projectedRank: Int)
        }
        public let reason: Reason
        /// Columns computed before giving up.
        public let columns: Int
        public let discardedTrace: Double
        /// The tau the factorization was aiming for (relativeTolerance times the bound then).
        public let target: Double
        /// Wall-clock time spent, seconds.
        public let seconds: Double
    }

    /// A progress report: at most one every `progressInterval` seconds (0.1 by default).
    public struct Progress: Sendable {
        public let rank: Int
        public let discardedTrace: Double
        public let target: Double
        /// The rank at which log tau, extrapolated along its recent slope, reaches the target.
        public let projectedRank: Int?
        /// The fraction of the work done, estimated from `projectedRank` and the cost of a
        /// column (a kernel column plus a dgemv of growing width); 0 before a projection exists,
        /// never less than in an earlier report.
        public let fraction: Double
    }

    /// The columns computed before the slow-decay test may give up.
    static let minimumColumnsBeforeGivingUp = 16

    /// Factorizes G = scale * g(points, points) to tau <= relativeTolerance * lambda (type doc),
    /// calling `progress` before a column at most every `progressInterval` seconds.
    ///
    /// Gives up (`.gaveUp`) when rank `maxRank` is reached without meeting the tolerance, and,
    /// when `givesUpEarly`, from 16 columns on, as soon as the decay looks algebraic and too
    /// slow: with a = -d log tau / d log m fitted on columns [m/2, m], if a is not growing (at
    /// most 1.1 times its value on [m/4, m/2]) and m (tau / (relativeTolerance trace(G)))^(1/a),
    /// the rank a power law would need (with lambda_max's upper bound trace(G), so optimistic),
    /// exceeds 2 maxRank. A growing a (a plateau of equal eigenvalues, as for a narrow rbf, or a
    /// super-algebraic tail) never gives up early: linear or power-law extrapolation would
    /// overestimate its rank there. Measured: laplacian (bandwidth 0.1) gives up after 32
    /// columns at any K (0.08 s at K = 200,000); an rbf of bandwidth 0.003 (rank 1344 at
    /// K = 20,000) does not. A G of exact rank r < maxRank converges at r with tau at rounding
    /// level; G = 0 converges at rank 0. Throws .invalidParameter for maxRank < 0 or a scale
    /// that is not finite and positive, and .numerical for a kernel value that is not finite.
    public static func factorize(
        _ points: Points, kernel: Kernel, scale: Double, maxRank: Int,
        relativeTolerance: Double = defaultRelativeTolerance, givesUpEarly: Bool = true,
        progressInterval: Double = 0.1, progress: (Progress) -> Void = { _ in }
    ) throws(EngineError) -> Outcome {
        guard maxRank >= 0 else { throw EngineError(.invalidParameter, "maxRank must be >= 0 (got \(maxRank))") }
        guard scale.isFinite, scale > 0 else {
            throw EngineError(.invalidParameter, "the Gram scale must be finite and positive (got \(scale))")
        }
        guard relativeTolerance.isFinite, relativeTolerance >= 0 else {
            throw EngineError(
                .invalidParameter, "the relative tolerance must be finite and >= 0 (got \(relativeTolerance))")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var lastReport = start
        let k = points.count
        let diagonal = kernel.diagonal(points, scale: scale)
        guard diagonal.allSatisfy({ $0.isFinite }) else { throw overflow(kernel) }
        let trace = diagonal.reduce(0) { $0 + max($1, 0) }
        var residual = diagonal.map { max($0, 0) }
        var lambda = residual.max() ?? 0
        var tau = trace
        var factor = [Double]()
        factor.reserveCapacity(k * min(max(maxRank, 1), 32))
        var pivots = [Int]()
        var logTau = [Double]()  // log tau after m columns, m = 0, 1, ...
        var capturedTrace = 0.0  // trace(F F^T), an upper bound of lambda_max(F F^T)
        var nextEigenCheck = 1
        var reportedFraction = 0.0
        var column = [Double](repeating: 0, count: k)
        let columnCost = 8 + 8 * Double(points.dimension)  // a kernel evaluation in multiply-adds

        func elapsed() -> Double {
            let duration = clock.now - start
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        func work(_ m: Double) -> Double { m * columnCost + m * m / 2 }
        // log tau's recent slope, extrapolated to `goal`: the rank at which it gets there.
        func projectedRank(_ goal: Double) -> Int? {
            let m = logTau.count - 1
            guard m >= 4, tau > 0 else { return nil }
            let window = max(4, m / 4)
            let slope = (logTau[m] - logTau[m - window]) / Double(window)
            let needed = log(goal) - logTau[m]
            if needed >= 0 { return m }
            guard slope < 0 else { return Int(Int32.max) }
            return m + Int(min(needed / slope, Double(Int32.max)).rounded(.up))
        }
        // The give-up projection: tau ~ C m^-a with a fitted on [m/2, m], when a is not growing
        // (a on [m/4, m/2] at least a / 1.1); nil while the decay accelerates.
        func powerLawRank(_ goal: Double) -> Int? {
            let m = logTau.count - 1
            guard m >= 4, tau > goal else { return nil }
            let half = m / 2, quarter = m / 4
            let recent = (logTau[half] - logTau[m]) / log(Double(m) / Double(half))
            let earlier = (logTau[quarter] - logTau[half]) / log(Double(half) / Double(quarter))
            guard recent <= 1.1 * earlier else { return nil }
            guard recent > 0 else { return Int(Int32.max) }
            let projected = Double(m) * exp((logTau[m] - log(goal)) / recent)
            return projected < Double(Int32.max) ? Int(projected.rounded(.up)) : Int(Int32.max)
        }

        while true {
            logTau.append(tau > 0 ? log(tau) : -.infinity)
            if tau <= relativeTolerance * lambda { break }
            let m = pivots.count
            if m >= nextEigenCheck, tau <= relativeTolerance * capturedTrace {
                let crossProduct = Lapack.crossProduct(factor, rows: k, columns: m)
                if let values = try? Lapack.symmetricEigenvalues(crossProduct, n: m), let largest = values.last {
                    lambda = max(lambda, largest)
                }
                nextEigenCheck = m + max(1, m / 4)
                if tau <= relativeTolerance * lambda { break }
            }
            let target = relativeTolerance * lambda
            if m >= maxRank {
                return .gaveUp(
                    GiveUp(reason: .rankLimit, columns: m, discardedTrace: tau, target: target, seconds: elapsed()))
            }
            // The optimistic target (lambda_max <= trace(G)) for the give-up test.
            if givesUpEarly, m >= minimumColumnsBeforeGivingUp, let projected = powerLawRank(relativeTolerance * trace),
                projected > 2 * maxRank
            {
                return .gaveUp(
                    GiveUp(
                        reason: .slowDecay(projectedRank: projected), columns: m, discardedTrace: tau, target: target,
                        seconds: elapsed()))
            }
            if clock.now - lastReport >= .nanoseconds(Int64(progressInterval * 1e9)) {
                lastReport = clock.now
                let projected = projectedRank(target)
                let fraction = projected.map { min(1, work(Double(m)) / work(Double(max($0, m)))) } ?? 0
                reportedFraction = max(reportedFraction, fraction)
                progress(
                    Progress(
                        rank: m, discardedTrace: tau, target: target, projectedRank: projected,
                        fraction: reportedFraction))
            }

            var pivot = 0
            var largest = -Double.infinity
            for i in 0..<k where residual[i] > largest {
                largest = residual[i]
                pivot = i
            }
            column.withUnsafeMutableBufferPointer { kernel.column(points, at: pivot, scale: scale, into: $0) }
            guard column.allSatisfy({ $0.isFinite }) else { throw overflow(kernel) }
            Lapack.subtractRowCombination(factor, rows: k, columns: m, row: pivot, from: &column)
            let pivotValue = column[pivot]
            guard pivotValue > 0 else {
                // Rounding beyond the numerical rank: this point's residual is noise.
                residual[pivot] = 0
                tau = residualTrace(residual)
                logTau.removeLast()
                continue
            }
            let root = pivotValue.squareRoot()
            for i in 0..<k { column[i] /= root }
            column[pivot] = root
            for p in pivots { column[p] = 0 }
            var norm = 0.0
            for i in 0..<k {
                let square = column[i] * column[i]
                residual[i] -= square
                norm += square
            }
            residual[pivot] = 0
            factor.append(contentsOf: column)
            pivots.append(pivot)
            tau = residualTrace(residual)
            lambda = max(lambda, norm)
            capturedTrace += norm
        }
        let cholesky = PivotedCholesky(
            kernel: kernel, scale: scale, count: k, factor: factor, pivots: pivots,
            pivotPoints: points.selecting(pivots), discardedTrace: tau, eigenvalueLowerBound: lambda,
            relativeTolerance: relativeTolerance, trace: trace)
        return .converged(cholesky)
    }

    /// sum_i max(e_i, 0).
    private static func residualTrace(_ residual: [Double]) -> Double {
        var sum = 0.0
        for value in residual where value > 0 { sum += value }
        return sum
    }

    private static func overflow(_ kernel: Kernel) -> EngineError {
        EngineError(
            .numerical,
            "the \(kernel.name) kernel's Gram matrix overflowed (a value beyond double range, from features too large "
                + "for it); standardize the features (--standardize) or rescale them")
    }
}
