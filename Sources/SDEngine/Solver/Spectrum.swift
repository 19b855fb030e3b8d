import Foundation

/// How a run's spectrum is computed (docs/math.md section 8).
public enum SolverPath: String, CaseIterable, Sendable {
    /// Householder tridiagonal reduction (dsytrd), then the eigenvalues and the first row of the
    /// tridiagonal matrix's eigenvectors: no K x K eigenvector matrix. About 1 K^2 doubles.
    case tridiagonal
    /// The full eigendecomposition G = V diag(d) V^T (dsyevr or dsyevd). 2 to 3 K^2 doubles.
    case eigenvectors
    /// Matrix-free pivoted Cholesky G ~ F F^T of rank r, for kernels of small numerical rank:
    /// O(K r) memory, the discarded trace bounding ||G - F F^T||_2.
    case lowRank = "low-rank"
}

/// The spectrum of the scaled Gram matrix G[j,k] = g(x_j, x_k) / K: its eigenvalues d and the
/// labels' spectral coefficients z_0 = V^T y_0 (docs/math.md section 2), and what maps
/// spectral coefficients back to the training points, which depends on the `path`.
///
/// Eigenvalues are sorted descending. A symmetric eigensolver is accurate to about machine
/// epsilon u times d_1 in absolute terms (measured against mpmath: 1 to 2 u d_1 at K = 80 to
/// 120), so eigenvalues of a PSD matrix below that come out as noise of either sign.
/// `eigenvalueError` = max(2 u d_1, |the most negative d_k|, the low-rank path's discarded trace)
/// estimates that error; every d_k <= `zeroTolerance` = twice it, the noise floor, is set to
/// exactly 0 and counts as numerically zero; every eigenvalue above it is kept as computed.
///
/// A low-rank spectrum has r + 1 components for K points: the r eigenvalues of F F^T, then one
/// component with d = 0 whose z_0 is the norm of the labels' part outside F's range (the K - r
/// zero eigenvalues together: every round quantity depends on them only through that mass).
public struct Spectrum: Sendable {
    /// K, the number of training points.
    public let count: Int
    /// d_1 >= d_2 >= ... >= 0: K values, or r + 1 on the low-rank path.
    public let eigenvalues: [Double]
    /// z_0 = V^T y_0, one value per eigenvalue.
    public let z0: [Double]
    /// The noise floor: eigenvalues at or below it are 0.
    public let zeroTolerance: Double
    /// The estimated absolute error of every eigenvalue (half the noise floor).
    public var eigenvalueError: Double { zeroTolerance / 2 }
    public let path: SolverPath
    /// A bound on ||G - G~||_2 for the matrix G~ whose spectrum this is: 0 for the dense paths,
    /// the discarded trace on the low-rank path.
    public let errorBound: Double
    let basis: SpectralBasis

    /// The full eigendecomposition of the K x K column-major `gram` (consumed) with `driver`.
    public init(gram: consuming [Double], labels: [Double], driver: EigenDriver = .dsyevr) throws(EngineError) {
        let n = labels.count
        var matrix = consume gram  // no second K x K copy may outlive this line
        var ascending: [Double]
        do {
            ascending = try Lapack.symmetricEigen(&matrix, n: n, driver: driver)
        } catch {
            throw EngineError(
                .numerical, "the eigendecomposition of G failed (\(error)); check the data for extreme values")
        }
        // LAPACK returns ascending order; reverse values and columns in place.
        ascending.reverse()
        for k in 0..<n / 2 {
            let left = k * n, right = (n - 1 - k) * n
            for i in 0..<n { matrix.swapAt(left + i, right + i) }
        }
        let z0 = Lapack.multiply(matrix, rows: n, columns: n, labels, transposed: true)
        self.init(
            count: n, values: ascending, z0: z0, path: .eigenvectors, errorBound: 0,
            basis: .vectors(matrix, components: n))
    }

