import Foundation
import SDTestSupport
import Testing

@testable import SDEngine

@Suite struct KernelTests {
    let x: ArraySlice<Double> = [0.2, -1.0, 0.5][...]
    let y: ArraySlice<Double> = [1.0, 0.5, 0.0][...]
    // |x - y|^2 = 0.64 + 2.25 + 0.25 = 3.14; |x - y|_1 = 0.8 + 1.5 + 0.5 = 2.8; x . y = 0.2 - 0.5 = -0.3.

    @Test func closedFormValues() {
        let r = 3.14.squareRoot()
        #expect(isClose(Kernel.rbf(gamma: 0.5)(x, y), exp(-0.5 * 3.14), relative: 1e-15))
        #expect(isClose(Kernel.laplacian(gamma: 2)(x, y), exp(-2 * 2.8), relative: 1e-15))
        let s3 = 3.0.squareRoot() * r / 1.5
        #expect(isClose(Kernel.matern32(lengthScale: 1.5)(x, y), (1 + s3) * exp(-s3), relative: 1e-14))
        let s5 = 5.0.squareRoot() * r / 1.5
        #expect(isClose(Kernel.matern52(lengthScale: 1.5)(x, y), (1 + s5 + s5 * s5 / 3) * exp(-s5), relative: 1e-14))
        #expect(isClose(Kernel.polynomial(degree: 3, gamma: 0.5, coef0: 1)(x, y), pow(0.85, 3), relative: 1e-15))
        #expect(isClose(Kernel.linear(x, y), -0.3, relative: 1e-15))
    }

    @Test func maternIsOneAtZeroDistance() {
        #expect(Kernel.matern32(lengthScale: 0.3)(x, x) == 1)
        #expect(Kernel.matern52(lengthScale: 0.3)(x, x) == 1)
    }

    @Test(arguments: [
        Kernel.rbf(gamma: 2), .laplacian(gamma: 1), .matern32(lengthScale: 0.7),
        .matern52(lengthScale: 0.7), .polynomial(degree: 2, gamma: 1, coef0: 1), .linear, .ntk(depth: 2),
    ])
    func gramIsSymmetricAndMatchesPairwiseEvaluation(kernel: Kernel) {
        let points = Dataset.sine(n: 7, noise: 0, seed: 3).train.points
        let gram = kernel.gram(points, scale: 0.5)
        let rectangular = kernel.matrix(rows: points, columns: points, scale: 0.5)
        for i in 0..<7 {
            for j in 0..<7 {
                #expect(gram[i + 7 * j] == gram[j + 7 * i])
                #expect(isClose(gram[i + 7 * j], 0.5 * kernel(points[i], points[j]), relative: 1e-15, floor: 1e-300))
                #expect(isClose(rectangular[i + 7 * j], gram[i + 7 * j], relative: 1e-15, floor: 1e-300))
            }
        }
    }

    @Test func medianDistanceOfEvenlySpacedPoints() {
        // Distances among 0, 1, 2, 3: 1, 1, 1, 2, 2, 3 -> median (1 + 2) / 2.
        #expect(Kernel.medianDistance(Points([0, 1, 2, 3])) == 1.5)
        #expect(Kernel.medianDistance(Points([4, 4])) == 1)
    }
}
