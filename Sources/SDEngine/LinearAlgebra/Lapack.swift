import CLapack

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
    /// read the upper triangle of a symmetric matrix ('U').
    static let eigenvectors = CChar(UInt8(ascii: "V"))
    static let allEigenvalues = CChar(UInt8(ascii: "A"))
    static let upperTriangle = CChar(UInt8(ascii: "U"))

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