    /// The spectrum through tridiagonal reduction, without eigenvectors. A Householder
    /// reflection H maps y_0 to sigma e_1 first (H G H, O(K^2)); dsytrd's Q fixes e_1, so
    /// z_0 = V^T y_0 = sigma W^T e_1 with W the eigenvectors of T: their first row, which the QL
    /// algorithm gives in O(K^2) flops (`TridiagonalEigen`). `gram` is consumed: it ends holding
    /// the reflectors, which map the rounds' coefficients back to the training points.
    public init(tridiagonalizing gram: consuming [Double], labels: [Double]) throws(EngineError) {
        let n = labels.count
        var matrix = consume gram
        let reflection = Householder(mapping: labels)
        reflection.applyBothSides(to: &matrix, n: n)
        let form: (diagonal: [Double], offDiagonal: [Double], tau: [Double])
        do {
            form = try Lapack.tridiagonalize(&matrix, n: n)
        } catch {
            throw EngineError(
                .numerical, "the tridiagonal reduction of G failed (\(error)); check the data for extreme values")
        }
        let (values, firstRow) = try TridiagonalEigen.valuesAndFirstRow(
            diagonal: form.diagonal, offDiagonal: form.offDiagonal)
        let basis = TridiagonalBasis(
            reflection: reflection, reflectors: matrix, tau: form.tau, diagonal: form.diagonal,
            offDiagonal: form.offDiagonal)
        self.init(
            count: n, values: values, z0: firstRow.map { reflection.sigma * $0 }, path: .tridiagonal,
            errorBound: 0, basis: .tridiagonal(basis))
    }

    /// The spectrum of a low-rank factorisation G~ = V_r diag(d) V_r^T: its r eigenvalues, then
    /// one zero eigenvalue standing for the K - r others, whose unit vector is the labels' part
    /// outside V_r's range and whose z_0 is that part's norm. The noise floor includes the
    /// discarded trace, which bounds ||G - G~||_2.
    init(lowRank: LowRankSpectrum) {
        let (k, r) = (lowRank.count, lowRank.rank)
        guard r < k else {  // full rank: no null space to stand for
            self.init(
                count: k, values: lowRank.eigenvalues, z0: lowRank.z0, path: .lowRank,
                errorBound: lowRank.discardedTrace, basis: .vectors(lowRank.eigenvectors, components: r))
            return
        }
        var vectors = lowRank.eigenvectors
        let norm = lowRank.nullMass.squareRoot()
        vectors += norm > 0 ? lowRank.residual.map { $0 / norm } : [Double](repeating: 0, count: k)
        self.init(
            count: k, values: lowRank.eigenvalues + [0], z0: lowRank.z0 + [norm], path: .lowRank,
            errorBound: lowRank.discardedTrace, basis: .vectors(vectors, components: r + 1))
    }

    /// Clips the noise, judged from `values` (descending), to zero.
    init(
        count: Int, values: [Double], z0: [Double], path: SolverPath, errorBound: Double, basis: SpectralBasis
    ) {
        let largest = max(values.first ?? 0, 0)
        let mostNegative = max(-(values.last ?? 0), 0)
        let tolerance = 2 * max(2 * Double.ulpOfOne * largest, mostNegative, errorBound)
        self.count = count
        self.eigenvalues = values.map { $0 <= tolerance ? 0 : $0 }
        self.z0 = z0
        self.zeroTolerance = tolerance
        self.path = path
        self.errorBound = errorBound
        self.basis = basis
    }

    /// The K x K eigenvectors V (column k belongs to d_k), on the eigenvectors path only.
    public var eigenvectors: [Double]? {
        if case .vectors(let v, let components) = basis, components == count { return v }
        return nil
    }

    /// How many eigenvalues are numerically zero (the K - r of a low-rank spectrum included).
    public var zeroCount: Int { eigenvalues.reversed().prefix { $0 == 0 }.count + (count - eigenvalues.count) }

    /// How many eigenvalues are resolved: above the noise floor.
    public var resolvedCount: Int { count - zeroCount }

    /// kappa = d_max / d_min (infinite when some d_k is zero).
    public var conditionNumber: Double {
        let smallest = eigenvalues.last ?? 0
        return smallest > 0 && eigenvalues.count == count ? eigenvalues[0] / smallest : .infinity
    }
}

/// A Householder reflection H = I - beta v v^T with H y = sigma e_1, |sigma| = ||y||.
struct Householder: Sendable {
    let v: [Double]
    let beta: Double
    let sigma: Double

