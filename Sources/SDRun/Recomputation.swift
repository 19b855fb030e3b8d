import Foundation
import SDEngine
import SDJSON
import SDSpec

/// A recorded run that cannot be computed again as it was: its data changed or cannot be
/// found, its rounds come out otherwise, or what is asked does not apply to it.
public struct RecomputationError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Code: String, Sendable {
        /// The data loaded now are not the run's: another fingerprint, or another K.
        case dataChanged = "data_changed"
        /// The run's data file is not at its recorded path.
        case dataMissing = "data_missing"
        /// Fit curves need one feature; the run's data have more.
        case notOneDimensional = "not_one_dimensional"
        /// A recomputed round's c_t differs from the recorded one, or the run ends elsewhere.
        case roundsDiffer = "rounds_differ"
        /// A request that does not apply: a data path for built-in data, a grid out of bounds.
        case invalidRequest = "invalid_request"
    }

    public let code: Code
    /// One line: what is wrong and what to do.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Round t's fit f_t on a grid.
public struct FitCurve: Sendable, Equatable {
    public let t: Int
    /// c_t; nil for the collapse round, whose fit is f = 0.
    public let c: Double?
    /// f_t at each grid point.
    public let values: [Double]

    public init(t: Int, c: Double?, values: [Double]) {
        self.t = t
        self.c = c
        self.values = values
    }
}

/// What a plot of a one-dimensional run's fits draws: the training points, the truth where
/// known, and f_t on a grid for every round up to the collapse. Every x (grid, training
/// points) is in the coordinates the kernel sees: the standardized feature when the run
/// standardized (the truth is then evaluated where the grid point was before the map).
public struct FitCurves: Sendable {
    public let grid: [Double]
    public let trainX: [Double]
    public let trainY: [Double]
    /// The noiseless function on the grid (toy and sine data), nil for measured data.
    public let truth: [Double]?
    /// Rounds 0, 1, ... in order: every round the run computed, then its collapse round (f = 0)
    /// if it collapsed.
    public let rounds: [FitCurve]
    public let collapseRound: Int?
    /// The kernel as used, with the parameters the data decided (the median-distance bandwidth).
    public let kernel: Kernel
}

/// Computes a recorded run again from its configuration (predictions are not stored), after
/// checking that the data are the ones it used, and evaluates its fits on a grid.
public enum Recomputation {
    /// The number of grid points `fitCurves(configuration:recordedC:...:gridCount:)` uses by default.
    public static let defaultGridCount = 201
    /// The grid sizes allowed: the grid's kernel rows take 8 K bytes a point.
    public static let gridCounts = 2...10_000
    /// How far a recomputed c_t or training MSE may be from the recorded one, relative: another
    /// build or BLAS can round differently (about 1e-15), while other data differ far more.
    public static let cTolerance = 1e-9

    /// The fits of the run recorded with `configuration` (as `runs.config` stores it) and the
    /// rounds' c_t `recordedC` (round 0 first), on `gridCount` points evenly spaced over the
    /// training points' range extended by 5% of its width on each side (`grid(spanning:count:)`).
    ///
    /// `dataPath` replaces the recorded CSV path (a run recorded with a relative path, computed
    /// again from another folder). The data must have the recorded fingerprint (`source_sha256`;
    /// sine, which the seed draws, has none) and K, and one feature; the run must give the
    /// recorded c_t at every round (to `cTolerance`; for sine this is what checks its data), and
    /// the training MSE of `recordedTrainMSE` where given (what checks the data in fixed-c mode,
    /// where every c_t is the given c), and no other number of rounds: a run recorded to its end
    /// (finished, or failed by the engine), not one interrupted. Throws `RecomputationError`,
    /// `SpecificationError` for a configuration that is not one sdtrack writes, and the errors of
    /// loading and running. `solver` is the path the run recorded (`runs.solver`): another path
    /// can differ by more than `cTolerance` where c_t is poorly determined (docs/math.md 8.2).
    public static func fitCurves(
        configuration: JSONValue, recordedC: [Double], recordedTrainMSE: [Double] = [], dataPath: String? = nil,
        solver: String? = nil, gridCount: Int = defaultGridCount
    ) throws -> FitCurves {
        guard gridCounts.contains(gridCount) else {
            throw RecomputationError(
                .invalidRequest,
                "a grid needs \(gridCounts.lowerBound) to \(gridCounts.upperBound) points, got \(gridCount)")
        }
        return try fitCurves(
            configuration, recordedC: recordedC, recordedTrainMSE: recordedTrainMSE, dataPath: dataPath,
            solver: solver
        ) { grid(spanning: $0, count: gridCount) }
    }

