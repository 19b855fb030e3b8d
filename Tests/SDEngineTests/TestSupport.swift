import Testing
@testable import SDEngine

/// |a - b| <= tolerance * max(|a|, |b|, floor): relative comparison that tolerates zeros.
func isClose(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 1e-300) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b), floor)
}

/// max_i |a_i - b_i| / max_i |b_i|: the error of a vector relative to its scale.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    let scale = b.map(abs).max() ?? 0
    let error = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    return scale > 0 ? error / scale : error
}

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
    let subset = full.train.selecting(Array(0 ..< n))
    return Dataset(name: "diabetes-\(n)", featureNames: full.featureNames, targetName: full.targetName,
                   train: LabeledPoints(points: subset.points, targets: subset.targets.map { $0 / 100 }))
        .standardized()
}
