import Testing

@testable import SDEngine

/// One decomposition shared by many runs: the same rounds as runs that decompose on their own,
/// and no copy of the K x K eigenvectors.
@Suite struct KernelProblemTests {
    /// A data set, a kernel, and the modes and round caps of a sweep over them.
    struct Sweep: Sendable, CustomTestStringConvertible {
        let label: String
        let dataset: @Sendable () throws -> Dataset
        let kernel: @Sendable (Dataset) -> Kernel
        let runs: [(mode: DistillationMode, maxRounds: Int)]
        var testDescription: String { label }
    }

    static let sweeps = [
        // The toy data carries the truth grid, so truthMSE goes through the shared grid rows.
        Sweep(
            label: "toy rbf", dataset: { .toy() }, kernel: { _ in .rbf(gamma: 80) },
            runs: [
                (.eps(0.01), 100), (.eps(0.001), 100), (.eps(0.05), 100), (.eps(0.01), 3), (.eps(0.01), 7),
                (.relativeEps(0.1), 100), (.fixedC(0.2 / 11), 8), (.fixedC(0.2 / 11), 1),
            ]),
        // A held-out split, so testMSE goes through the shared held-out rows.
        Sweep(
            label: "diabetes rbf held-out", dataset: { try smallDiabetes().splitting(testFraction: 0.2, seed: 0) },
            kernel: { dataset in
                let median = Kernel.medianDistance(dataset.train.points)
                return .rbf(gamma: 1 / (2 * median * median))
            },
            runs: [
                (.eps(0.02), 100), (.eps(0.1), 100), (.eps(0.3), 100), (.eps(0.1), 4), (.relativeEps(0.05), 100),
                (.fixedC(1e-3), 12), (.fixedC(1e-2), 5),
            ]),
    ]

    /// Everything a run reports, after running it to its end.
    struct Outcome: Equatable {
        var rounds: [Round] = []
        var eps: Double?
        var r0: Double?
        var collapseRound: Int?
        var checks: TheoryChecks?
        var collapseBounds: CollapseBounds?
        var targets: [Double] = []
        var coefficients: [Double]?

        init(_ run: Distillation, rounds: [Round]) throws {
            self.rounds = rounds
            eps = run.eps
            r0 = run.r0
            collapseRound = run.collapseRound
            checks = run.checks
            collapseBounds = run.collapseBounds
            targets = try run.currentTargets()
            coefficients = try run.lastCoefficients()
        }
    }

