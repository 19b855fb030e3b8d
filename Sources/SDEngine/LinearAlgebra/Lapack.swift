import CLapack
import Foundation

/// A LAPACK or BLAS call that reported failure.
///
/// `info` is LAPACK's return code: negative means argument `-info` was illegal (a bug
/// here, never user input); positive is routine-specific (for example, the matrix is not
/// positive definite, or the eigensolver did not converge).
public struct LapackError: Error, CustomStringConvertible, Equatable {
    public let routine: String
    public let info: Int

    public var description: String {
        if info < 0 { return "\(routine): argument \(-info) was illegal (internal error)" }
        switch routine {
        case "dposv": return "dposv: the matrix is not positive definite (leading minor \(info))"
        default: return "\(routine): failed to converge (info \(info))"
        }
    }
}

/// Which LAPACK driver computes a full symmetric eigendecomposition.
public enum EigenDriver: String, CaseIterable, Sendable {
    /// Divide and conquer. Workspace 1 + 6n + 2n^2 doubles beside the matrix.
    case dsyevd
    /// Relatively robust representations (MRRR). Needs a separate n x n output, O(n) workspace.
    case dsyevr
}

/// Every call into LAPACKE and CBLAS. Matrices are column-major `[Double]`.
public enum Lapack {
    /// LAPACK's character arguments: compute eigenvectors ('V'), all eigenvalues ('A'), and
    /// read the upper or lower triangle of a symmetric matrix ('U', 'L'); multiply from the left, untransposed.
    static let eigenvectors = CChar(UInt8(ascii: "V"))
    static let allEigenvalues = CChar(UInt8(ascii: "A"))
    static let upperTriangle = CChar(UInt8(ascii: "U"))
    static let lowerTriangle = CChar(UInt8(ascii: "L"))
    static let leftSide = CChar(UInt8(ascii: "L"))
    static let noTranspose = CChar(UInt8(ascii: "N"))