    /// The same on a grid of the caller's: `grid` holds finite points (in the coordinates the
    /// kernel sees), at most `gridCounts.upperBound`.
    public static func fitCurves(
        configuration: JSONValue, recordedC: [Double], recordedTrainMSE: [Double] = [], dataPath: String? = nil,
        solver: String? = nil, grid: [Double]
    ) throws -> FitCurves {
        guard (1...gridCounts.upperBound).contains(grid.count), grid.allSatisfy(\.isFinite) else {
            throw RecomputationError(
                .invalidRequest,
                "a grid needs 1 to \(gridCounts.upperBound) finite points, got \(grid.count)"
                    + (grid.allSatisfy(\.isFinite) ? "" : " with one not finite"))
        }
        return try fitCurves(
            configuration, recordedC: recordedC, recordedTrainMSE: recordedTrainMSE, dataPath: dataPath,
            solver: solver
        ) { _ in grid }
    }

    /// `count` points evenly spaced from min(x) - 5% to max(x) + 5% of the range max(x) - min(x)
    /// (from min(x) - 0.5 to max(x) + 0.5 when all x are equal), both ends included. For the toy
    /// data's x = 0, ..., 1 that is -0.05 ... 1.05.
    public static func grid(spanning x: [Double], count: Int) -> [Double] {
        precondition(!x.isEmpty && count >= 2)
        let low = x.min()!, high = x.max()!
        let margin = high > low ? 0.05 * (high - low) : 0.5
        let start = low - margin, end = high + margin
        return (0..<count).map { i in i == count - 1 ? end : start + (end - start) * Double(i) / Double(count - 1) }
    }

    private static func fitCurves(
        _ configuration: JSONValue, recordedC: [Double], recordedTrainMSE: [Double], dataPath: String?,
        solver: String?, grid makeGrid: ([Double]) -> [Double]
    ) throws -> FitCurves {
        var configuration = configuration
        if case .raw(let text) = configuration, let parsed = JSONValue.parse(text) { configuration = parsed }
        var specification = try RunSpecification(configuration: configuration)
        if let solver = solver.flatMap(SolverChoice.init(rawValue:)) { specification.solver = solver }
        if let dataPath {
            guard specification.data.isCSV else {
                throw RecomputationError(
                    .invalidRequest,
                    "a data path applies to runs on a CSV file; this run used the built-in "
                        + "'\(specification.data.source)' data")
            }
            specification.data.source = dataPath
        }
        let data = specification.data
        if data.isCSV, !FileManager.default.fileExists(atPath: data.source) {
            throw RecomputationError(
                .dataMissing,
                "the run's data file '\(data.source.shortened)' is not there (recorded with a relative path, "
                    + "from another folder?); give --data PATH with the file the run used")
        }
        let prepared = try PreparedRun(specification)
        try checkData(prepared, configuration: configuration)
        let dataset = prepared.dataset
        let p = dataset.train.points.dimension
        guard p == 1 else {
            throw RecomputationError(
                .notOneDimensional,
                "`plot fit` needs one-dimensional data (p = 1), and this run's data have p = \(p) features "
                    + "(\(dataset.featureNames.joined(separator: ", ").shortened))")
        }

        var distillation = try prepared.distillation()
        let train = dataset.train
        let grid = makeGrid(train.points.values)
        // g(x, x_k) / K at the grid points, as the engine's held-out and truth rows.
        let rows = prepared.kernel.matrix(rows: Points(grid), columns: train.points, scale: 1 / Double(train.count))
        var curves = [FitCurve]()
        while curves.count < recordedC.count, let round = distillation.next() {
            try check(c: round.c, t: round.t, recorded: recordedC[round.t])
            // In fixed-c mode every c_t is the given c: the training error is what tells the data apart.
            if round.t < recordedTrainMSE.count {
                try check(trainMSE: round.trainMSE, t: round.t, recorded: recordedTrainMSE[round.t])
            }
            let coefficients = try distillation.lastCoefficients()!
            let values = Lapack.multiply(rows, rows: grid.count, columns: train.count, coefficients)
            curves.append(FitCurve(t: round.t, c: round.c, values: values))
        }
        try checkEnd(distillation, rounds: curves.count, recorded: recordedC.count)
        if let collapse = distillation.collapseRound {
            curves.append(FitCurve(t: collapse, c: nil, values: [Double](repeating: 0, count: grid.count)))
        }
        return FitCurves(
            grid: grid, trainX: train.points.values, trainY: train.targets,
            truth: dataset.truthFunction.map { truth in grid.map { truth([$0][...]) } },
            rounds: curves, collapseRound: distillation.collapseRound, kernel: prepared.kernel)
    }

