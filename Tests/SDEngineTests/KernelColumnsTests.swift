import SDTestSupport
import Testing

@testable import SDEngine

/// Kernel columns on demand are the dense Gram matrix's entries, bit for bit.
@Suite struct KernelColumnsTests {
    static let kernels: [Kernel] = [
        .rbf(gamma: 2), .laplacian(gamma: 1.5), .matern32(lengthScale: 0.7), .matern52(lengthScale: 0.7),
        .polynomial(degree: 3, gamma: 0.5, coef0: 1), .linear, .ntk(depth: 2),
    ]

    /// 1-D sine points and 3-D points in [-1, 1]^3.
    static func pointSets() -> [Points] {
        var random = TestRandom(seed: 11)
        let cube = (0..<(40 * 3)).map { _ in 2 * random.nextUniform() - 1 }
        return [Dataset.sine(n: 33, noise: 0, seed: 5).train.points, Points(count: 40, dimension: 3, values: cube)]
    }

    @Test(arguments: kernels)
    func columnsAndDiagonalAreTheGramEntriesBitForBit(kernel: Kernel) {
        for points in Self.pointSets() {
            let n = points.count, scale = 1 / Double(n)
            let gram = kernel.gram(points, scale: scale)
            let diagonal = kernel.diagonal(points, scale: scale)
            #expect(sameBits(diagonal, (0..<n).map { gram[$0 * n + $0] }))
            for pivot in [0, 1, n / 2, n - 1] {
                let column = kernel.column(points, at: pivot, scale: scale)
                #expect(sameBits(column, Array(gram[(pivot * n)..<((pivot + 1) * n)])), "column \(pivot)")
            }
        }
    }

    @Test func aSinglePointHasItsOwnValue() {
        let points = Points([0.25])
        #expect(Kernel.rbf(gamma: 3).column(points, at: 0, scale: 0.5) == [0.5])
        #expect(Kernel.linear.diagonal(points) == [0.0625])
    }
}
