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
}