    /// The data loaded now must be the run's: its fingerprint (none for sine) and its K.
    private static func checkData(_ prepared: PreparedRun, configuration: JSONValue) throws {
        let data = prepared.specification.data
        let recorded = configuration["source_sha256"]?.stringValue
        let now = prepared.loaded.sourceFingerprint
        if recorded != now {
            func digest(_ value: String?) -> String { value.map { String($0.prefix(12)) + "..." } ?? "none" }
            let hashes = "SHA-256 \(digest(now)), the run's \(digest(recorded))"
            guard data.isCSV else {
                throw RecomputationError(
                    .dataChanged,
                    "the built-in '\(data.source)' data differ from the ones the run used (\(hashes)): this sdtrack's "
                        + "data are not the run's sdtrack's")
            }
            let files = data.testFile.map { " (with the test file '\($0.shortened)')" } ?? ""
            throw RecomputationError(
                .dataChanged,
                "the data changed since the run: '\(data.source.shortened)'\(files) now has \(hashes); "
                    + "give --data PATH with the file the run used")
        }
        let k = prepared.dataset.train.count
        if let recordedK = configuration["K"]?.intValue, recordedK != k {
            throw RecomputationError(
                .dataChanged,
                "the '\(data.source.shortened)' data give K = \(k) training points now, the run had K = \(recordedK)"
                    + (data.isSine ? ": this sdtrack draws the sine data otherwise than the run's" : ""))
        }
    }

    private static func check(trainMSE: Double, t: Int, recorded: Double) throws {
        let difference = abs(trainMSE - recorded) / max(abs(trainMSE), abs(recorded), .leastNormalMagnitude)
        guard !(difference <= cTolerance) else { return }
        throw RecomputationError(
            .roundsDiffer,
            "round \(t) comes out with the training MSE \(trainMSE) where the run recorded \(recorded): the data or "
                + "this sdtrack differ from the run's")
    }

    private static func check(c: Double, t: Int, recorded: Double) throws {
        let difference = abs(c - recorded) / max(abs(c), abs(recorded))
        guard !(difference <= cTolerance) else { return }
        throw RecomputationError(
            .roundsDiffer,
            "round \(t) comes out otherwise than recorded: c_\(t) = \(JSONNumber.display(c)) against "
                + "\(JSONNumber.display(recorded)) (relative difference \(JSONNumber.display(difference)), over "
                + "\(JSONNumber.display(cTolerance))); the data or the numerics are not the run's")
    }

    /// The recomputation must end where the recorded run did: after as many rounds.
    private static func checkEnd(_ distillation: Distillation, rounds: Int, recorded: Int) throws {
        if rounds < recorded {
            var reason = "its cap is \(distillation.settings.maxRounds) rounds"
            if let collapse = distillation.collapseRound { reason = "it collapses at round \(collapse)" }
            if let failure = distillation.failure { reason = "it failed: \(failure.message)" }
            throw RecomputationError(
                .roundsDiffer,
                "the recomputed run ends after \(rounds) rounds where the run recorded \(recorded) (\(reason)); "
                    + "the data or the numerics are not the run's")
        }
        var next = distillation
        guard next.next() != nil else { return }
        throw RecomputationError(
            .roundsDiffer,
            "the recomputed run goes on past the \(recorded) rounds recorded: the run was stopped before its end "
                + "(interrupted or killed), or its collapse comes out otherwise; fits need a run recorded to its end")
    }
}
