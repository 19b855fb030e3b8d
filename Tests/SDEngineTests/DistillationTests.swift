import Foundation
import SDTestSupport
import Testing

@testable import SDEngine

/// The spectral engine against independent computations (docs/math.md sections 4 and 5).
@Suite struct DistillationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let dataset: @Sendable () throws -> Dataset
        let settings: DistillationSettings
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "toy rbf eps", dataset: { .toy() }, settings: .init(kernel: .rbf(gamma: 80), mode: .eps(0.01))),
        Case(
            label: "toy rbf small eps", dataset: { .toy() }, settings: .init(kernel: .rbf(gamma: 80), mode: .eps(0.001))
        ),
        Case(
            label: "sine laplacian",
            dataset: { try Dataset.sine(n: 40, noise: 0.3, seed: 1).splitting(testFraction: 0.25, seed: 1) },
            settings: .init(kernel: .laplacian(gamma: 3), mode: .relativeEps(0.05))),
        Case(
            label: "sine matern32", dataset: { .sine(n: 30, noise: 0.3, seed: 2) },
            settings: .init(kernel: .matern32(lengthScale: 0.2), mode: .relativeEps(0.1))),
        Case(
            label: "sine matern52", dataset: { .sine(n: 30, noise: 0.3, seed: 3) },
            settings: .init(kernel: .matern52(lengthScale: 0.2), mode: .relativeEps(0.1))),
        Case(
            label: "diabetes polynomial", dataset: { try smallDiabetes().splitting(testFraction: 0.2, seed: 0) },
            settings: .init(kernel: .polynomial(degree: 2, gamma: 0.1, coef0: 1), mode: .relativeEps(0.1))),
        Case(
            label: "diabetes ntk", dataset: { smallDiabetes() },
            settings: .init(kernel: .ntk(depth: 2), mode: .relativeEps(0.05))),
        Case(
            label: "diabetes linear", dataset: { smallDiabetes() },
            settings: .init(kernel: .linear, mode: .relativeEps(0.9))),
        Case(
            label: "toy fixed c", dataset: { .toy() },
            settings: .init(kernel: .rbf(gamma: 80), mode: .fixedC(0.2 / 11), maxRounds: 8)),
    ]

    /// Each round against a direct Cholesky solve of (c_t I + G) a = y_t with no
    /// eigenvectors, iterating y_{t+1} = G a_t directly; the constraint must hold with equality.
    @Test(arguments: cases, solverPaths)
    func spectralRoundsMatchDirectCholeskySolves(testCase: Case, solver: SolverChoice) throws {
        let dataset = try testCase.dataset()
        var run = try Distillation(dataset: dataset, settings: testCase.settings.with(solver))
        #expect(run.spectrum.path.rawValue == solver.rawValue)
        let k = dataset.train.count
        let kernel = testCase.settings.kernel
        let gram = kernel.gram(dataset.train.points, scale: 1 / Double(k))
        let testRows = dataset.test.map {
            kernel.matrix(rows: $0.points, columns: dataset.train.points, scale: 1 / Double(k))
        }
        let labels = dataset.train.targets
        var targets = labels
        var roundCount = 0
        while true {
            #expect(relativeError(try run.currentTargets(), targets) <= 1e-10, "targets before round \(roundCount)")
            guard let round = run.next() else { break }
            var shifted = gram
            for i in 0..<k { shifted[i * k + i] += round.c }
            let direct = try Lapack.choleskySolve(shifted, n: k, rhs: targets)
            #expect(relativeError(try run.lastCoefficients()!, direct) <= 1e-10, "coefficients of round \(round.t)")
            let fitted = Lapack.multiply(gram, rows: k, columns: k, direct)
            let loss = zip(fitted, targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(k)
            #expect(isClose(round.targetMSE, loss, relative: 1e-10))
            if let eps = run.eps { #expect(isClose(loss, eps, relative: 1e-10), "constraint in round \(round.t)") }
            let trainMSE = zip(fitted, labels).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(k)
            #expect(isClose(round.trainMSE, trainMSE, relative: 1e-10))
            if let test = dataset.test, let testRows {
                let predictions = Lapack.multiply(testRows, rows: test.count, columns: k, direct)
                let testMSE =
                    zip(predictions, test.targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(test.count)
                #expect(isClose(round.testMSE!, testMSE, relative: 1e-10))
            }
            targets = fitted
            roundCount += 1
        }
        #expect(roundCount >= 1)
    }

    /// docs/math.md 4.1-4.3 on every kernel: bracket, monotonicity, collapse-round bounds.
    @Test(arguments: cases.filter { $0.settings.mode != .fixedC(0.2 / 11) }, solverPaths)
    func theoryChecksHoldOnEveryKernel(testCase: Case, solver: SolverChoice) throws {
        let (run, rounds) = try runToEnd(try testCase.dataset(), testCase.settings.with(solver))
        #expect(run.checks.allHeld)
        #expect(run.checks.maxConstraintError! <= 1e-12)
        let collapse = try #require(run.collapseRound)
        #expect(collapse == rounds.count)
        let bounds = try #require(run.collapseBounds)
        #expect(bounds.lower <= collapse && bounds.upper.map { collapse <= $0 } ?? true)
        #expect(run.checks.collapseBounds == true)
        for (earlier, later) in zip(rounds, rounds.dropFirst()) {
            #expect(later.c > earlier.c && later.r! < earlier.r! && later.degreesOfFreedom < earlier.degreesOfFreedom)
            #expect(later.rkhsNorm < earlier.rkhsNorm && later.trainMSE > earlier.trainMSE)
        }
    }

    /// G = d I (points so far apart that every off-diagonal kernel value underflows to 0):
    /// r falls by exactly 1 a round, c_t = d / (r_t - 1), and T = ceil(r_0 - 1) = both bounds.
    @Test(arguments: solverPaths)
    func identityGramFollowsTheClosedForm(solver: SolverChoice) throws {
        let x = (0..<6).map { Double($0) * 50 }
        let y = [1.0, -2, 0.5, 3, -1, 2]
        let r0 = 4.3
        let eps = y.reduce(0) { $0 + $1 * $1 } / (6 * r0 * r0)
        let dataset = Dataset(
            name: "identity", featureNames: ["x"], targetName: "y",
            train: LabeledPoints(points: Points(x), targets: y))
        let (run, rounds) = try runToEnd(dataset, .init(kernel: .rbf(gamma: 1), mode: .eps(eps), solver: solver))
        let d = 1.0 / 6
        #expect(run.spectrum.eigenvalues.allSatisfy { $0 == d })
        #expect(run.collapseRound == 4)
        #expect(rounds.count == 4)
        for round in rounds {
            let r = r0 - Double(round.t)
            #expect(isClose(round.r!, r, relative: 1e-12))
            #expect(isClose(round.c, d / (r - 1), relative: 1e-12))
            // s_k(i) = d / (c_i + d) = 1 - 1 / r_i for every k, so df_t = 6 prod_{i<=t} (1 - 1 / r_i).
            var shrinkage = 1.0
            for i in 0...round.t { shrinkage *= 1 - 1 / (r0 - Double(i)) }
            #expect(isClose(round.degreesOfFreedom, 6 * shrinkage, relative: 1e-12))
        }
        let bounds = try #require(run.collapseBounds)
        #expect(bounds.kappa == 1 && bounds.lower == 4 && bounds.upper == 4 && run.checks.collapseBounds == true)
    }

    /// Borup & Andersen's published fixed-c numbers (docs/math.md section 5).
    @Test(arguments: solverPaths)
    func fixedCMatchesPublishedTestErrors(solver: SolverChoice) throws {
        let published = [0.16477, 0.15076, 0.14915, 0.15561, 0.16735, 0.18251]
        let (_, rounds) = try runToEnd(
            .toy(), .init(kernel: .rbf(gamma: 80), mode: .fixedC(0.2 / 11), maxRounds: 6, solver: solver))
        #expect(rounds.count == 6)
        for (round, expected) in zip(rounds, published) {
            #expect(abs(round.truthMSE! - expected) <= 5e-6 + 1e-12, "round \(round.t): \(round.truthMSE!)")
        }
        #expect(rounds.bestRound { $0.truthMSE } == 2)
    }

    /// docs/math.md 4.5 on the paper's toy data: small eps helps for a round or more, large eps does not.
    @Test func toyBestRoundDependsOnEps() throws {
        let (_, small) = try runToEnd(.toy(), .init(kernel: .rbf(gamma: 80), mode: .eps(0.01)))
        #expect(small.bestRound { $0.truthMSE }! > 0)
        let (_, large) = try runToEnd(.toy(), .init(kernel: .rbf(gamma: 80), mode: .eps(0.05)))
        #expect(large.bestRound { $0.truthMSE } == 0)
    }

    @Test func duplicatePointsWithDifferentTargetsMakeSmallEpsInfeasible() throws {
        let dataset = Dataset(
            name: "dup", featureNames: ["x"], targetName: "y",
            train: LabeledPoints(points: Points([0, 0.5, 0.5, 1]), targets: [0, 1, -1, 3]))
        // The null vector (e_2 - e_3) / sqrt 2 carries z = sqrt 2: no fit gets below eps = 2 / 4.
        let error = #expect(throws: EngineError.self) {
            try Distillation(dataset: dataset, settings: .init(kernel: .rbf(gamma: 10), mode: .eps(0.1)))
        }
        #expect(error?.code == .infeasibleEps)
        #expect(error?.message.contains("training points 2 and 3 are identical") == true)
        #expect(error?.message.contains("closer than eps = 0.5") == true, "\(error?.message ?? "")")
        let (run, rounds) = try runToEnd(dataset, .init(kernel: .rbf(gamma: 10), mode: .eps(0.6)))
        #expect(!rounds.isEmpty && run.checks.allHeld)
    }

    @Test func epsAtOrAboveTheLabelsMeanSquareCollapsesAtRoundZero() throws {
        let (run, rounds) = try runToEnd(.toy(), .init(kernel: .rbf(gamma: 80), mode: .relativeEps(1.5)))
        #expect(rounds.isEmpty && run.collapseRound == 0)
        #expect(run.collapseBounds?.lower == 0 && run.checks.collapseBounds == true)
    }

    /// All-zero labels: eps-rel would resolve to eps = 0 and r_0 to 0 / 0, so it is refused;
    /// an absolute eps collapses at round 0 (f = 0 fits exactly), and fixed c runs.
    /// eps-rel 1 makes r_0 = 1 in exact arithmetic; in double it came out as 1 + 4e-16 on the
    /// diabetes data, and a spurious round ran with c near 1e15. Within rounding it is a collapse.
    @Test(arguments: solverPaths)
    func epsRelOneCollapsesAtRoundZeroDespiteRounding(solver: SolverChoice) throws {
        for dataset in [
            Dataset.toy(), Dataset.diabetes(), smallDiabetes(200), Dataset.sine(n: 300, noise: 0.1, seed: 4),
        ] {
            let (run, rounds) = try runToEnd(
                dataset, .init(kernel: .rbf(gamma: 1), mode: .relativeEps(1), solver: solver))
            #expect(rounds.isEmpty && run.collapseRound == 0, "\(dataset.name): r_0 - 1 = \(run.r0! - 1)")
            #expect(run.collapseBounds?.lower == 0 && run.checks.collapseBounds == true)
        }
        #expect(Distillation.collapses(r: 1 + 1e-16, pointCount: 2))
        #expect(Distillation.collapses(r: 1 + 4e-16, pointCount: 442))
        #expect(!Distillation.collapses(r: 1 + 1e-12, pointCount: 200_000))
    }

    @Test func zeroLabelsRefuseEpsRelAndCollapseWithAbsoluteEps() throws {
        let zeros = Dataset(
            name: "zeros", featureNames: ["x"], targetName: "y",
            train: LabeledPoints(points: Points([0, 0.5, 1]), targets: [0, 0, 0]))
        let error = #expect(throws: EngineError.self) {
            try Distillation(dataset: zeros, settings: .init(kernel: .rbf(gamma: 1), mode: .relativeEps(0.1)))
        }
        #expect(error?.code == .invalidParameter && error?.message.contains("resolves to eps = 0") == true)
        let (run, rounds) = try runToEnd(zeros, .init(kernel: .rbf(gamma: 1), mode: .eps(0.1)))
        #expect(rounds.isEmpty && run.collapseRound == 0 && run.r0 == 0 && run.checks.allHeld)
        let (_, fixed) = try runToEnd(zeros, .init(kernel: .rbf(gamma: 1), mode: .fixedC(0.1), maxRounds: 2))
        #expect(fixed.count == 2 && fixed.allSatisfy { $0.trainMSE == 0 && $0.degreesOfFreedom > 0 })
    }

    @Test func roundCapStopsBeforeCollapse() throws {
        let (run, rounds) = try runToEnd(.toy(), .init(kernel: .rbf(gamma: 80), mode: .eps(0.001), maxRounds: 3))
        #expect(rounds.count == 3 && run.collapseRound == nil && run.checks.collapseBounds == nil)
        // Capped exactly at the collapse round (T = 7 for eps = 0.01), the collapse is still seen.
        let (exact, exactRounds) = try runToEnd(.toy(), .init(kernel: .rbf(gamma: 80), mode: .eps(0.01), maxRounds: 7))
        #expect(exactRounds.count == 7 && exact.collapseRound == 7 && exact.checks.collapseBounds == true)
    }

    @Test func relativeEpsResolvesAgainstTheLabels() throws {
        let toy = Dataset.toy()
        let run = try Distillation(dataset: toy, settings: .init(kernel: .rbf(gamma: 80), mode: .relativeEps(0.1)))
        let meanSquare = toy.train.targets.reduce(0) { $0 + $1 * $1 } / 11
        #expect(isClose(run.eps!, 0.1 * meanSquare, relative: 1e-15))
        #expect(isClose(run.r0!, 1 / 0.1.squareRoot(), relative: 1e-12))
    }

    @Test(arguments: [
        DistillationSettings(kernel: .rbf(gamma: 1), mode: .eps(0)),
        DistillationSettings(kernel: .rbf(gamma: 1), mode: .eps(-1)),
        DistillationSettings(kernel: .rbf(gamma: 1), mode: .eps(.nan)),
        DistillationSettings(kernel: .rbf(gamma: 1), mode: .relativeEps(0)),
        DistillationSettings(kernel: .rbf(gamma: 1), mode: .fixedC(0)),
        DistillationSettings(kernel: .rbf(gamma: 0), mode: .eps(0.1)),
        DistillationSettings(kernel: .laplacian(gamma: -1), mode: .eps(0.1)),
        DistillationSettings(kernel: .matern32(lengthScale: 0), mode: .eps(0.1)),
        DistillationSettings(kernel: .ntk(depth: 0), mode: .eps(0.1)),
        DistillationSettings(kernel: .polynomial(degree: 0, gamma: 1, coef0: 1), mode: .eps(0.1)),
        DistillationSettings(kernel: .rbf(gamma: 1), mode: .eps(0.1), maxRounds: 0),
    ])
    func invalidSettingsAreRejected(settings: DistillationSettings) {
        let error = #expect(throws: EngineError.self) { try Distillation(dataset: .toy(), settings: settings) }
        #expect(error?.code == .invalidParameter)
    }
}

