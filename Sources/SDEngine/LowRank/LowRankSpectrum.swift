/// The eigendecomposition of the low-rank G~ = F F^T of a `PivotedCholesky`, the labels'
/// coefficients on it, and Nystrom predictions at new points: the rank-r counterpart of
/// `Spectrum` and the kernel rows of `KernelProblem`.
///
/// Decomposition. The thin SVD F = V_r diag(sigma) U^T (LAPACK dgesdd on a copy of F) gives
///
///     G~ = F F^T = V_r diag(d) V_r^T,   d = sigma^2 (descending),   F^T F = U diag(d) U^T,
///
/// so U and d are the eigenpairs of F^T F and V_r = F U diag(d^-1/2), as the normal-equations
/// route would compute them, but without forming F^T F: its eigenvalues below about
/// r eps_mach d_1 would be lost to rounding, and with them the eigenvectors and d^-1/2 of the
/// smallest d (which a factorization to tau ~ 4 eps_mach d_1 always has). Here every sigma_k
/// is accurate to about r eps_mach sigma_1, so d_k to about r eps_mach sqrt(d_1 d_k) (better
/// than the dense solver's eps_mach d_1), and V_r is orthonormal to about r eps_mach. Beyond
/// rank r G~'s eigenvalues are 0; G's are within tau = `discardedTrace` of G~'s (Weyl).
///
/// Labels. z0 = V_r^T y; `nullMass` = ||y - V_r z0||^2, the labels' mass on G~'s zero
/// eigenvalues, computed from the explicit residual (not as ||y||^2 - ||z0||^2, which
/// cancels to an error of eps_mach ||y||^2 when the mass is small).
///
/// Predictions (Nystrom). For a point x let k_P(x) = scale * g(x, p_j), j = 1..r, its kernel
/// values at the pivots, and L_P = F[P, :] (`PivotedCholesky.pivotRows`). The extension
/// g~_x = F L_P^{-1} k_P(x) reproduces G~'s columns at training points: F F^T reproduces G's
/// pivot columns, G[:, P] = F L_P^T, so k_P(x_i) = L_P F[i, :]^T and g~_{x_i} = F F[i, :]^T
/// = G~[:, i]. A fit with spectral coefficients w (a = V_r w) predicts g~_x^T V_r w =
/// k_P(x)^T L_P^{-T} F^T V_r w with F^T V_r = U diag(sigma), so for m points X
///
///     f(X) = R w,   R = k_P(X) L_P^{-T} U diag(sigma)   (m x r)
///
/// At the training points R = V_r diag(d) up to rounding, the analogue of G V. R is computed
/// by a triangular solve (dtrsm) and a product (dgemm); L_P's condition number is about
/// sqrt(G_pp / smallest pivot), up to ~1e8, but the solve is backward stable and the factor
/// diag(sigma) damps its error along the directions of small d (tested: predictions agree
/// with the dense g_x^T V w to 1e-10 relative).
public struct LowRankSpectrum: Sendable {
    /// K, the number of training points.
    public let count: Int
    /// r.
    public let rank: Int
    /// d_1 >= ... >= d_r >= 0, G~'s nonzero eigenvalues (0 only if sigma underflows).
    public let eigenvalues: [Double]
    /// V_r, column-major K x r, orthonormal columns; column k belongs to d_k.
    public let eigenvectors: [Double]
    /// z0 = V_r^T y.
    public let z0: [Double]
    /// y - V_r z0: the labels' part on G~'s zero eigenvalues (computed explicitly, see above).
    public let residual: [Double]
    /// ||y - V_r z0||^2 >= 0: the labels' mass on G~'s zero eigenvalues.
    public var nullMass: Double { residual.reduce(0) { $0 + $1 * $1 } }
    /// The factorization's tau: every eigenvalue of G is within it of G~'s (0 beyond rank r).
    public let discardedTrace: Double

    let kernel: Kernel
    let scale: Double
    let pivotPoints: Points
    /// L_P = F[P, :], r x r lower triangular.
    let pivotRows: [Double]
    /// U diag(sigma), r x r.
    let mixing: [Double]

    /// Decomposes `factorization`'s F and projects `labels` (K values) on it. Throws
    /// .numerical when LAPACK's SVD fails to converge.
    ///
    /// Memory: 2 K r doubles beside the factorization's own F, or K r when the caller hands the
    /// factorization over (does not use it afterwards): the SVD then works in F's storage.
    public init(factorization: consuming PivotedCholesky, labels: [Double]) throws(EngineError) {
        let k = factorization.count, r = factorization.rank
        precondition(labels.count == k, "LowRankSpectrum: \(labels.count) labels for \(k) points")
        self.discardedTrace = factorization.discardedTrace
        self.kernel = factorization.kernel
        self.scale = factorization.scale
        self.pivotPoints = factorization.pivotPoints
        self.pivotRows = factorization.pivotRows
        let factor = (consume factorization).factor  // unique, unless the caller keeps a copy
        let svd: (values: [Double], left: [Double], rightTransposed: [Double])
        do {
            svd = try Lapack.thinSVD(factor, rows: k, columns: r)
        } catch {
            throw EngineError(.numerical, "the SVD of the low-rank factor failed (\(error))")
        }
        var mixing = [Double](repeating: 0, count: r * r)
        for j in 0..<r {
            for i in 0..<r { mixing[j * r + i] = svd.rightTransposed[i * r + j] * svd.values[j] }
        }
        let z0 = Lapack.multiply(svd.left, rows: k, columns: r, labels, transposed: true)
        let projection = Lapack.multiply(svd.left, rows: k, columns: r, z0)
        self.count = k
        self.rank = r
        self.eigenvalues = svd.values.map { $0 * $0 }
        self.eigenvectors = svd.left
        self.z0 = z0
        self.residual = zip(labels, projection).map { $0 - $1 }
        self.mixing = mixing
    }

    /// V_r w for r spectral coefficients w: the targets at the training points.
    public func synthesize(_ coefficients: [Double]) -> [Double] {
        Lapack.multiply(eigenvectors, rows: count, columns: rank, coefficients)
    }

    /// R = k_P(X) L_P^{-T} U diag(sigma), column-major m x r for the m `points`: the fit with
    /// spectral coefficients w predicts R w there (type doc). Cost O(m r (p + r)).
    public func predictionMatrix(at points: Points) -> [Double] {
        let m = points.count
        var rows = kernel.matrix(rows: points, columns: pivotPoints, scale: scale)
        Lapack.solveTransposedLowerFromRight(&rows, rows: m, pivotRows, n: rank)
        return Lapack.multiply(rows, rows: m, inner: rank, mixing, columns: rank)
    }
}