    /// Computed on y scaled by the power of two nearest its largest |y_k| (H depends on y's
    /// direction only; a power of two scales without rounding), so that labels whose squares
    /// overflow still give the right reflection; sigma is then beyond double range only when
    /// ||y|| itself is.
    init(mapping y: [Double]) {
        let largest = y.reduce(0) { Swift.max($0, abs($1)) }
        guard largest > 0, largest.isFinite, y.count > 1 else {
            (v, beta, sigma) = ([], 0, y.first ?? 0)
            return
        }
        let power = Double(sign: .plus, exponent: largest.exponent, significand: 1)
        let scaled = y.map { $0 / power }
        let norm = scaled.reduce(0) { $0 + $1 * $1 }.squareRoot()
        // sigma takes the sign opposite to y_1 so that v_1 = y_1 - sigma does not cancel.
        let unitSigma = scaled[0] >= 0 ? -norm : norm
        var v = scaled
        v[0] -= unitSigma
        let vNorm = v.reduce(0) { $0 + $1 * $1 }
        (self.v, self.beta, self.sigma) = (v, vNorm > 0 ? 2 / vNorm : 0, unitSigma * power)
    }

    /// A <- H A H on the lower triangle of the symmetric n x n `matrix`: A - v w^T - w v^T with
    /// p = beta A v and w = p - (beta / 2)(p^T v) v. O(n^2).
    func applyBothSides(to matrix: inout [Double], n: Int) {
        guard beta != 0 else { return }
        let p = Lapack.symmetricMultiply(matrix, n: n, v).map { beta * $0 }
        let pv = zip(p, v).reduce(0) { $0 + $1.0 * $1.1 }
        let w = zip(p, v).map { $0 - 0.5 * beta * pv * $1 }
        Lapack.symmetricRank2Update(&matrix, n: n, v, w)
    }

    /// H x, in place, for every n-column of the column-major `block`.
    func apply(to block: inout [Double], n: Int) {
        guard beta != 0 else { return }
        for start in stride(from: 0, to: block.count, by: n) {
            var dot = 0.0
            for i in 0..<n { dot += v[i] * block[start + i] }
            let factor = beta * dot
            for i in 0..<n { block[start + i] -= factor * v[i] }
        }
    }
}

/// What maps a spectrum's coefficients back to the training points.
enum SpectralBasis: Sendable {
    /// Orthonormal columns, K x `components` column-major: w in spectral coordinates is V w.
    case vectors([Double], components: Int)
    /// G = H Q T Q^T H: vectors are kept in T's basis, where rounds are tridiagonal solves.
    case tridiagonal(TridiagonalBasis)
}

/// The tridiagonal form H Q T Q^T H of G: the reflection that put y_0 on e_1, dsytrd's
/// reflectors, and T.
struct TridiagonalBasis: Sendable {
    let reflection: Householder
    let reflectors: [Double]
    let tau: [Double]
    let diagonal: [Double]
    let offDiagonal: [Double]

    var count: Int { diagonal.count }

    /// y_0 in T's basis: sigma e_1.
    var initialTargets: [Double] {
        var b = [Double](repeating: 0, count: count)
        b[0] = reflection.sigma
        return b
    }

    /// (c I + T)^{-1} b, O(K).
    func solve(shift c: Double, _ b: [Double]) throws(EngineError) -> [Double] {
        do {
            return try Lapack.shiftedTridiagonalSolve(diagonal: diagonal, offDiagonal: offDiagonal, shift: c, b)
        } catch {
            throw EngineError(.numerical, "c_t I + G is singular in double precision (c_t = \(c)): \(error)")
        }
    }

    /// H Q x for each column of the column-major K x `columns` `block`, in place.
    func toTrainingPoints(_ block: inout [Double], columns: Int) throws(EngineError) {
        do {
            try Lapack.applyReflectors(reflectors, n: count, tau: tau, to: &block, columns: columns)
        } catch {
            throw EngineError(.numerical, "applying the tridiagonal reduction's reflectors failed: \(error)")
        }
        reflection.apply(to: &block, n: count)
    }
}