/// The collapse bounds of docs/math.md 4.2 as a run judges them round by round.
@Suite struct CollapseBoundsTests {
    /// r0 = 3, kappa = 2: lower ceil(2) = 2, upper ceil(4) = 4.
    static let bounds = CollapseBounds(r0: 3, kappa: 2, rounds: nil)

    @Test func boundsFollowR0AndKappa() {
        #expect(Self.bounds.lower == 2 && Self.bounds.upper == 4)
        let flat = CollapseBounds(r0: 0.5, kappa: 10, rounds: 0)
        #expect(flat.lower == 0 && flat.upper == 0 && flat.held(roundsRun: 0) == true)
        #expect(CollapseBounds(r0: 3, kappa: .infinity, rounds: nil).upper == nil)
    }

    /// Not collapsed after n rounds means T >= n + 1: with upper 4, a run still going after 4
    /// rounds has broken the bound; after 3 it cannot be judged yet.
    @Test func aRunNotCollapsedByTheUpperBoundBreaksIt() {
        #expect(Self.bounds.held(roundsRun: 3) == nil)
        #expect(Self.bounds.held(roundsRun: 4) == false)
        for (rounds, held) in [(1, false), (2, true), (4, true), (5, false)] {
            #expect(CollapseBounds(r0: 3, kappa: 2, rounds: rounds).held(roundsRun: rounds) == held, "T = \(rounds)")
        }
    }
}