    /// Sets the number of OpenBLAS threads for this process.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// Stops OpenBLAS's worker threads, which it starts when the process loads and which
    /// spin waiting for work for a while: on two cores they take a core from commands that
    /// do no linear algebra. The next threaded BLAS or LAPACK call starts them again.
    public static func stopIdleThreads() {
        _ = blas_thread_shutdown_()  // nonzero only when no threads were started: nothing to stop
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric n x n `matrix`.
    ///
    /// The upper triangle is read. `matrix` is consumed: on return it holds the
    /// eigenvectors column by column, so no second n x n array outlives the call.
    public static func symmetricEigen(
        _ matrix: inout [Double], n: Int, driver: EigenDriver = .dsyevr
    ) throws(LapackError) -> [Double] {
        precondition(matrix.count == n * n)
        var values = [Double](repeating: 0, count: n)
        let info: Int32
        switch driver {
        case .dsyevd:
            info = matrix.withUnsafeMutableBufferPointer { a in
                values.withUnsafeMutableBufferPointer { w in
                    LAPACKE_dsyevd(
                        LAPACK_COL_MAJOR, Self.eigenvectors, Self.upperTriangle, Int32(n),
                        a.baseAddress, Int32(n), w.baseAddress)
                }
            }
        case .dsyevr:
            var vectors = [Double](repeating: 0, count: n * n)
            var support = [Int32](repeating: 0, count: 2 * n)
            var found: Int32 = 0
            info = matrix.withUnsafeMutableBufferPointer { a in
                values.withUnsafeMutableBufferPointer { w in
                    vectors.withUnsafeMutableBufferPointer { z in
                        support.withUnsafeMutableBufferPointer { s in
                            LAPACKE_dsyevr(
                                LAPACK_COL_MAJOR, Self.eigenvectors, Self.allEigenvalues, Self.upperTriangle,
                                Int32(n), a.baseAddress, Int32(n), 0, 0, 0, 0,
                                0, &found, w.baseAddress, z.baseAddress, Int32(n),
                                s.baseAddress)
                        }
                    }
                }
            }
            matrix = []  // free the destroyed input before handing the vectors back
            matrix = vectors
        }
        if info != 0 { throw LapackError(routine: driver.rawValue, info: Int(info)) }
        return values
    }

    /// Reduces the symmetric n x n `matrix` (lower triangle read) to tridiagonal form
    /// Q^T A Q = T by Householder reflections (dsytrd, blocked). On return `matrix` holds the
    /// reflectors below its subdiagonal, as `applyReflectors` reads them; Q e_1 = e_1.
    /// O(4/3 n^3) flops, no second n x n array.
    public static func tridiagonalize(
        _ matrix: inout [Double], n: Int
    ) throws(LapackError) -> (diagonal: [Double], offDiagonal: [Double], tau: [Double]) {
        precondition(matrix.count == n * n && n >= 1)
        var diagonal = [Double](repeating: 0, count: n)
        var offDiagonal = [Double](repeating: 0, count: max(n - 1, 1))
        var tau = [Double](repeating: 0, count: max(n - 1, 1))
        let info = matrix.withUnsafeMutableBufferPointer { a in
            diagonal.withUnsafeMutableBufferPointer { d in
                offDiagonal.withUnsafeMutableBufferPointer { e in
                    tau.withUnsafeMutableBufferPointer { t in
                        LAPACKE_dsytrd(
                            LAPACK_COL_MAJOR, Self.lowerTriangle, Int32(n), a.baseAddress, Int32(n),
                            d.baseAddress, e.baseAddress, t.baseAddress)
                    }
                }
            }
        }
        if info != 0 { throw LapackError(routine: "dsytrd", info: Int(info)) }
        return (diagonal, Array(offDiagonal.prefix(n - 1)), tau)
    }

    /// How long `tridiagonalize` should take for n x n, in seconds, for a progress ETA; nil below
    /// n = 6000, where it takes a few seconds at most. Times a reduction of 1024 x 1024 (about
    /// 40 ms) and scales it by n^3 with `largeMatrixSlowdown`, the measured loss of speed once
    /// the matrix leaves the caches: an estimate to within a factor of about 1.5.
    public static func tridiagonalizationEstimate(n: Int) -> Double? {
        guard n >= 6000 else { return nil }
        let sample = 1024
        var matrix = [Double](repeating: 0, count: sample * sample)
        for j in 0..<sample {
            for i in 0..<sample { matrix[j * sample + i] = 1 / Double(1 + i + j) + (i == j ? 1 : 0) }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        guard (try? tridiagonalize(&matrix, n: sample)) != nil else { return nil }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return seconds * pow(Double(n) / Double(sample), 3) * largeMatrixSlowdown
    }

    /// The whole stage (reflection, reduction, QL) took 1.37 and 1.40 times the scaled 1024
    /// reduction at K = 6000 and 9000 (2 cores, 2026-11-30).
    static let largeMatrixSlowdown = 1.4

    /// Overwrites the n x `columns` column-major `block` with Q * block, Q the orthogonal
    /// matrix whose reflectors `tridiagonalize` left in `reflectors` (dormtr): O(2 n^2) flops
    /// per column, blocked so that many columns cost little more than one pass over Q.
    public static func applyReflectors(
        _ reflectors: [Double], n: Int, tau: [Double], to block: inout [Double], columns: Int
    ) throws(LapackError) {
        precondition(reflectors.count == n * n && block.count == n * columns)
        guard n > 1, columns > 0 else { return }
        // The blocked dormtr reads A and never writes it: it gets the shared storage itself, since
        // a mutable copy would cost another n^2 doubles. Below 128 it takes LAPACK's unblocked
        // code, which sets A's diagonal to 1 for a moment and restores it: that gets a copy, so
        // that problems shared between threads are never written.
        func apply(_ a: UnsafeMutablePointer<Double>?) -> Int32 {
            tau.withUnsafeBufferPointer { t in
                block.withUnsafeMutableBufferPointer { c in
                    LAPACKE_dormtr(
                        LAPACK_COL_MAJOR, Self.leftSide, Self.lowerTriangle, Self.noTranspose, Int32(n),
                        Int32(columns), a, Int32(n), t.baseAddress, c.baseAddress, Int32(n))
                }
            }
        }
        let info: Int32
        if n <= 128 {
            var copy = reflectors
            info = copy.withUnsafeMutableBufferPointer { apply($0.baseAddress) }
        } else {
            info = reflectors.withUnsafeBufferPointer { apply(UnsafeMutablePointer(mutating: $0.baseAddress)) }
        }
        if info != 0 { throw LapackError(routine: "dormtr", info: Int(info)) }
    }

    /// Solves (shift I + T) x = rhs for the symmetric tridiagonal T (`diagonal`, `offDiagonal`)
    /// by Gaussian elimination with partial pivoting (dgtsv), O(n): stable even when shift + T
    /// is indefinite by rounding. Throws when shift + T is exactly singular.
    public static func shiftedTridiagonalSolve(
        diagonal: [Double], offDiagonal: [Double], shift: Double, _ rhs: [Double]
    ) throws(LapackError) -> [Double] {
        let n = diagonal.count
        precondition(rhs.count == n && offDiagonal.count == max(n - 1, 0))
        var d = diagonal.map { $0 + shift }
        var lower = offDiagonal, upper = offDiagonal
        var x = rhs
        let info = d.withUnsafeMutableBufferPointer { dp in
            lower.withUnsafeMutableBufferPointer { lp in
                upper.withUnsafeMutableBufferPointer { up in
                    x.withUnsafeMutableBufferPointer { xp in
                        LAPACKE_dgtsv(
                            LAPACK_COL_MAJOR, Int32(n), 1, lp.baseAddress, dp.baseAddress, up.baseAddress,
                            xp.baseAddress, Int32(n))
                    }
                }
            }
        }
        if info != 0 { throw LapackError(routine: "dgtsv", info: Int(info)) }
        return x
    }

    /// `A <- A - v w^T - w v^T` on the lower triangle of the symmetric n x n `matrix` (dsyr2).
    static func symmetricRank2Update(_ matrix: inout [Double], n: Int, _ v: [Double], _ w: [Double]) {
        matrix.withUnsafeMutableBufferPointer { a in
            v.withUnsafeBufferPointer { vp in
                w.withUnsafeBufferPointer { wp in
                    cblas_dsyr2(
                        CblasColMajor, CblasLower, Int32(n), -1, vp.baseAddress, 1, wp.baseAddress, 1,
                        a.baseAddress, Int32(n))
                }
            }
        }
    }

    /// `A x` for the symmetric n x n `matrix`, lower triangle read (dsymv).
    static func symmetricMultiply(_ matrix: [Double], n: Int, _ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: n)
        matrix.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dsymv(
                        CblasColMajor, CblasLower, Int32(n), 1, a.baseAddress, Int32(n), xp.baseAddress, 1, 0,
                        yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// `C = A B` for column-major A (rows x inner) and B (inner x columns) (dgemm).
    public static func multiply(
        _ a: [Double], rows: Int, inner: Int, _ b: [Double], columns: Int
    ) -> [Double] {
        precondition(a.count == rows * inner && b.count == inner * columns)
        var c = [Double](repeating: 0, count: rows * columns)
        guard rows > 0, columns > 0, inner > 0 else { return c }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(
                        CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(inner), 1,
                        ap.baseAddress, Int32(rows), bp.baseAddress, Int32(inner), 0, cp.baseAddress, Int32(rows))
                }
            }
        }
        return c
    }

