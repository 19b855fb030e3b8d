import Foundation
import SDTestSupport
import Testing

@testable import SDEngine

/// The low-rank spectrum and its Nystrom predictions against the dense eigendecomposition.
@Suite struct LowRankSpectrumTests {
    /// Weyl: each low-rank eigenvalue is within tau of the dense one, plus the dense noise.
    @Test(arguments: LowRankCase.allCases)
    func eigenvaluesMatchTheDenseOnes(_ test: LowRankCase) {
        let fixture = test.fixture, spectrum = fixture.spectrum
        let bound = spectrum.discardedTrace + fixture.noise
        var worst = 0.0
        for (k, d) in spectrum.eigenvalues.enumerated() { worst = max(worst, abs(d - fixture.denseValues[k])) }
        #expect(worst <= bound)
        #expect(zip(spectrum.eigenvalues, spectrum.eigenvalues.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test(arguments: LowRankCase.allCases)
    func eigenvectorsAreOrthonormal(_ test: LowRankCase) {
        let spectrum = test.fixture.spectrum, k = spectrum.count, r = spectrum.rank
        let gram = Lapack.crossProduct(spectrum.eigenvectors, rows: k, columns: r)
        var worst = 0.0
        for j in 0..<r {
            for i in 0..<r { worst = max(worst, abs(gram[j * r + i] - (i == j ? 1 : 0))) }
        }
        #expect(worst <= 1e-13)
    }

    /// |z0[k]| against the dense |V^T y| for eigenvalues separated from their neighbours: an
    /// eigenvector moves by at most (tau + noise) / gap (Davis-Kahan), and so does its coefficient
    /// relative to ||y||.
    @Test(arguments: LowRankCase.allCases)
    func labelCoefficientsMatchForSeparatedEigenvalues(_ test: LowRankCase) {
        let fixture = test.fixture, spectrum = fixture.spectrum, d = fixture.denseValues
        let perturbation = spectrum.discardedTrace + fixture.noise
        let norm = fixture.labels.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var compared = 0
        for k in 0..<spectrum.rank {
            let gap = min(k > 0 ? d[k - 1] - d[k] : .infinity, d[k] - d[k + 1])
            guard gap > 1e6 * perturbation else { continue }
            compared += 1
            #expect(abs(abs(spectrum.z0[k]) - abs(fixture.denseZ0[k])) <= 4 * norm * perturbation / gap + 1e-13 * norm)
        }
        #expect(compared >= min(spectrum.rank, 4))
    }

    /// The labels' mass off G~'s range against the dense mass beyond rank r: the two differ by the
    /// mass on the eigenvectors whose eigenvalues are in the noise band (<= 2 (tau + noise)),
    /// which either side may count.
    @Test(arguments: LowRankCase.allCases)
    func nullMassMatchesTheDenseTail(_ test: LowRankCase) {
        let fixture = test.fixture, spectrum = fixture.spectrum, d = fixture.denseValues, z = fixture.denseZ0
        let band = 2 * (spectrum.discardedTrace + fixture.noise)
        let tail = z[spectrum.rank...].reduce(0) { $0 + $1 * $1 }
        let ambiguous = (0..<spectrum.rank).filter { d[$0] <= band }.reduce(0) { $0 + z[$1] * z[$1] }
        // What the noise band beyond rank r holds per eigenvector, times the low-rank directions in it.
        let perDirection = tail / Double(spectrum.count - spectrum.rank)
        let inBand = (0..<spectrum.rank).filter { spectrum.eigenvalues[$0] <= band }.count
        var slack = ambiguous + 20 * Double(inBand) * perDirection + 1e-12 * tail
        // A separated last eigenvalue (exact rank): the subspaces differ by (tau + noise) / gap.
        let last = d[spectrum.rank - 1]
        let norm = fixture.labels.reduce(0) { $0 + $1 * $1 }
        if last > band { slack += 2 * norm * (spectrum.discardedTrace + fixture.noise) / (last - d[spectrum.rank]) }
        #expect(abs(spectrum.nullMass - tail) <= slack)
        let squares = fixture.labels.reduce(0) { $0 + $1 * $1 } - spectrum.z0.reduce(0) { $0 + $1 * $1 }
        #expect(isClose(spectrum.nullMass, squares, relative: 1e-10))
    }

    /// Predictions with w = diag(1 / (c + d)) z0, c = 1e-6 d_1: Nystrom R w at held-out points
    /// against the dense g(X, train) scale V w to 1e-10, and V_r diag(d) w against the dense
    /// targets V diag(d / (c + d)) z0 to noise / c: the dense eigenvalues in the noise band
    /// (+-noise) shrink their coefficients by up to noise / c, not to 0.
    @Test(arguments: LowRankCase.allCases)
    func predictionsMatchTheDenseOnes(_ test: LowRankCase) {
        let fixture = test.fixture, spectrum = fixture.spectrum, r = spectrum.rank
        let w = (0..<r).map { spectrum.z0[$0] / (fixture.c + spectrum.eigenvalues[$0]) }
        let matrix = spectrum.predictionMatrix(at: fixture.heldOut)
        let predictions = Lapack.multiply(matrix, rows: fixture.heldOut.count, columns: r, w)
        let targets = spectrum.synthesize((0..<r).map { spectrum.eigenvalues[$0] * w[$0] })
        let predictionError = relativeError(predictions, fixture.densePredictions)
        let targetError = relativeError(targets, fixture.denseTargets)
        #expect(predictionError <= 1e-10 && targetError <= fixture.noise / fixture.c)
    }

    /// At the training points the Nystrom matrix is V_r diag(d): G~'s columns are reproduced.
    @Test(arguments: [LowRankCase.rbf1D2000, .polynomial3D2000])
    func nystromReproducesTheTrainingColumns(_ test: LowRankCase) {
        let fixture = test.fixture, spectrum = fixture.spectrum, k = spectrum.count, r = spectrum.rank
        let matrix = spectrum.predictionMatrix(at: fixture.points)
        var expected = spectrum.eigenvectors
        for j in 0..<r {
            for i in 0..<k { expected[j * k + i] *= spectrum.eigenvalues[j] }
        }
        let error = relativeError(matrix, expected)
        #expect(error <= 1e-12)
    }
}
