import Foundation

/// The eigenvalues of a symmetric tridiagonal matrix T and the first component of each of its
/// unit eigenvectors, without forming the eigenvectors: the implicit QL algorithm with Wilkinson
/// shifts (EISPACK's tql2, as in Golub and Welsch's quadrature weights) applying each rotation
/// to the first row of the eigenvector matrix only. O(n^2) flops and O(n) memory, where the
/// eigenvectors would cost O(n^2) memory and a K x K back-transformation.
///
/// Precision: backward stable. The eigenvalues are exact for a matrix within a few ulps of
/// ||T|| of T (absolute accuracy about machine epsilon * ||T||, like LAPACK's dsterf); each first
/// component is accurate to about machine epsilon in absolute terms, so the squares of a row sum
/// to 1 within rounding. Deflation uses LAPACK's relative criterion |e_m| <= u (|d_m| + |d_m+1|).
enum TridiagonalEigen {
    /// Values in descending order with their first components; throws .numerical when the
    /// sweeps exceed 30 n in all (LAPACK dsteqr's budget; 2 to 3 per eigenvalue are usual).
    static func valuesAndFirstRow(
        diagonal: [Double], offDiagonal: [Double]
    ) throws(EngineError) -> (values: [Double], firstRow: [Double]) {
        let n = diagonal.count
        precondition(offDiagonal.count == max(n - 1, 0))
        guard n > 0 else { return ([], []) }
        // QL resolves small eigenvalues to high relative accuracy when T is graded with its large
        // entries at the bottom, and only to u ||T|| the other way round (LAPACK's dsteqr chooses
        // QL or QR for the same reason). dsytrd leaves kernel matrices graded large-first, so
        // the order is reversed then, and the first row becomes the last.
        let reversed = abs(diagonal[0]) > abs(diagonal[n - 1])
        var d = reversed ? Array(diagonal.reversed()) : diagonal
        var e = (reversed ? Array(offDiagonal.reversed()) : offDiagonal) + [0]
        var z = [Double](repeating: 0, count: n)
        z[reversed ? n - 1 : 0] = 1
        var sweeps = 0
        for l in 0..<n {
            while true {
                var m = l
                while m < n - 1 {
                    let scale = abs(d[m]) + abs(d[m + 1])
                    if abs(e[m]) <= Double.ulpOfOne * scale { break }
                    m += 1
                }
                if m == l { break }
                sweeps += 1
                if sweeps > 30 * n {
                    throw EngineError(
                        .numerical,
                        "the tridiagonal eigensolver did not converge at eigenvalue \(l + 1) of \(n); "
                            + "use --solver eigenvectors")
                }
                // The Wilkinson shift from the leading 2 x 2 block, then one implicit QL sweep l...m.
                var g = (d[l + 1] - d[l]) / (2 * e[l])
                var r = hypotenuse(g, 1)
                g = d[m] - d[l] + e[l] / (g + (g < 0 ? -r : r))
                var s = 1.0, c = 1.0, p = 0.0
                var i = m - 1
                var underflowed = false
                while i >= l {
                    let f = s * e[i], b = c * e[i]
                    r = hypotenuse(f, g)
                    e[i + 1] = r
                    if r == 0 {  // a zero off-diagonal appeared: deflate and sweep again
                        d[i + 1] -= p
                        e[m] = 0
                        underflowed = true
                        break
                    }
                    s = f / r
                    c = g / r
                    g = d[i + 1] - p
                    r = (d[i] - g) * s + 2 * c * b
                    p = s * r
                    d[i + 1] = g + p
                    g = c * r - b
                    let next = z[i + 1]
                    z[i + 1] = s * z[i] + c * next
                    z[i] = c * z[i] - s * next
                    i -= 1
                }
                if underflowed { continue }
                d[l] -= p
                e[l] = g
                e[m] = 0
            }
        }
        let order = d.indices.sorted { d[$0] > d[$1] }
        return (order.map { d[$0] }, order.map { z[$0] })
    }

    /// sqrt(a^2 + b^2) without the cost of `hypot` where the squares cannot overflow or underflow.
    @inline(__always)
    private static func hypotenuse(_ a: Double, _ b: Double) -> Double {
        let largest = max(abs(a), abs(b))
        guard largest < 1e150, largest > 1e-150 else { return hypot(a, b) }
        return (a * a + b * b).squareRoot()
    }
}
