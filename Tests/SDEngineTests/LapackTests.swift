import SDTestSupport
import Testing

@testable import SDEngine

@Suite struct LapackTests {
    @Test func eigendecompositionOfAKnownMatrix() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, -1)/sqrt 2, (1, 1)/sqrt 2.
        for driver in EigenDriver.allCases {
            var matrix = [2.0, 1, 1, 2]
            let values = try Lapack.symmetricEigen(&matrix, n: 2, driver: driver)
            #expect(isClose(values[0], 1, relative: 1e-15) && isClose(values[1], 3, relative: 1e-15))
            #expect(isClose(abs(matrix[2]), 0.5.squareRoot(), relative: 1e-15))
            #expect(isClose(matrix[2], matrix[3], relative: 1e-15))
        }
    }

    @Test func choleskySolveMatchesAKnownSolution() throws {
        // [[4, 2], [2, 3]] x = [2, 1] has x = [0.5, 0].
        let x = try Lapack.choleskySolve([4, 2, 2, 3], n: 2, rhs: [2, 1])
        #expect(isClose(x[0], 0.5, relative: 1e-15) && abs(x[1]) < 1e-15)
    }

    @Test func choleskyRejectsAnIndefiniteMatrix() {
        #expect(throws: LapackError(routine: "dposv", info: 2)) {
            try Lapack.choleskySolve([1, 2, 2, 1], n: 2, rhs: [1, 1])
        }
    }

    @Test func multiplyAndTransposedMultiply() {
        // Column-major 2 x 3: [[1, 3, 5], [2, 4, 6]].
        let a = [1.0, 2, 3, 4, 5, 6]
        #expect(Lapack.multiply(a, rows: 2, columns: 3, [1, 1, 1]) == [9, 12])
        #expect(Lapack.multiply(a, rows: 2, columns: 3, [1, 1], transposed: true) == [3, 7, 11])
    }

    @Test func subtractRowCombinationUsesTheLeadingColumnsAndOneRow() {
        // Column-major 3 x 2 (capacity for a third column that must not be read).
        let a = [1.0, 2, 3, 4, 5, 6, 99, 99, 99]
        var y = [10.0, 20, 30]
        // Row 1 is (2, 5): y - (2 * col0 + 5 * col1) = y - (22, 29, 36).
        Lapack.subtractRowCombination(a, rows: 3, columns: 2, row: 1, from: &y)
        #expect(y == [-12, -9, -6])
        var unchanged = [1.0, 2, 3]
        Lapack.subtractRowCombination([], rows: 3, columns: 0, row: 0, from: &unchanged)
        #expect(unchanged == [1, 2, 3])
    }

    @Test func crossProductAndOuterProductUpdate() {
        let a = [1.0, 2, 3, 4, 5, 6]  // 3 x 2: columns (1, 2, 3), (4, 5, 6)
        #expect(Lapack.crossProduct(a, rows: 3, columns: 2) == [14, 32, 32, 77])
        // I_3 - A A^T on the upper triangle; the lower triangle is untouched.
        var c = [1.0, 0, 0, 0, 1, 0, 0, 0, 1]
        Lapack.subtractOuterProducts(a, columns: 2, from: &c, n: 3)
        #expect(c == [-16, 0, 0, -22, -28, 0, -27, -36, -44])
    }

    @Test func eigenvaluesWithoutVectors() throws {
        let values = try Lapack.symmetricEigenvalues([2, 1, 1, 2], n: 2)
        #expect(isClose(values[0], 1, relative: 1e-15) && isClose(values[1], 3, relative: 1e-15))
        #expect(try Lapack.symmetricEigenvalues([], n: 0) == [])
    }

    @Test func thinSVDReconstructsTheMatrix() throws {
        // 3 x 2 with singular values 3 and 1: A = W diag(3, 1) Z^T.
        let a = [2.0, 1, 0, 1, 2, 0]  // columns (2, 1, 0), (1, 2, 0)
        let svd = try Lapack.thinSVD(a, rows: 3, columns: 2)
        #expect(isClose(svd.values[0], 3, relative: 1e-15) && isClose(svd.values[1], 1, relative: 1e-15))
        for j in 0..<2 {
            for i in 0..<3 {
                var sum = 0.0
                for k in 0..<2 { sum += svd.left[k * 3 + i] * svd.values[k] * svd.rightTransposed[j * 2 + k] }
                #expect(abs(sum - a[j * 3 + i]) < 1e-15)
            }
        }
    }

    @Test func triangularSolveFromTheRight() {
        // L = [[2, 0], [1, 3]]; B L^T = [[2, 7], [4, 5]] for B = [[1, 2], [2, 1]].
        let l = [2.0, 1, 0, 3]
        var b = [2.0, 4, 7, 5]  // rows (2, 7), (4, 5)
        Lapack.solveTransposedLowerFromRight(&b, rows: 2, l, n: 2)
        #expect(b == [1, 2, 2, 1])
    }

    @Test func matrixProduct() {
        // [[1, 3], [2, 4]] [[1, 0, 1], [0, 1, 1]] = [[1, 3, 4], [2, 4, 6]].
        #expect(
            Lapack.multiply([1, 2, 3, 4], rows: 2, inner: 2, [1, 0, 0, 1, 1, 1], columns: 3) == [1, 2, 3, 4, 4, 6])
    }
}
