import Foundation
import SDEngine
import SDSpec
import SDStore
import SDTestSupport
import Testing

@testable import SDRun

/// Running a specification and recording it: what the store holds afterwards is exactly what
/// the engine computed, and a failure is recorded as one.
@Suite struct RunnerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let specification: RunSpecification
        /// The kernel's configuration columns as the run must record them.
        let gamma: Double?, lengthScale: Double?, degree: Int?, coef0: Double?, depth: Int?
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "toy rbf gamma 80 eps 0.01",
            specification: RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01)),
            gamma: 80, lengthScale: nil, degree: nil, coef0: nil, depth: nil),
        Case(
            label: "toy ntk depth 3",
            specification: RunSpecification(kernel: .init(name: "ntk", depth: 3), mode: .init(eps: 0.01)),
            gamma: nil, lengthScale: nil, degree: nil, coef0: nil, depth: 3),
        Case(
            label: "toy polynomial degree 7",
            specification: RunSpecification(
                kernel: .init(name: "polynomial", degree: 7, coef0: 0.5), mode: .init(eps: 0.05)),
            gamma: 1, lengthScale: nil, degree: 7, coef0: 0.5, depth: nil),
        Case(
            label: "sine matern52 with a held-out set",
            specification: RunSpecification(
                data: .init(source: "sine", testFraction: 0.25, seed: 5, pointCount: 40),
                kernel: .init(name: "matern52", bandwidth: 0.2), mode: .init(epsRel: 0.1),
                labels: .init(experiment: "m", tags: [SDStore.Tag(key: "k", value: "v")], note: "a note")),
            gamma: nil, lengthScale: 0.2, degree: nil, coef0: nil, depth: nil),
    ]

    static func store() throws -> (RunStore, URL) {
        let folder = try temporaryFolder()
        return (try RunStore(path: folder.appendingPathComponent("runs.db").path, create: true), folder)
    }

    /// A run is recorded finished with the outcome's rounds, spectrum, configuration, config
    /// columns (whole-number parameters as integers), summary and zero-predictor errors.
    @Test(arguments: cases)
    func recordsWhatItComputed(_ testCase: Case) throws {
        let (store, folder) = try Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Runner.run(testCase.specification, store: store)
        let id = try #require(outcome.runID)
        let run = try store.run(id: id)
        let distillation = outcome.distillation
        #expect(run.status == .finished && run.error == nil && run.endedAt != nil && run.source == .sdtrack)
        #expect(run.roundCount == outcome.rounds.count && !outcome.rounds.isEmpty)
        #expect(
            run.experiment == testCase.specification.labels.experiment && run.tags == testCase.specification.labels.tags
        )
        #expect(run.note == testCase.specification.labels.note && run.sdtrackVersion == sdtrackVersion)
        // Rounds and spectrum, bit for bit.
        let stored = try store.rounds(runID: id)
        let expected = outcome.rounds.map(RunRecorder.roundRecord)
        #expect(stored == expected)
        #expect(stored.count == expected.count && zip(stored, expected).allSatisfy { $0.isIdentical(to: $1) })
        let spectrum = try #require(try store.spectrum(runID: id))
        #expect(
            spectrum.isIdentical(
                to: SpectrumRecord(
                    d: distillation.spectrum.eigenvalues, z0: distillation.spectrum.z0,
                    zeroTolerance: distillation.spectrum.zeroTolerance)))
        // The configuration JSON and the configuration columns.
        #expect(run.configJSON == outcome.configuration.serialized())
        let dataset = distillation.dataset
        #expect(
            run.config
                == RunRecorder.config(
                    dataset: dataset, kernel: distillation.settings.kernel,
                    mode: distillation.settings.mode, eps: distillation.eps,
                    seed: testCase.specification.data.seed,
                    noise: testCase.specification.data.resolvedNoise))
        #expect(
            run.config.kernel == testCase.specification.kernel.name
                && run.config.mode == distillation.settings.mode.name)
        #expect(run.config.gamma == testCase.gamma && run.config.lengthScale == testCase.lengthScale)
        #expect(
            run.config.degree == testCase.degree && run.config.coef0 == testCase.coef0
                && run.config.depth == testCase.depth)
        #expect(run.config.eps == distillation.eps && run.config.c == nil)
        #expect(run.config.dataset == dataset.name && run.config.k == dataset.train.count)
        #expect(run.config.testSize == (dataset.test?.count ?? 0) && run.config.dataSHA256 == dataset.fingerprint)
        #expect(
            run.config.seed == Int(testCase.specification.data.seed)
                && run.config.noise == testCase.specification.data.resolvedNoise)
        // The summary and the zero predictor's errors.
        // An infinite kappa (some eigenvalue numerically zero) is stored as NULL.
        var summary = RunRecorder.summary(distillation)
        if summary.kappa?.isFinite == false { summary.kappa = nil }
        #expect(run.summary == summary)
        #expect(run.summary.collapseRound == distillation.collapseRound && run.summary.checksHeld == true)
        let zero = dataset.zeroPredictorMSE
        #expect(
            run.zeroPredictor == ZeroPredictorErrors(trainMSE: zero.train, testMSE: zero.test, truthMSE: zero.truth))
    }

    /// toy, rbf gamma 80, eps 0.01: the recorded columns are the values asked for.
    @Test func toyColumnsAreTheValuesAsked() throws {
        let (store, folder) = try Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Runner.run(
            RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01)), store: store)
        let run = try store.run(id: try #require(outcome.runID))
        #expect(
            run.config.gamma == 80 && run.config.eps == 0.01 && run.config.mode == "eps" && run.config.kernel == "rbf")
        #expect(run.config.dataset == "toy" && run.config.k == 11 && run.config.testSize == 0 && run.config.seed == 0)
        #expect(run.config.noise == nil && run.config.depth == nil && run.config.degree == nil)
        // Integer columns are stored and read back as integers.
        #expect(run.config[.k] == .integer(11) && run.config[.gamma] == .real(80))
        #expect(outcome.configuration["resolved"]?["kernel"]?["gamma"] == .int(80))
    }

    /// Fixed c records its c and no eps, and the whole-number columns of ntk come back as integers.
    @Test func fixedCAndIntegerColumns() throws {
        let (store, folder) = try Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixed = try Runner.run(
            RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(fixedC: 0.02), maxRounds: 4),
            store: store)
        let run = try store.run(id: try #require(fixed.runID))
        #expect(run.config.mode == "fixed-c" && run.config.c == 0.02 && run.config.eps == nil)
        #expect(run.roundCount == 4 && run.summary.collapseRound == nil && run.summary.r0 == nil)
        let ntk = try Runner.run(
            RunSpecification(kernel: .init(name: "ntk", depth: 3), mode: .init(eps: 0.01)), store: store)
        let ntkRun = try store.run(id: try #require(ntk.runID))
        #expect(
            ntkRun.config[.depth] == .integer(3) && ntkRun.configJSON.contains(#""kernel":{"depth":3,"name":"ntk"}}"#))
        #expect(!ntkRun.configJSON.contains(#""depth":3.0"#))
    }

    /// An infeasible eps (linear kernel, eps 0.01 on toy) throws and leaves one failed run with
    /// the engine's message and no rounds.
    @Test func failureIsRecorded() throws {
        let (store, folder) = try Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specification = RunSpecification(kernel: .init(name: "linear"), mode: .init(eps: 0.01))
        let error = #expect(throws: EngineError.self) { try Runner.run(specification, store: store) }
        #expect(error?.code == .infeasibleEps)
        let runs = try store.runs()
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.status == .failed && run.endedAt != nil && run.roundCount == 0)
        #expect(run.error == error?.message && run.error?.contains("eps 0.01 is infeasible") == true)
        #expect(run.config.kernel == "linear" && run.config.eps == 0.01)
        // Nothing established but the OpenBLAS kernels it ran on.
        #expect(run.summary == RunRecorder.blasSummary() && run.summary.blasCore != nil)
        #expect(try store.rounds(runID: run.id).isEmpty && store.spectrum(runID: run.id) == nil)
    }

    /// Refusals before any work record nothing: an invalid specification, a missing data file.
    @Test func refusalsRecordNothing() throws {
        let (store, folder) = try Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: SpecificationError.self) {
            try Runner.run(RunSpecification(mode: .init(eps: -1)), store: store)
        }
        let missing = folder.appendingPathComponent("missing.csv").path
        #expect(throws: DataFileError.self) {
            try Runner.run(RunSpecification(data: .init(source: missing)), store: store)
        }
        #expect(try store.runs().isEmpty)
    }

    /// Without a store nothing is recorded and no database file appears where sdtrack would
    /// put one (the current folder); the outcome has no run ID, and a failure still throws.
    @Test func withoutAStoreNothingIsRecorded() throws {
        func databases() throws -> Set<String> {
            Set(
                try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath)
                    .filter { $0.hasSuffix(".db") || $0.hasSuffix(".db-wal") })
        }
        let before = try databases()
        let outcome = try Runner.run(
            RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01)), store: nil)
        #expect(outcome.runID == nil && !outcome.rounds.isEmpty)
        #expect(
            outcome.configuration
                == RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01))
                .configuration(data: try DataSpecification().load(), kernel: .rbf(gamma: 80), eps: 0.01))
        #expect(throws: EngineError.self) {
            try Runner.run(RunSpecification(kernel: .init(name: "linear"), mode: .init(eps: 0.01)), store: nil)
        }
        #expect(try databases() == before)
    }

    /// The runner's rounds equal those of a fresh engine run on the same data and settings, bit for bit.
    @Test(arguments: cases)
    func agreesWithTheEngine(_ testCase: Case) throws {
        let outcome = try Runner.run(testCase.specification, store: nil)
        let dataset = try testCase.specification.data.load().dataset
        let kernel = testCase.specification.kernel.resolve(for: dataset.train.points)
        #expect(kernel == outcome.distillation.settings.kernel)
        var engine = try Distillation(
            dataset: dataset,
            settings: DistillationSettings(
                kernel: kernel, mode: testCase.specification.mode.mode,
                maxRounds: testCase.specification.resolvedMaxRounds))
        var rounds = [Round]()
        while let round = engine.next() { rounds.append(round) }
        #expect(outcome.rounds == rounds && !rounds.isEmpty)
        #expect(
            zip(outcome.rounds, rounds).allSatisfy {
                sameBits([$0.c, $0.trainMSE, $0.gcv], [$1.c, $1.trainMSE, $1.gcv])
            })
        #expect(outcome.distillation.collapseRound == engine.collapseRound && outcome.distillation.eps == engine.eps)
        #expect(sameBits(outcome.distillation.spectrum.eigenvalues, engine.spectrum.eigenvalues))
    }

    /// The progress callback hears the set-up stages in order.
    @Test func progressHearsTheStages() throws {
        var stages = [String]()
        _ = try Runner.run(
            RunSpecification(
                data: .init(testFraction: 0.2), kernel: .init(name: "rbf", gamma: 80),
                mode: .init(eps: 0.01)), store: nil
        ) { stage in
            switch stage {
            case .gram(let points): stages.append("gram \(points)")
            case .eigendecomposition(let points), .tridiagonalReduction(let points): stages.append("eigen \(points)")
            case .predictionKernels(let points): stages.append("prediction \(points)")
            case .lowRankFactorization(let points): stages.append("low rank \(points)")
            case .progress: break
            }
        }
        #expect(stages == ["gram 9", "eigen 9", "prediction 9"])
    }
}
