/// The eigendecomposition G = V diag(d) V^T of the scaled Gram matrix G[j,k] = g(x_j, x_k) / K,
/// and the labels' spectral coefficients z_0 = V^T y_0 (docs/math.md section 2).
///
/// Eigenvalues are sorted descending. Round-off makes tiny eigenvalues of a PSD matrix come
/// out slightly negative or slightly positive; every d_k <= `zeroTolerance` =
/// K * machine epsilon * d_1 is set to exactly 0 and counts as numerically zero.
public struct Spectrum: Sendable {
    public let count: Int
    /// d_1 >= ... >= d_K >= 0.
    public let eigenvalues: [Double]
    /// V, column-major K x K; column k belongs to d_k.
    public let eigenvectors: [Double]
    /// z_0 = V^T y_0.
    public let z0: [Double]
    public let zeroTolerance: Double

    /// Decomposes the K x K column-major `gram` (consumed) and projects `labels` on it.
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
        let tolerance = Double(n) * Double.ulpOfOne * max(ascending.first ?? 0, 0)
        self.count = n
        self.eigenvalues = ascending.map { $0 <= tolerance ? 0 : $0 }
        self.zeroTolerance = tolerance
        self.z0 = Lapack.multiply(matrix, rows: n, columns: n, labels, transposed: true)
        self.eigenvectors = matrix
    }

    /// How many eigenvalues are numerically zero.
    public var zeroCount: Int { eigenvalues.reversed().prefix { $0 == 0 }.count }

    /// kappa = d_max / d_min (infinite when some d_k is zero).
    public var conditionNumber: Double {
        let smallest = eigenvalues.last ?? 0
        return smallest > 0 ? eigenvalues[0] / smallest : .infinity
    }

    /// V * w for a K-vector of spectral coefficients w.
    public func synthesize(_ coefficients: [Double]) -> [Double] {
        Lapack.multiply(eigenvectors, rows: count, columns: count, coefficients)
    }
}
