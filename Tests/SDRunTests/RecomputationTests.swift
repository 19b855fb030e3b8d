import Foundation
import SDEngine
import SDJSON
import SDSpec
import SDStore
import SDTestSupport
import Testing

@testable import SDRun

/// Computing a recorded run again from its configuration and drawing its fits: the same
/// rounds, fits that are the engine's (and numpy's), and errors when the data are not the run's.
@Suite struct RecomputationTests {
    /// A run recorded in a fresh store: its configuration and recorded c_t as the store gives them.
    struct Recorded {
        let outcome: RunOutcome
        let run: RunRecord
        let configuration: JSONValue
        let c: [Double]
    }

    static func record(_ specification: RunSpecification, in folder: URL) throws -> Recorded {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try RunStore(path: folder.appendingPathComponent("runs.db").path, create: true)
        let outcome = try Runner.run(specification, store: store)
        let run = try store.run(id: try #require(outcome.runID))
        let rounds = try store.rounds(runID: run.id)
        return Recorded(
            outcome: outcome, run: run, configuration: try #require(JSONValue.parse(run.configJSON)),
            c: try rounds.map { try #require($0.c) })
    }

    /// The paper's toy figure: rbf gamma 80, eps 0.01, 7 rounds before the collapse at round 7.
    static let paperToy = RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01))
    /// toy with the median-distance bandwidth (gamma 3.125) and the default eps-rel: collapse at 6.
    static let medianToy = RunSpecification()

    /// The recomputed run has the recorded rounds, c_t bit for bit, and its collapse round,
    /// whose fit is 0; the grid is the training range extended by 5%; the truth is sin(2 pi x).
    @Test func toyRunComesBackAsRecorded() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = try Self.record(Self.paperToy, in: folder)
        let curves = try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c)
        #expect(recorded.c.count == 7 && recorded.run.summary.collapseRound == 7)
        #expect(curves.collapseRound == 7 && curves.rounds.map(\.t) == Array(0...7))
        #expect(sameBits(curves.rounds.dropLast().compactMap(\.c), recorded.c))
        #expect(curves.rounds.last?.c == nil && curves.rounds.last?.values.allSatisfy { $0 == 0 } == true)
        #expect(
            curves.grid.count == Recomputation.defaultGridCount && curves.rounds.allSatisfy { $0.values.count == 201 })
        #expect(curves.grid.first == -0.05 && curves.grid.last == 1.05)
        #expect(zip(curves.grid, curves.grid.dropFirst()).allSatisfy { isClose($1 - $0, 0.0055, relative: 1e-9) })
        let toy = Dataset.toy()
        #expect(curves.trainX == toy.train.points.values && curves.trainY == toy.train.targets)
        #expect(curves.truth == curves.grid.map(Dataset.sineTruth) && curves.kernel == .rbf(gamma: 80))
        // The grid size is the caller's, within bounds.
        let small = try Recomputation.fitCurves(
            configuration: recorded.configuration, recordedC: recorded.c, gridCount: 2)
        #expect(small.grid == [-0.05, 1.05] && small.rounds.count == 8)
        // The configuration as the store's text reads the same.
        let raw = try Recomputation.fitCurves(
            configuration: .raw(recorded.run.configJSON), recordedC: recorded.c, gridCount: 2)
        #expect(raw.rounds == small.rounds)
        let error = #expect(throws: RecomputationError.self) {
            try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c, gridCount: 1)
        }
        #expect(error?.code == .invalidRequest && error?.message == "a grid needs 2 to 10000 points, got 1")
    }

    /// f_t at the training points is the next round's targets y_{t+1} of a fresh engine run on
    /// the same problem (to 1e-10 relative), for both toy kernels.
    @Test(arguments: ["paper toy", "median toy"])
    func fitsAtTheTrainingPointsAreTheNextTargets(_ label: String) throws {
        let specification = label == "paper toy" ? Self.paperToy : Self.medianToy
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = try Self.record(specification, in: folder)
        let problem = recorded.outcome.distillation.problem
        let curves = try Recomputation.fitCurves(
            configuration: recorded.configuration, recordedC: recorded.c,
            grid: problem.dataset.train.points.values)
        var engine = try Distillation(
            problem: problem, mode: specification.mode.mode, maxRounds: specification.resolvedMaxRounds)
        var t = 0
        while engine.next() != nil {
            let next = try engine.currentTargets()
            #expect(relativeError(curves.rounds[t].values, next) <= 1e-10, "round \(t)")
            t += 1
        }
        #expect(t == recorded.c.count && t >= 3 && curves.rounds.count == t + 1)
    }

    /// numpy, round by round from the recorded c_t: a = solve(c_t I + G, y_t), f_t = g_x a and
    /// y_{t+1} = G a, with the run's resolved gamma (the median-distance bandwidth) and the same grid.
    static let numpyScript = """
        import json, sys
        import numpy as np
        given = json.load(open(sys.argv[1]))
        x, y, grid = np.array(given["x"]), np.array(given["y"]), np.array(given["grid"])
        gamma, K = given["gamma"], len(x)
        G = np.exp(-gamma * (x[:, None] - x[None, :]) ** 2) / K
        rows = np.exp(-gamma * (grid[:, None] - x[None, :]) ** 2) / K
        fits = []
        for c in given["c"]:
            a = np.linalg.solve(c * np.eye(K) + G, y)
            fits.append([float(v) for v in rows @ a])
            y = G @ a
        print(json.dumps(fits))
        """

    @Test func fitsAgreeWithNumpy() throws {
        try requirePython(modules: ["numpy"])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = try Self.record(Self.medianToy, in: folder)
        let curves = try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c)
        let gamma = try #require(recorded.configuration["resolved"]?["kernel"]?["gamma"]?.doubleValue)
        // sigma = 0.4, the median distance of x = 0, 0.1, ..., 1 (to its rounding).
        #expect(isClose(gamma, 3.125, relative: 1e-15))
        let input = JSONValue.object([
            ("x", .numbers(curves.trainX)), ("y", .numbers(curves.trainY)), ("grid", .numbers(curves.grid)),
            ("gamma", .number(gamma)), ("c", .numbers(recorded.c)),
        ])
        let inputPath = try write(input.serialized(), to: "input.json", in: folder)
        let script = try write(Self.numpyScript, to: "fits.py", in: folder)
        let result = try python([script, inputPath])
        #expect(result.status == 0, "\(result.stderr)")
        guard case .array(let fits)? = JSONValue.parse(result.stdout) else {
            Issue.record("numpy printed \(result.stdout)")
            return
        }
        #expect(fits.count == recorded.c.count && recorded.c.count >= 3)
        for (t, fit) in fits.enumerated() {
            guard case .array(let values) = fit else { continue }
            let numpy = values.compactMap(\.doubleValue)
            #expect(numpy.count == curves.grid.count && relativeError(curves.rounds[t].values, numpy) <= 1e-8)
        }
    }

    /// The paper's figure: each round's fit is smoother than the last (the sum of squared second
    /// differences on the grid strictly falls), and the collapse round's fit is 0.
    @Test func fitsSmoothAndCollapse() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = try Self.record(Self.paperToy, in: folder)
        let curves = try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c)
        func roughness(_ f: [Double]) -> Double {
            (1..<f.count - 1).reduce(0) { sum, i in
                let second = f[i - 1] - 2 * f[i] + f[i + 1]
                return sum + second * second
            }
        }
        let roughnesses = curves.rounds.map { roughness($0.values) }
        #expect(roughnesses.count == 8 && roughnesses.last == 0)
        #expect(zip(roughnesses, roughnesses.dropFirst()).allSatisfy { $1 < $0 }, "\(roughnesses)")
        #expect(curves.rounds.last?.values == [Double](repeating: 0, count: curves.grid.count))
        // The fits also shrink towards 0.
        let sizes = curves.rounds.map { $0.values.map(abs).max()! }
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $1 < $0 }, "\(sizes)")
    }

    /// A one-feature CSV file: 12 points of a noisy line.
    static let csv = (0..<12).reduce("x,y\n") { text, i in
        text + "\(Double(i) / 11),\(Double(i % 4) * 0.3 - Double(i) / 20)\n"
    }

    /// The recorded CSV file changed: the data-changed error, which says to give --data; a copy
    /// of the original elsewhere given as the data path is accepted; a missing file is named.
    @Test func changedOrMovedCSV() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(Self.csv, to: "data.csv", in: folder)
        let recorded = try Self.record(
            RunSpecification(data: .init(source: path), kernel: .init(name: "laplacian"), mode: .init(epsRel: 0.1)),
            in: folder)
        let original = try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c)
        #expect(original.truth == nil && original.rounds.count == recorded.c.count + 1)

        let moved = try write(Self.csv, to: "elsewhere/moved.csv", in: folder)
        try FileManager.default.removeItem(atPath: path)
        let missing = #expect(throws: RecomputationError.self) {
            try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c)
        }
        #expect(
            missing?.code == .dataMissing
                && missing?.message.hasSuffix("give --data PATH with the file the run used") == true)
        let fromCopy = try Recomputation.fitCurves(
            configuration: recorded.configuration, recordedC: recorded.c, dataPath: moved)
        #expect(fromCopy.rounds == original.rounds && fromCopy.grid == original.grid)

        // One changed digit: the first label 0.0 becomes 10.0.
        try write(Self.csv.replacingOccurrences(of: "\n0.0,", with: "\n0.0,1"), to: "data.csv", in: folder)
        let changed = #expect(throws: RecomputationError.self) {
            try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c)
        }
        #expect(changed?.code == .dataChanged)
        let fingerprint = try #require(recorded.configuration["source_sha256"]?.stringValue)
        #expect(
            changed?.message.hasPrefix("the data changed since the run: '\(path.shortened)' now has SHA-256 ") == true)
        #expect(
            changed?.message.hasSuffix(
                ", the run's \(fingerprint.prefix(12))...; give --data PATH with the file the run used") == true)
        #expect(changed?.message.contains("\n") == false)

        // A data path applies to CSV runs only.
        let toy = try Self.record(Self.paperToy, in: folder.appendingPathComponent("toy"))
        let builtin = #expect(throws: RecomputationError.self) {
            try Recomputation.fitCurves(configuration: toy.configuration, recordedC: toy.c, dataPath: moved)
        }
        #expect(builtin?.message == "a data path applies to runs on a CSV file; this run used the built-in 'toy' data")
    }

    /// sine has no fingerprint: its K and its rounds are checked. The recomputed run has its
    /// truth; another n gives another K, the data-changed error.
    @Test func sineIsCheckedByKAndRounds() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = try Self.record(
            RunSpecification(data: .init(source: "sine", seed: 4, pointCount: 30, noise: 0.2)), in: folder)
        #expect(recorded.configuration["source_sha256"] == .null)
        let curves = try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: recorded.c)
        #expect(sameBits(curves.rounds.compactMap(\.c), recorded.c) && curves.trainX.count == 30)
        #expect(curves.truth == curves.grid.map(Dataset.sineTruth))
        guard case .object(var members) = recorded.configuration else { return }
        members = members.map { $0.0 == "n" ? ("n", .int(31)) : $0 }
        let error = #expect(throws: RecomputationError.self) {
            try Recomputation.fitCurves(configuration: .object(members), recordedC: recorded.c)
        }
        #expect(error?.code == .dataChanged && error?.message.hasPrefix("the 'sine' data give K = 31") == true)
    }

    /// Recorded c_t that the recomputation does not give, or another number of rounds, are errors.
    @Test func roundsThatDifferAreErrors() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = try Self.record(Self.paperToy, in: folder)
        func error(_ c: [Double]) -> RecomputationError? {
            #expect(throws: RecomputationError.self) {
                try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: c)
            }
        }
        // Within 1e-9 relative (another BLAS) is the same round.
        var close = recorded.c
        close[3] *= 1 + 1e-12
        #expect(try Recomputation.fitCurves(configuration: recorded.configuration, recordedC: close).rounds.count == 8)
        var off = recorded.c
        off[2] *= 1 + 1e-6
        let differ = error(off)
        #expect(differ?.code == .roundsDiffer && differ?.message.hasPrefix("round 2 comes out otherwise") == true)
        let fewer = error(Array(recorded.c.prefix(4)))
        #expect(fewer?.message.hasPrefix("the recomputed run goes on past the 4 rounds recorded") == true)
        let more = error(recorded.c + [1])
        #expect(
            more?.message
                == "the recomputed run ends after 7 rounds where the run recorded 8 (it collapses at round 7); "
                + "the data or the numerics are not the run's")
        // A run capped before its collapse ends at its cap, with no collapse round.
        var capped = Self.paperToy
        capped.maxRounds = 3
        let cappedRun = try Self.record(capped, in: folder.appendingPathComponent("capped"))
        let cappedCurves = try Recomputation.fitCurves(configuration: cappedRun.configuration, recordedC: cappedRun.c)
        #expect(cappedCurves.collapseRound == nil && cappedCurves.rounds.map(\.t) == [0, 1, 2])
    }

    /// Data with more than one feature cannot be drawn: the error names p.
    @Test func moreThanOneFeatureIsAnError() throws {
        let prepared = try PreparedRun(RunSpecification(data: .init(source: "diabetes")))
        let error = #expect(throws: RecomputationError.self) {
            try Recomputation.fitCurves(configuration: prepared.configuration, recordedC: [])
        }
        #expect(error?.code == .notOneDimensional)
        #expect(
            error?.message.hasPrefix("`plot fit` needs one-dimensional data (p = 1), and this run's data have p = 10")
                == true)
    }

    /// A configuration without one of its members is refused before anything loads, naming it.
    @Test func missingMemberIsASpecificationError() throws {
        let configuration = try PreparedRun(Self.paperToy).configuration
        guard case .object(let members) = configuration else { return }
        let error = #expect(throws: SpecificationError.self) {
            try Recomputation.fitCurves(
                configuration: .object(members.filter { $0.0 != "kernel" }), recordedC: [])
        }
        #expect(error?.fields == ["kernel"] && error?.description == "kernel is missing from the configuration")
    }
}
