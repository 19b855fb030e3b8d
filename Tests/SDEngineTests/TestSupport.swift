import SDEngine
import SDTestSupport

/// Runs a distillation to its end and returns the run and its rounds.
func runToEnd(_ dataset: Dataset, _ settings: DistillationSettings) throws -> (Distillation, [Round]) {
    var run = try Distillation(dataset: dataset, settings: settings)
    var rounds = [Round]()
    while let round = run.next() { rounds.append(round) }
    return (run, rounds)
}

/// The first `n` diabetes patients, standardised: a small multivariate regression set.
func smallDiabetes(_ n: Int = 60) -> Dataset {
    let full = Dataset.diabetes()
    let subset = full.train.selecting(Array(0..<n))
    return Dataset(
        name: "diabetes-\(n)", featureNames: full.featureNames, targetName: full.targetName,
        train: LabeledPoints(points: subset.points, targets: subset.targets.map { $0 / 100 })
    )
    .standardized()
}

/// Every solver path, forced: each comparison with an independent computation runs on each.
let solverPaths: [SolverChoice] = [.tridiagonal, .eigenvectors, .lowRank]

extension DistillationSettings {
    func with(_ solver: SolverChoice) -> DistillationSettings {
        var settings = self
        settings.solver = solver
        return settings
    }
}
