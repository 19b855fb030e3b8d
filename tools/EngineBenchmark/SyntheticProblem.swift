import Foundation
import SDEngine

/// The benchmark's deterministic regression problem at training size K:
/// x ~ U[0, 1]^5, y = sum_j sin(2 pi x_j) + 0.3 N(0, 1), with 1000 test points drawn from
/// the same law, and an rbf kernel whose gamma = 1 / (2 median^2) follows the median
/// heuristic, so the spectrum decays the way it does on real data (neither flat nor rank 1).
struct SyntheticProblem {
    static let dimension = 5
    static let testCount = 1000
    static let noise = 0.3
    static let rounds = 30
    /// Fixed-c mode guarantees exactly `rounds` rounds (eps mode may collapse earlier), and
    /// the cost of a round does not depend on c. 1e-3 is a mild ridge next to d_1 ~ 0.6.
    static let fixedC = 1e-3

    let size: Int
    let dataset: Dataset
    let kernel: Kernel

    /// Training points come from seed 1 and test points from seed 2, so the first training
    /// points and the whole test set are the same at every K.
    init(size: Int) {
        self.size = size
        let train = Self.sample(count: size, seed: 1)
        let test = Self.sample(count: Self.testCount, seed: 2)
        dataset = Dataset(
            name: "benchmark-sines", featureNames: (1...Self.dimension).map { "x\($0)" },
            targetName: "y", train: train, test: test)
        let median = Kernel.medianDistance(train.points)
        kernel = .rbf(gamma: 1 / (2 * median * median))
    }

    /// The expensive part of a run with `driver`: Gram matrix, eigendecomposition, test kernel rows.
    func kernelProblem(driver: EigenDriver, progress: (DistillationStage) -> Void = { _ in }) throws -> KernelProblem {
        try KernelProblem(
            dataset: dataset, kernel: kernel, solver: .eigenvectors, eigenDriver: driver, progress: progress)
    }

    /// The benchmark's rounds on `problem`: fixed c, `rounds` rounds.
    func distillation(on problem: KernelProblem) throws -> Distillation {
        try Distillation(problem: problem, mode: .fixedC(Self.fixedC), maxRounds: Self.rounds)
    }

    /// G = gram / K, exactly the matrix `Distillation` decomposes (same function, same scale).
    func scaledGram() -> [Double] {
        kernel.gram(dataset.train.points, scale: 1 / Double(size))
    }

    /// One run as the issue defines it: set-up (Gram, eigendecomposition, test kernel rows)
    /// and then all rounds. Returns how many rounds ran, which the caller checks.
    func run(driver: EigenDriver, progress: (DistillationStage) -> Void = { _ in }) throws -> Int {
        var distillation = try distillation(on: kernelProblem(driver: driver, progress: progress))
        var rounds = 0
        while distillation.next() != nil { rounds += 1 }
        return rounds
    }

    private static func sample(count: Int, seed: UInt64) -> LabeledPoints {
        var generator = SeededGenerator(seed: seed)
        var values = [Double]()
        values.reserveCapacity(count * dimension)
        var targets = [Double]()
        targets.reserveCapacity(count)
        for _ in 0..<count {
            var y = 0.0
            for _ in 0..<dimension {
                let x = generator.nextUniform()
                values.append(x)
                y += sin(2 * Double.pi * x)
            }
            targets.append(y + noise * generator.nextGaussian())
        }
        return LabeledPoints(points: Points(count: count, dimension: dimension, values: values), targets: targets)
    }
}
