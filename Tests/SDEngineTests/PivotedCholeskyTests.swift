import Foundation
import SDTestSupport
import Testing

@testable import SDEngine

/// The matrix-free pivoted Cholesky against the dense Gram matrix and its eigendecomposition.
@Suite struct PivotedCholeskyTests {
    @Test(arguments: LowRankCase.allCases)
    func meetsItsToleranceWithDistinctPivotsAndATriangularPivotBlock(_ test: LowRankCase) {
        let fixture = test.fixture, f = fixture.factorization
        #expect(f.discardedTrace <= f.tolerance && f.discardedTrace >= 0)
        #expect(f.tolerance == PivotedCholesky.defaultRelativeTolerance * f.eigenvalueLowerBound)
        #expect(f.eigenvalueLowerBound <= fixture.denseValues[0] + fixture.noise)
        #expect(f.eigenvalueLowerBound >= 0.5 * fixture.denseValues[0])
        #expect(Set(f.pivots).count == f.rank && f.factor.count == f.count * f.rank)
        let l = f.pivotRows, r = f.rank
        for j in 0..<r {
            #expect(l[j * r + j] > 0)
            for i in 0..<j { #expect(l[j * r + i] == 0) }
        }
        #expect(f.pivotPoints == fixture.points.selecting(f.pivots))
    }

    @Test func exactRankIsFound() {
        #expect(LowRankCase.polynomial1D2000.fixture.factorization.rank == 4)
        #expect(LowRankCase.polynomial3D2000.fixture.factorization.rank == 20)
    }

    /// (F F^T)[:, p] = G[:, p] at every pivot p, to the rounding of an r-term dot product:
    /// within (4 + sqrt(r)) eps_mach of sum_j |F[i,j] F[p,j]|.
    @Test(arguments: LowRankCase.allCases)
    func pivotColumnsAreReproduced(_ test: LowRankCase) {
        let fixture = test.fixture, f = fixture.factorization, k = f.count, r = f.rank
        let magnitudes = f.factor.map(abs)
        var worst = 0.0
        for (j, pivot) in f.pivots.enumerated() where j % 5 == 0 || j == r - 1 {
            let row = (0..<r).map { f.factor[$0 * k + pivot] }
            let reproduced = Lapack.multiply(f.factor, rows: k, columns: r, row)
            let magnitude = Lapack.multiply(magnitudes, rows: k, columns: r, row.map(abs))
            let column = fixture.kernel.column(fixture.points, at: pivot, scale: fixture.scale)
            for i in 0..<k {
                let scale = Double.ulpOfOne * max(magnitude[i], abs(column[i]))
                if scale > 0 { worst = max(worst, abs(reproduced[i] - column[i]) / scale) }
            }
        }
        #expect(worst <= 4 + Double(r).squareRoot())
    }

    /// Weyl: the dense eigenvalues beyond rank r are at most tau (plus the dense solver's noise),
    /// and at K = 2000 the whole residual G - F F^T has 2-norm at most tau, plus 2 eps_mach d_1
    /// for rounding (forming F F^T; and at an exact rank, where the residual is rounding alone and
    /// not semi-definite, tau does not bound it).
    @Test(arguments: LowRankCase.allCases)
    func theDiscardedTraceBoundsWhatIsDiscarded(_ test: LowRankCase) {
        let fixture = test.fixture, f = fixture.factorization
        let beyond = fixture.denseValues[f.rank...].map(abs).max() ?? 0
        #expect(beyond <= f.discardedTrace + fixture.noise)
        if let norm = fixture.residualNorm {
            #expect(norm <= f.discardedTrace + 2 * Double.ulpOfOne * fixture.denseValues[0])
        }
    }

    /// laplacian (exp(-|x - x'| / 0.1)): eigenvalues decay like k^-2, full numerical rank.
    @Test func aLaplacianKernelGivesUpEarly() throws {
        let points = Dataset.sine(n: 4000, noise: 0, seed: 7).train.points
        let outcome = try PivotedCholesky.factorize(
            points, kernel: .laplacian(gamma: 10), scale: 1.0 / 4000, maxRank: 500)
        guard case .gaveUp(let giveUp) = outcome, case .slowDecay(let projected) = giveUp.reason else {
            Issue.record("expected a slow-decay give-up, got \(outcome)")
            return
        }
        #expect(giveUp.columns <= 64 && projected > 1000 && giveUp.discardedTrace > 1e3 * giveUp.target)
    }

    @Test func theRankLimitIsHonoured() throws {
        let points = Dataset.sine(n: 500, noise: 0, seed: 7).train.points
        let outcome = try PivotedCholesky.factorize(points, kernel: .rbf(gamma: 50), scale: 1.0 / 500, maxRank: 10)
        guard case .gaveUp(let giveUp) = outcome else {
            Issue.record("expected a give-up, got \(outcome)")
            return
        }
        #expect(giveUp.reason == .rankLimit && giveUp.columns == 10)
    }

    @Test func aZeroMatrixHasRankZero() throws {
        let outcome = try PivotedCholesky.factorize(
            Points(count: 5, dimension: 2, values: [Double](repeating: 0, count: 10)), kernel: .linear, scale: 0.2,
            maxRank: 5)
        guard case .converged(let f) = outcome else {
            Issue.record("expected convergence, got \(outcome)")
            return
        }
        #expect(f.rank == 0 && f.discardedTrace == 0 && f.factor.isEmpty)
        let spectrum = try LowRankSpectrum(factorization: f, labels: [1, 2, 0, 0, 2])
        #expect(spectrum.rank == 0 && spectrum.nullMass == 9 && spectrum.synthesize([]) == [0, 0, 0, 0, 0])
        #expect(spectrum.predictionMatrix(at: Points(count: 2, dimension: 2, values: [1, 1, 2, 2])).isEmpty)
    }

    @Test func progressIsReportedWithFractionsInRange() throws {
        let points = Dataset.sine(n: 1000, noise: 0, seed: 7).train.points
        var reports = [PivotedCholesky.Progress]()
        let outcome = try PivotedCholesky.factorize(
            points, kernel: .rbf(gamma: 50), scale: 1.0 / 1000, maxRank: 100, progressInterval: 0
        ) { reports.append($0) }
        guard case .converged(let f) = outcome else {
            Issue.record("expected convergence, got \(outcome)")
            return
        }
        #expect(reports.count >= f.rank && reports.map(\.rank) == Array(0..<reports.count))
        #expect(reports.allSatisfy { $0.fraction >= 0 && $0.fraction <= 1 })
        #expect(reports.last!.fraction > 0.5 && reports.last!.projectedRank != nil)
    }

    @Test func invalidArgumentsAndOverflowAreErrors() {
        let points = Points([0, 1, 2])
        #expect(throws: EngineError.self) {
            try PivotedCholesky.factorize(points, kernel: .linear, scale: 1, maxRank: -1)
        }
        #expect(throws: EngineError.self) {
            try PivotedCholesky.factorize(points, kernel: .linear, scale: 0, maxRank: 3)
        }
        let huge = Points([1e200, 1])
        do {
            _ = try PivotedCholesky.factorize(
                huge, kernel: .polynomial(degree: 3, gamma: 1, coef0: 1), scale: 0.5, maxRank: 2)
            Issue.record("expected an overflow error")
        } catch {
            #expect(error.code == .numerical)
        }
    }
}
