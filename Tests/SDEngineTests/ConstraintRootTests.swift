import Testing

@testable import SDEngine

@Suite struct ConstraintRootTests {
    /// h(c) = (1/K) sum (c z / (c + d))^2 - eps evaluated directly.
    func h(_ c: Double, _ d: [Double], _ z: [Double], _ eps: Double) -> Double {
        zip(d, z).reduce(0) { $0 + (c * $1.1 / (c + $1.0)) * (c * $1.1 / (c + $1.0)) } / Double(d.count) - eps
    }

    @Test func rootZeroesTheConstraintInsideItsBracket() throws {
        let d = [0.9, 0.4, 0.1, 1e-3, 1e-6]
        let z = [2.0, -1, 0.5, 0.3, -0.2]
        for eps in [1e-4, 1e-2, 0.1, 0.5] {
            let root = try #require(ConstraintRoot(eigenvalues: d, z: z, eps: eps, pointCount: d.count))
            #expect(root.bracket.contains(root.c))
            #expect(abs(h(root.c, d, z, eps)) <= 1e-15 * eps)
            // The root is the crossing: just below it h < 0, just above h > 0.
            #expect(h(root.c * (1 - 1e-9), d, z, eps) < 0 && h(root.c * (1 + 1e-9), d, z, eps) > 0)
        }
    }

    @Test func zeroEigenvaluesNarrowTheReachableLoss() throws {
        // The d = 0 component always contributes z^2 / K = 0.25 / 3; eps must exceed it.
        let d = [1.0, 0.2, 0]
        let z = [1.0, 1, 0.5]
        let eps = 0.1
        let root = try #require(ConstraintRoot(eigenvalues: d, z: z, eps: eps, pointCount: d.count))
        #expect(root.bracket.contains(root.c) && root.bracket.lowerBound > 0)
        #expect(abs(h(root.c, d, z, eps)) <= 1e-15 * eps)
    }

    /// What rounding lets past the caller's checks is no root, not a trap: an infeasible eps,
    /// a collapsed round, a bracket beyond double range.
    @Test func noRootInDoublePrecisionIsNil() {
        let d = [1.0, 0.2, 0]
        let z = [1.0, 1, 0.5]
        #expect(ConstraintRoot(eigenvalues: d, z: z, eps: 0.05, pointCount: d.count) == nil)  // below the d = 0 mass
        #expect(ConstraintRoot(eigenvalues: d, z: z, eps: 10, pointCount: d.count) == nil)  // r' < 1: collapsed
        // r' overflows; then c underflows.
        #expect(ConstraintRoot(eigenvalues: [1, 0.5], z: [1e200, 1e200], eps: 1e-300, pointCount: 2) == nil)
        #expect(ConstraintRoot(eigenvalues: [1, 1e-306], z: [1, 1], eps: 1e-10, pointCount: 2) == nil)
    }
}
