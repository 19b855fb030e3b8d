import SDCharts
import SDEngine
import SDJSON
import SDRun
import SDStore

/// `sdtrack plot fit ID`: the paper's toy figure for a one-dimensional run: the training
/// points, the noiseless truth where known, and the fit f_t of every round up to the collapse
/// (where f = 0), computed again from the run's configuration (`Recomputation`).
public enum FitFigure {
    public static func figure(_ curves: FitCurves, run: RunRecord) -> Figure {
        var panel = Panel(title: "Fits f_t over the rounds", x: Axis("x"), y: Axis("y"))
        panel.series.append(
            Series(
                key: "training", label: "training points", x: curves.trainX, y: curves.trainY, drawing: .markers,
                style: SeriesStyle(6)))
        if let truth = curves.truth {
            // Style 13: black like the points, and dash-dotted.
            panel.series.append(
                Series(key: "truth", label: "truth", x: curves.grid, y: truth, drawing: .line, style: SeriesStyle(13)))
        }
        for (index, round) in curves.rounds.enumerated() {
            let collapsed = round.c == nil
            panel.series.append(
                Series(
                    key: "f", label: collapsed ? "f_\(round.t) = 0 (collapse)" : "f_\(round.t)", x: curves.grid,
                    // Black (every seventh style) is the data's and the truth's.
                    y: round.values, drawing: .line, style: SeriesStyle(index + index / 6),
                    data: [("round", String(round.t))]))
        }
        var figure = Figure(
            kind: "fit", title: "Fits of run \(run.id.prefix(8)): \(RunFigure.describe(run))", panels: [panel])
        figure.panelWidth = 640
        figure.panelHeight = 400
        figure.notes = [
            "computed again from the run's configuration (data fingerprint and every c_t checked against the record)"
                + (curves.collapseRound.map { "; collapse at round \($0)" } ?? "; no collapse within the rounds run")
        ]
        figure.data = [("run-id", run.id)]
        return figure
    }

    /// Which runs a page computes fits for.
    public struct PagePolicy: Sendable {
        /// The largest K: the recomputation repeats the run's decomposition, which takes a second
        /// or more from about 2,000 points on.
        public var largestK: Int
        /// Whether a CSV file named by the run's configuration may be read. Never on a server:
        /// a pushed configuration names the path, and the server must not open a client's choice.
        public var readsFiles: Bool

        public init(largestK: Int, readsFiles: Bool) {
            self.largestK = largestK
            self.readsFiles = readsFiles
        }

        /// `sdtrack report`, on the user's machine and files.
        public static let report = PagePolicy(largestK: 2000, readsFiles: true)
        /// The collection server's pages: built-in data only, and small enough not to hold up
        /// the store for long.
        public static let server = PagePolicy(largestK: 500, readsFiles: false)
    }

    /// The run's fits computed again (`Recomputation.fitCurves`) and drawn. Throws FigureError
    /// for a run sdtrack cannot compute again (imported, or not recorded to its end), and the
    /// recomputation's errors (data moved or changed, more than one feature, ...).
    public static func recomputed(
        _ complete: CompleteRun, dataPath: String? = nil, gridCount: Int = Recomputation.defaultGridCount
    ) throws -> Figure {
        let configuration = try configuration(of: complete.run)
        let rounds = complete.rounds
        let curves = try Recomputation.fitCurves(
            configuration: configuration, recordedC: rounds.compactMap(\.c),
            recordedTrainMSE: rounds.count == rounds.compactMap(\.trainMSE).count ? rounds.compactMap(\.trainMSE) : [],
            dataPath: dataPath, solver: complete.run.summary.solver, gridCount: gridCount)
        return figure(curves, run: complete.run)
    }

    /// The configuration to compute `run` again from.
    static func configuration(of run: RunRecord) throws(FigureError) -> JSONValue {
        let id = run.id.prefix(8)
        guard run.status == .finished || run.status == .failed else {
            throw FigureError(
                "run \(id) is \(run.status.rawValue): only a run recorded to its end can be computed again")
        }
        guard run.source == .sdtrack, let configuration = JSONValue.parse(run.configJSON) else {
            throw FigureError("run \(id) was imported: sdtrack cannot compute it again")
        }
        return configuration
    }

    /// The fit figure of a run computed again for a page, or why there is none: nil when the
    /// run is not one `policy` draws a fit of (imported, not ended, not one-dimensional, too
    /// large, or on a CSV file the policy does not read); a failure (data moved or changed since)
    /// as a sentence that quotes nothing of the data files.
    public static func forPage(_ complete: CompleteRun, policy: PagePolicy) -> Result<Figure, FigureError>? {
        guard let configuration = try? configuration(of: complete.run),
            case .array(let features)? = configuration["features"], features.count == 1,
            let k = configuration["K"]?.intValue, k <= policy.largestK
        else { return nil }
        let readsFile =
            !Dataset.builtinNames.contains(configuration["dataset"]?.stringValue ?? "")
            || configuration["test_file"]?.isNull == false
        if readsFile && !policy.readsFiles { return nil }
        let id = complete.run.id.prefix(8)
        do {
            return .success(try recomputed(complete))
        } catch let error as RecomputationError {
            return .failure(FigureError("no fit figure for run \(id): \(error.message)"))
        } catch {
            // A reader's error can quote the file it read: a page says only that it failed.
            return .failure(FigureError("no fit figure for run \(id): its data could not be loaded again"))
        }
    }
}