    /// Solves `matrix * x = rhs` for symmetric positive definite `matrix` by Cholesky.
    public static func choleskySolve(_ matrix: [Double], n: Int, rhs: [Double]) throws(LapackError) -> [Double] {
        precondition(matrix.count == n * n && rhs.count == n)
        var a = matrix
        var b = rhs
        let info = a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                LAPACKE_dposv(
                    LAPACK_COL_MAJOR, Self.upperTriangle, Int32(n), 1, ap.baseAddress, Int32(n),
                    bp.baseAddress, Int32(n))
            }
        }
        if info != 0 { throw LapackError(routine: "dposv", info: Int(info)) }
        return b
    }

    /// `y = A x` (or `A^T x` when `transposed`) for a column-major rows x columns `A`.
    public static func multiply(
        _ a: [Double], rows: Int, columns: Int, _ x: [Double], transposed: Bool = false
    ) -> [Double] {
        precondition(a.count == rows * columns && x.count == (transposed ? rows : columns))
        var y = [Double](repeating: 0, count: transposed ? columns : rows)
        guard rows > 0, columns > 0 else { return y }
        a.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(
                        CblasColMajor, transposed ? CblasTrans : CblasNoTrans,
                        Int32(rows), Int32(columns), 1, ap.baseAddress, Int32(rows),
                        xp.baseAddress, 1, 0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    // MARK: Low-rank factorizations (LowRank/)

    /// `y <- y - A[:, 0..<columns] * A[row, 0..<columns]^T` (BLAS dgemv with the row read at
    /// stride `rows`): the update of a new pivoted-Cholesky column against the previous ones.
    ///
    /// `a` is column-major with `rows` rows and at least `columns` columns (`a.count` may be
    /// larger: only the first `rows * columns` values are read); `y` has `rows` values.
    /// Precision: each entry is y_i minus a dot product of length `columns`, with the dot
    /// product's usual error of about `columns` * eps_mach * sum_j |A[i,j] A[row,j]|.
    public static func subtractRowCombination(_ a: [Double], rows: Int, columns: Int, row: Int, from y: inout [Double])
    {
        precondition(a.count >= rows * columns && y.count == rows && row >= 0 && row < rows)
        guard rows > 0, columns > 0 else { return }
        a.withUnsafeBufferPointer { ap in
            y.withUnsafeMutableBufferPointer { yp in
                cblas_dgemv(
                    CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns), -1, ap.baseAddress, Int32(rows),
                    ap.baseAddress! + row, Int32(rows), 1, yp.baseAddress, 1)
            }
        }
    }

    /// `A^T A` (columns x columns, both triangles filled) for the column-major rows x columns
    /// `A` (`a.count` may be larger: the first `rows * columns` values are read). BLAS dsyrk.
    public static func crossProduct(_ a: [Double], rows: Int, columns: Int) -> [Double] {
        precondition(a.count >= rows * columns)
        var c = [Double](repeating: 0, count: columns * columns)
        guard rows > 0, columns > 0 else { return c }
        a.withUnsafeBufferPointer { ap in
            c.withUnsafeMutableBufferPointer { cp in
                cblas_dsyrk(
                    CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1, ap.baseAddress,
                    Int32(rows), 0, cp.baseAddress, Int32(columns))
            }
        }
        for j in 0..<columns {
            for i in (j + 1)..<max(j + 1, columns) { c[j * columns + i] = c[i * columns + j] }
        }
        return c
    }

    /// `C <- C - A A^T` on the upper triangle of the symmetric n x n `c` (the strict lower
    /// triangle is left as it was), for the column-major n x columns `a` (BLAS dsyrk).
    public static func subtractOuterProducts(_ a: [Double], columns: Int, from c: inout [Double], n: Int) {
        precondition(a.count == n * columns && c.count == n * n)
        guard n > 0, columns > 0 else { return }
        a.withUnsafeBufferPointer { ap in
            c.withUnsafeMutableBufferPointer { cp in
                cblas_dsyrk(
                    CblasColMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(columns), -1, ap.baseAddress, Int32(n), 1,
                    cp.baseAddress, Int32(n))
            }
        }
    }

    /// The eigenvalues (ascending) of the symmetric n x n `matrix` (upper triangle read),
    /// without eigenvectors (dsyevr). Backward stable: accurate to about n * eps_mach * ||matrix||.
    public static func symmetricEigenvalues(_ matrix: [Double], n: Int) throws(LapackError) -> [Double] {
        precondition(matrix.count == n * n)
        guard n > 0 else { return [] }
        var a = matrix
        var values = [Double](repeating: 0, count: n)
        var unused = [Double](repeating: 0, count: 1)
        var support = [Int32](repeating: 0, count: 2 * n)
        var found: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { ap in
            values.withUnsafeMutableBufferPointer { w in
                unused.withUnsafeMutableBufferPointer { z in
                    support.withUnsafeMutableBufferPointer { s in
                        LAPACKE_dsyevr(
                            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Self.allEigenvalues, Self.upperTriangle,
                            Int32(n), ap.baseAddress, Int32(n), 0, 0, 0, 0, 0, &found, w.baseAddress,
                            z.baseAddress, 1, s.baseAddress)
                    }
                }
            }
        }
        if info != 0 { throw LapackError(routine: "dsyevr", info: Int(info)) }
        return values
    }

    /// The thin singular value decomposition A = W diag(sigma) Z^T of the column-major
    /// rows x columns `a` (rows >= columns), by divide and conquer (dgesdd, jobz 'S').
    ///
    /// Returns sigma descending (`columns` values), W (column-major rows x columns, orthonormal
    /// columns) and Z^T (columns x columns). Precision: backward stable, so every sigma_k is
    /// within about columns * eps_mach * sigma_1 of the exact one and W, Z are orthonormal to
    /// about that relative level; a singular vector is determined to about eps_mach * sigma_1
    /// / (gap to its neighbours). Memory: `a` is consumed (LAPACK works in it); W is
    /// rows x columns, the workspace O(columns^2).
    public static func thinSVD(_ a: consuming [Double], rows: Int, columns: Int) throws(LapackError) -> (
        values: [Double], left: [Double], rightTransposed: [Double]
    ) {
        precondition(a.count == rows * columns && rows >= columns)
        var matrix = consume a
        var values = [Double](repeating: 0, count: columns)
        guard columns > 0 else { return (values, [], []) }
        var left = [Double](repeating: 0, count: rows * columns)
        var right = [Double](repeating: 0, count: columns * columns)
        let info = matrix.withUnsafeMutableBufferPointer { ap in
            values.withUnsafeMutableBufferPointer { s in
                left.withUnsafeMutableBufferPointer { u in
                    right.withUnsafeMutableBufferPointer { vt in
                        LAPACKE_dgesdd(
                            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")), Int32(rows), Int32(columns), ap.baseAddress,
                            Int32(rows), s.baseAddress, u.baseAddress, Int32(rows), vt.baseAddress, Int32(columns))
                    }
                }
            }
        }
        if info != 0 { throw LapackError(routine: "dgesdd", info: Int(info)) }
        return (values, left, right)
    }

    /// `B <- B L^{-T}` for the column-major rows x n `b` and the lower triangular n x n `l`
    /// (its strict upper triangle is not read), by BLAS dtrsm: each row of B is solved
    /// against L by forward substitution. Backward stable (each row's solution is exact for a
    /// triangle within n * eps_mach of L, entry by entry); L must have no zero on its diagonal.
    public static func solveTransposedLowerFromRight(_ b: inout [Double], rows: Int, _ l: [Double], n: Int) {
        precondition(b.count == rows * n && l.count == n * n)
        guard rows > 0, n > 0 else { return }
        l.withUnsafeBufferPointer { lp in
            b.withUnsafeMutableBufferPointer { bp in
                cblas_dtrsm(
                    CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(rows), Int32(n), 1,
                    lp.baseAddress, Int32(n), bp.baseAddress, Int32(rows))
            }
        }
    }
}

// OpenBLAS's own state: which core's kernels run, its build, its threads (BLASCore).
extension Lapack {
    /// OpenBLAS's thread count now (the sweep command changes it per job).
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The core type whose kernels run: "Haswell", "SkylakeX", ... (OPENBLAS_CORETYPE's names).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's build: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
    public static var configuration: String { String(cString: openblas_get_config()) }
}