    /// Runs from one shared problem, advanced in turn round by round so that any state they
    /// shared by mistake would show, against the same runs each built fresh from the data.
    @Test(arguments: sweeps)
    func sharedProblemGivesTheRoundsOfFreshRuns(sweep: Sweep) throws {
        let dataset = try sweep.dataset()
        let kernel = sweep.kernel(dataset)
        let problem = try KernelProblem(dataset: dataset, kernel: kernel)
        var shared = try sweep.runs.map { try Distillation(problem: problem, mode: $0.mode, maxRounds: $0.maxRounds) }
        var sharedRounds = [[Round]](repeating: [], count: shared.count)
        var running = true
        while running {
            running = false
            for i in shared.indices {
                if let round = shared[i].next() {
                    sharedRounds[i].append(round)
                    running = true
                }
            }
        }
        for (i, run) in sweep.runs.enumerated() {
            let settings = DistillationSettings(kernel: kernel, mode: run.mode, maxRounds: run.maxRounds)
            let (fresh, freshRounds) = try runToEnd(dataset, settings)
            #expect(
                try Outcome(shared[i], rounds: sharedRounds[i]) == Outcome(fresh, rounds: freshRounds),
                "\(run.mode) capped at \(run.maxRounds)")
            // A run's settings name the path `auto` chose.
            #expect(!freshRounds.isEmpty && shared[i].settings == settings.with(.tridiagonal))
        }
        // The sweep covers what it claims: rounds with held-out or truth errors, collapses and caps.
        let allRounds = sharedRounds.joined()
        #expect(allRounds.allSatisfy { $0.testMSE != nil || $0.truthMSE != nil })
        #expect(shared.contains { $0.collapseRound != nil } && shared.contains { $0.collapseRound == nil })
    }

    @Test func distillationsShareTheProblemsStorage() throws {
        let dataset = try smallDiabetes().splitting(testFraction: 0.2, seed: 0)
        let problem = try KernelProblem(dataset: dataset, kernel: .laplacian(gamma: 0.1), solver: .eigenvectors)
        var runs = [
            try Distillation(problem: problem, mode: .relativeEps(0.05)),
            try Distillation(problem: problem, mode: .fixedC(1e-3), maxRounds: 5),
        ]
        for i in runs.indices { while runs[i].next() != nil {} }
        func address(_ array: [Double]?) -> UnsafeRawPointer? {
            array?.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        let eigenvectors = try #require(address(problem.spectrum.eigenvectors))
        let testRows = try #require(address(problem.testKernel))
        for run in runs {
            #expect(address(run.spectrum.eigenvectors) == eigenvectors)
            #expect(address(run.problem.spectrum.eigenvectors) == eigenvectors)
            #expect(address(run.spectrum.eigenvalues) == address(problem.spectrum.eigenvalues))
            #expect(address(run.problem.testKernel) == testRows)
            #expect(address(run.dataset.train.targets) == address(problem.dataset.train.targets))
        }
    }

    @Test func infeasibleEpsLeavesTheProblemUsableForOthers() throws {
        let dataset = Dataset(
            name: "dup", featureNames: ["x"], targetName: "y",
            train: LabeledPoints(points: Points([0, 0.5, 0.5, 1]), targets: [0, 1, -1, 3]))
        let problem = try KernelProblem(dataset: dataset, kernel: .rbf(gamma: 10))
        // The null vector (e_2 - e_3) / sqrt 2 carries z = sqrt 2: no fit gets below eps = 2 / 4.
        let error = #expect(throws: EngineError.self) { try Distillation(problem: problem, mode: .eps(0.1)) }
        #expect(error?.code == .infeasibleEps)
        #expect(error?.message.contains("training points 2 and 3 are identical") == true)
        var run = try Distillation(problem: problem, mode: .eps(0.6))
        var rounds = [Round]()
        while let round = run.next() { rounds.append(round) }
        let (fresh, freshRounds) = try runToEnd(dataset, .init(kernel: .rbf(gamma: 10), mode: .eps(0.6)))
        #expect(!rounds.isEmpty && rounds == freshRounds && run.checks.allHeld && run.r0 == fresh.r0)
    }

    @Test(arguments: [
        Kernel.rbf(gamma: 0), .laplacian(gamma: .nan), .matern32(lengthScale: -1),
        .matern52(lengthScale: .infinity), .polynomial(degree: 0, gamma: 1, coef0: 1),
        .polynomial(degree: 2, gamma: 1, coef0: -0.5), .ntk(depth: 0),
    ])
    func invalidKernelIsRejectedBeforeAnyWork(kernel: Kernel) {
        var stages = 0
        let error = #expect(throws: EngineError.self) {
            try KernelProblem(dataset: .toy(), kernel: kernel) { _ in stages += 1 }
        }
        #expect(error?.code == .invalidParameter && error?.message.hasPrefix(kernel.name + " ") == true)
        let settings = DistillationSettings(kernel: kernel, mode: .eps(0.01))
        let viaSettings = #expect(throws: EngineError.self) {
            try Distillation(dataset: .toy(), settings: settings) { _ in stages += 1 }
        }
        #expect(viaSettings == error)
        #expect(stages == 0)
    }

    @Test(arguments: [
        (DistillationMode.eps(0), 10), (.eps(-.infinity), 10), (.relativeEps(.nan), 10),
        (.fixedC(-1), 10), (.eps(0.01), 0), (.fixedC(1), -3),
    ])
    func invalidModeOrRoundCapIsRejected(mode: DistillationMode, maxRounds: Int) throws {
        let problem = try KernelProblem(dataset: .toy(), kernel: .rbf(gamma: 80))
        let error = #expect(throws: EngineError.self) {
            try Distillation(problem: problem, mode: mode, maxRounds: maxRounds)
        }
        #expect(error?.code == .invalidParameter)
        // Checked before the decomposition when the run builds its own problem.
        var stages = 0
        let settings = DistillationSettings(kernel: .rbf(gamma: 80), mode: mode, maxRounds: maxRounds)
        #expect(throws: EngineError.self) { try Distillation(dataset: .toy(), settings: settings) { _ in stages += 1 } }
        #expect(stages == 0)
    }

    @Test func tooFewTrainingPointsAreRejected() {
        let single = Dataset(
            name: "one", featureNames: ["x"], targetName: "y",
            train: LabeledPoints(points: Points([0.5]), targets: [1]))
        let error = #expect(throws: EngineError.self) { try KernelProblem(dataset: single, kernel: .linear) }
        #expect(error?.code == .invalidData)
    }

    @Test func stagesAreReportedInOrderAndOnlyWhenThereAreRowsToBuild() throws {
        func stages(_ dataset: Dataset) throws -> [String] {
            var names = [String]()
            _ = try KernelProblem(dataset: dataset, kernel: .rbf(gamma: 80)) { stage in
                switch stage {
                case .gram(let k): names.append("gram \(k)")
                case .eigendecomposition(let k), .tridiagonalReduction(let k): names.append("eigen \(k)")
                case .predictionKernels(let k): names.append("rows \(k)")
                case .lowRankFactorization(let k): names.append("low rank \(k)")
                case .progress: break
                }
            }
            return names
        }
        #expect(try stages(.toy()) == ["gram 11", "eigen 11", "rows 11"])
        let bare = Dataset(name: "bare", featureNames: ["x"], targetName: "y", train: Dataset.toy().train)
        #expect(try stages(bare) == ["gram 11", "eigen 11"])
    }

    @Test func runsReportTheProblemsKernelAndDriver() throws {
        let problem = try KernelProblem(
            dataset: .toy(), kernel: .matern52(lengthScale: 0.2), solver: .eigenvectors, eigenDriver: .dsyevd)
        let run = try Distillation(problem: problem, mode: .fixedC(0.01), maxRounds: 4)
        #expect(
            run.settings
                == DistillationSettings(
                    kernel: .matern52(lengthScale: 0.2), mode: .fixedC(0.01),
                    maxRounds: 4, solver: .eigenvectors, eigenDriver: .dsyevd))
        #expect(problem.dataset.train == Dataset.toy().train && problem.spectrum.count == 11)
        #expect(problem.testKernel == nil && problem.truthKernel?.count == 101 * 11)
    }
}
