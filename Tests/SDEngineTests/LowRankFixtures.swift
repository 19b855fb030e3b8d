import Foundation
import SDTestSupport
import Testing

@testable import SDEngine

/// The low-rank path against the dense one on the same data: shared by PivotedCholeskyTests
/// and LowRankSpectrumTests, each dense eigendecomposition computed once per test process
/// (the first test that needs it builds it; static lets are initialised once, thread-safely).
enum LowRankCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case rbf1D2000, rbf1D4000, matern52in1D2000, matern52in1D4000, polynomial1D2000, polynomial1D4000, rbf3D2000
    case polynomial3D2000

    var testDescription: String { rawValue }

    var fixture: LowRankFixture {
        switch self {
        case .rbf1D2000: Self.rbf1D2000Fixture
        case .rbf1D4000: Self.rbf1D4000Fixture
        case .matern52in1D2000: Self.matern52Fixture
        case .matern52in1D4000: Self.matern52Fixture4000
        case .polynomial1D4000: Self.polynomial1DFixture4000
        case .polynomial1D2000: Self.polynomial1DFixture
        case .rbf3D2000: Self.rbf3DFixture
        case .polynomial3D2000: Self.polynomial3DFixture
        }
    }

    /// The sine data with noise 0.1: x ~ U[0, 1]. Bandwidth 0.1 means gamma = 1 / (2 0.1^2).
    private static let rbf1D2000Fixture = LowRankFixture(sine: 2000, kernel: .rbf(gamma: 50), maxRank: 250)
    private static let rbf1D4000Fixture = LowRankFixture(sine: 4000, kernel: .rbf(gamma: 50), maxRank: 500)
    /// Matern 5/2's spectrum decays algebraically (k^-6 in 1-D): even a length scale of 2 needs
    /// rank ~330 to reach tau ~ 4 eps_mach d_1.
    private static let matern52Fixture = LowRankFixture(
        sine: 2000, kernel: .matern52(lengthScale: 2), maxRank: 500)
    /// (x x' + 1)^3 in 1-D: exact rank 4.
    private static let matern52Fixture4000 = LowRankFixture(
        sine: 4000, kernel: .matern52(lengthScale: 2), maxRank: 1000)
    private static let polynomial1DFixture4000 = LowRankFixture(
        sine: 4000, kernel: .polynomial(degree: 3, gamma: 1, coef0: 1), maxRank: 500)
    private static let polynomial1DFixture = LowRankFixture(
        sine: 2000, kernel: .polynomial(degree: 3, gamma: 1, coef0: 1), maxRank: 250)
    private static let rbf3DFixture = LowRankFixture(cube: 2000, kernel: .rbf(gamma: 0.5), maxRank: 500)
    /// (x . x' / 3 + 1)^3 in 3-D: exact rank C(3 + 3, 3) = 20.
    private static let polynomial3DFixture = LowRankFixture(
        cube: 2000, kernel: .polynomial(degree: 3, gamma: 1.0 / 3, coef0: 1), maxRank: 250)
}

struct LowRankFixture: Sendable {
    let points: Points
    let labels: [Double]
    let kernel: Kernel
    let scale: Double
    let factorization: PivotedCholesky
    let spectrum: LowRankSpectrum
    /// 200 held-out points from the same distribution.
    let heldOut: Points
    /// The dense eigenvalues of G, descending, as LAPACK computed them (no zeroing).
    let denseValues: [Double]
    /// The dense z0 = V^T y.
    let denseZ0: [Double]
    /// The regularisation of the prediction checks: c = 1e-6 d_1.
    let c: Double
    /// Dense predictions g(X, train) scale V diag(1 / (c + d)) z0 at the held-out points.
    let densePredictions: [Double]
    /// Dense training targets V diag(d / (c + d)) z0 (one round's y_1).
    let denseTargets: [Double]
    /// ||G - F F^T||_2 by a dense eigensolve (K = 2000 only; nil otherwise).
    let residualNorm: Double?