/// A tiny eps makes r_0 enormous: the bounds are still numbers, never a trap.
@Suite struct TinyEpsTests {
    @Test func hugeR0GivesClampedBounds() throws {
        let bounds = CollapseBounds(r0: 1e20, kappa: 10, rounds: nil)
        #expect(bounds.lower >= 1 << 61 && bounds.upper == nil && bounds.held(roundsRun: 100) == nil)
        var run = try Distillation(
            dataset: .toy(),
            settings: DistillationSettings(
                kernel: .rbf(gamma: 80), mode: .eps(1e-40),
                maxRounds: 2))
        while run.next() != nil {}
        #expect(run.collapseRound == nil && run.checks.collapseBounds == nil)
    }
}

/// The solver paths against each other: the same rounds to 1e-10 relative, the same eigenvalues
/// to 1e-10 d_1, and the same |z_0| where the eigenvalues are well separated.
@Suite struct SolverPathAgreementTests {
    @Test(arguments: DistillationTests.cases)
    func everyPathGivesTheSameRounds(testCase: DistillationTests.Case) throws {
        let dataset = try testCase.dataset()
        let (reference, referenceRounds) = try runToEnd(dataset, testCase.settings.with(.eigenvectors))
        for path in solverPaths where path != .eigenvectors {
            let (run, rounds) = try runToEnd(dataset, testCase.settings.with(path))
            #expect(rounds.count == referenceRounds.count && run.collapseRound == reference.collapseRound, "\(path)")
            let d = run.spectrum.eigenvalues, referenceD = reference.spectrum.eigenvalues
            let scale = referenceD[0]
            for k in 0..<min(d.count, referenceD.count) {
                #expect(abs(d[k] - referenceD[k]) <= 1e-10 * scale, "\(path) d_\(k + 1)")
                let separated =
                    (k == 0 || referenceD[k - 1] - referenceD[k] > 1e-6 * scale)
                    && (k == referenceD.count - 1 || referenceD[k] - referenceD[k + 1] > 1e-6 * scale)
                if separated && referenceD[k] > 0 {
                    let (a, b) = (abs(run.spectrum.z0[k]), abs(reference.spectrum.z0[k]))
                    #expect(abs(a - b) <= 1e-10 * max(1, b), "\(path) |z0_\(k + 1)|: \(a) vs \(b)")
                }
            }
            for (round, expected) in zip(rounds, referenceRounds) {
                let pairs: [(String, Double?, Double?)] = [
                    ("c", round.c, expected.c), ("r", round.r, expected.r),
                    ("train", round.trainMSE, expected.trainMSE),
                    ("target", round.targetMSE, expected.targetMSE), ("test", round.testMSE, expected.testMSE),
                    ("truth", round.truthMSE, expected.truthMSE),
                    ("df", round.degreesOfFreedom, expected.degreesOfFreedom),
                    ("gcv", round.gcv, expected.gcv), ("rkhs", round.rkhsNorm, expected.rkhsNorm),
                ]
                for (name, value, other) in pairs {
                    #expect((value == nil) == (other == nil), "\(path) round \(round.t) \(name)")
                    if let value, let other {
                        #expect(
                            isClose(value, other, relative: 1e-10),
                            "\(path) round \(round.t) \(name): \(value) vs \(other)")
                    }
                }
            }
        }
    }

    /// Whole runs on the low-rank path against the tridiagonal path at K = 2000 with 500 held
    /// out: the same rounds to 1e-10, and a recorded error bound no larger than the noise floor.
    @Test(arguments: [
        Kernel.rbf(gamma: 50), .matern52(lengthScale: 0.5), .polynomial(degree: 3, gamma: 1, coef0: 1),
    ])
    func lowRankRunsAgreeWithDenseRuns(kernel: Kernel) throws {
        let dataset = try Dataset.sine(n: 2500, noise: 0.1, seed: 5).splitting(testFraction: 0.2, seed: 5)
        let settings = DistillationSettings(kernel: kernel, mode: .relativeEps(0.05))
        let (dense, denseRounds) = try runToEnd(dataset, settings.with(.tridiagonal))
        let (lowRank, rounds) = try runToEnd(dataset, settings.with(.lowRank))
        #expect(lowRank.spectrum.path == .lowRank && lowRank.spectrum.resolvedCount < 2000 / 4)
        #expect(lowRank.spectrum.errorBound <= lowRank.spectrum.zeroTolerance)
        #expect(rounds.count == denseRounds.count && lowRank.collapseRound == dense.collapseRound)
        for (round, expected) in zip(rounds, denseRounds) {
            for (name, value, other) in [
                ("c", round.c, expected.c), ("train", round.trainMSE, expected.trainMSE),
                ("test", round.testMSE!, expected.testMSE!), ("df", round.degreesOfFreedom, expected.degreesOfFreedom),
                ("gcv", round.gcv, expected.gcv), ("rkhs", round.rkhsNorm, expected.rkhsNorm),
            ] {
                #expect(isClose(value, other, relative: 1e-10), "round \(round.t) \(name): \(value) vs \(other)")
            }
        }
    }
}