    var count: Int { points.count }
    /// The dense eigensolver's noise: 20 eps_mach d_1. (Its errors reach 13 eps_mach d_1 on the
    /// 1-D polynomial kernel at K = 2000, against eigenvalues from the exact features, and vary
    /// from run to run with how OpenBLAS splits the work among threads.)
    var noise: Double { 20 * Double.ulpOfOne * denseValues[0] }

    init(sine count: Int, kernel: Kernel, maxRank: Int) {
        let train = Dataset.sine(n: count, noise: 0.1, seed: 7).train
        let heldOut = Dataset.sine(n: 200, noise: 0, seed: 8).train.points
        self.init(points: train.points, labels: train.targets, heldOut: heldOut, kernel: kernel, maxRank: maxRank)
    }

    /// Points uniform in [0, 1]^3, y = sin(2 pi x_1) + x_2 x_3 + 0.1 N(0, 1).
    init(cube count: Int, kernel: Kernel, maxRank: Int) {
        var random = TestRandom(seed: 21)
        let values = (0..<(3 * (count + 200))).map { _ in random.nextUniform() }
        let all = Points(count: count + 200, dimension: 3, values: values)
        let points = all.selecting(Array(0..<count))
        let labels = (0..<count).map { i in
            sin(2 * Double.pi * values[3 * i]) + values[3 * i + 1] * values[3 * i + 2] + 0.1 * random.nextGaussian()
        }
        self.init(
            points: points, labels: labels, heldOut: all.selecting(Array(count..<(count + 200))), kernel: kernel,
            maxRank: maxRank)
    }

    private init(points: Points, labels: [Double], heldOut: Points, kernel: Kernel, maxRank: Int) {
        let k = points.count, scale = 1 / Double(k)
        self.points = points
        self.labels = labels
        self.heldOut = heldOut
        self.kernel = kernel
        self.scale = scale
        guard
            case .converged(let factorization) = try! PivotedCholesky.factorize(
                points, kernel: kernel, scale: scale, maxRank: maxRank)
        else { fatalError("\(kernel.name) at K = \(k) did not converge within rank \(maxRank)") }
        self.factorization = factorization
        spectrum = try! LowRankSpectrum(factorization: factorization, labels: labels)

        // The dense G column by column (bit for bit kernel.gram's, KernelColumnsTests; faster unoptimised).
        var gram = [Double]()
        gram.reserveCapacity(k * k)
        for j in 0..<k { gram.append(contentsOf: kernel.column(points, at: j, scale: scale)) }
        if k <= 2000 {
            // The upper triangle of E = G - F F^T, densely.
            var residual = gram
            Lapack.subtractOuterProducts(factorization.factor, columns: factorization.rank, from: &residual, n: k)
            let values = try! Lapack.symmetricEigenvalues(residual, n: k)
            residualNorm = max(abs(values.first!), abs(values.last!))
        } else {
            residualNorm = nil
        }
        var vectors = gram
        let ascending = try! Lapack.symmetricEigen(&vectors, n: k)
        denseValues = ascending.reversed()
        let z0Ascending = Lapack.multiply(vectors, rows: k, columns: k, labels, transposed: true)
        denseZ0 = z0Ascending.reversed()
        let c = 1e-6 * ascending.last!
        self.c = c
        let coefficients = zip(ascending, z0Ascending).map { d, z in z / (c + d) }
        let a = Lapack.multiply(vectors, rows: k, columns: k, coefficients)
        let rows = kernel.matrix(rows: heldOut, columns: points, scale: scale)
        densePredictions = Lapack.multiply(rows, rows: heldOut.count, columns: k, a)
        denseTargets = Lapack.multiply(
            vectors, rows: k, columns: k, zip(ascending, z0Ascending).map { d, z in d * z / (c + d) })
    }
}
