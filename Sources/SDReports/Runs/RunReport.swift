import SDAnalysis
import SDDocuments
import SDEngine
import SDJSON
import SDRun
import SDStore

/// What `sdtrack run` prints: the configuration, the rounds, the collapse, the theory's
/// bounds and checks, and the best rounds; as a table or as one stable JSON object.
public struct RunReport: Sendable {
    /// The version of the JSON layout; bumped when a key changes meaning or goes away.
    public static let jsonFormat = "sdtrack.run/2"

    public let outcome: RunOutcome
    /// Where the run was recorded; nil when it was not.
    public let databasePath: String?

    public init(_ outcome: RunOutcome, databasePath: String?) {
        self.outcome = outcome
        self.databasePath = databasePath
    }

    var run: Distillation { outcome.distillation }
    var rounds: [Round] { outcome.rounds }

    /// The best round by `metric`, found as `sdtrack query best-rounds` finds a run's own best
    /// round: from the collapse on the model is f = 0 and counts with the zero predictor's
    /// error (docs/math.md section 7); nil when the run has no such metric.
    public func bestRound(by metric: RoundMetric) -> Int? {
        let zeroValue = metric.zeroPredictorValue(RunRecorder.zeroPredictor(run.dataset))
        let values = ArraySlice(rounds.map { RunRecorder.roundRecord($0)[metric] ?? .nan })
        return RunCurve(values: values, collapseRound: run.collapseRound, zeroValue: zeroValue).bestRound(
            maximize: false)
    }

    /// The metrics `bestRound(by:)` applies to for this run, in the order they are shown.
    var bestRoundMetrics: [(metric: RoundMetric, label: String)] {
        var metrics = [(RoundMetric, String)]()
        if run.dataset.test != nil { metrics.append((.testMSE, "test MSE")) }
        if run.dataset.truth != nil { metrics.append((.truthMSE, "truth MSE")) }
        metrics.append((.gcv, "GCV"))
        return metrics
    }

    public func json() -> JSONValue {
        let checks = run.checks
        let bounds: JSONValue =
            run.collapseBounds.map { bounds in
                .object([
                    ("lower", .int(bounds.lower)), ("upper", .optional(bounds.upper)),
                    ("kappa", .number(bounds.kappa)), ("rounds", .optional(bounds.rounds)),
                    ("held", .optional(checks.collapseBounds)),
                ])
            } ?? .null
        let best = Dictionary(uniqueKeysWithValues: bestRoundMetrics.map { ($0.metric, bestRound(by: $0.metric)) })
        return .object([
            ("format", .string(Self.jsonFormat)),
            ("run_id", .optional(outcome.runID)),
            ("config", outcome.configuration),
            ("rounds", .array(rounds.map { RunDocument.round(RunRecorder.roundRecord($0)) })),
            ("collapse_round", .optional(run.collapseRound)),
            ("bounds", bounds),
            (
                "checks",
                .object([
                    ("all_held", .bool(checks.allHeld)),
                    ("c_in_bracket", .optional(checks.cInBracket)),
                    ("c_increasing", .optional(checks.cIncreasing)),
                    ("r_decreasing", .optional(checks.rDecreasing)),
                    ("constraint_holds", .optional(checks.constraintHolds)),
                    ("max_constraint_error", .optional(checks.maxConstraintError)),
                    ("df_decreasing", .bool(checks.dfDecreasing)),
                    ("train_mse_increasing", .bool(checks.trainMSEIncreasing)),
                    ("rkhs_norm_decreasing", .bool(checks.rkhsNormDecreasing)),
                    ("collapse_bounds", .optional(checks.collapseBounds)),
                ])
            ),
            ("warning", .optional(run.warning)),
            (
                "solver",
                .object([
                    ("path", .string(run.spectrum.path.rawValue)),
                    ("resolved", .int(run.spectrum.resolvedCount)),
                    ("noise_floor", .number(run.spectrum.zeroTolerance)),
                    ("error_bound", .number(run.spectrum.errorBound)),
                    ("c_sensitivity", .optional(run.r0 == nil ? nil : run.sensitivity)),
                ])
            ),
            (
                "best_round",
                .object([RoundMetric.testMSE, .truthMSE, .gcv].map { ($0.name, .optional(best[$0] ?? nil)) })
            ),
            (
                "spectrum",
                .object([
                    ("eigenvalues", .numbers(run.spectrum.eigenvalues)),
                    ("z0", .numbers(run.spectrum.z0)),
                    ("zero_tolerance", .number(run.spectrum.zeroTolerance)),
                ])
            ),
        ])
    }

    public func text() -> String {
        var lines = [String]()
        let dataset = run.dataset
        var dataLine =
            "data      \(dataset.name): K = \(dataset.train.count) training points, "
            + "p = \(dataset.train.points.dimension)"
        dataLine += dataset.test.map { ", \($0.count) held out" } ?? ", no held-out set"
        if let truth = dataset.truth { dataLine += ", truth on \(truth.count) grid points" }
        lines.append(dataLine)
        let kernel = run.settings.kernel
        let parameters = kernel.parameters.map { "\($0.parameter.rawValue) = \(TextTable.number($0.value))" }
        lines.append("kernel    " + ([kernel.name] + parameters).joined(separator: ", "))
        switch run.settings.mode {
        case .eps(let eps): lines.append("mode      eps = \(TextTable.number(eps))")
        case .relativeEps(let ratio):
            lines.append("mode      eps = \(TextTable.number(run.eps!)) (\(TextTable.number(ratio)) x mean(y^2))")
        case .fixedC(let c): lines.append("mode      fixed c = \(TextTable.number(c))")
        }
        lines.append("")
        lines.append(contentsOf: table())
        lines.append("")
        if let collapse = run.collapseRound {
            lines.append(
                "collapse  round \(collapse): r_\(collapse) <= 1, so f_\(collapse) = 0 and every later round is 0")
        } else if run.r0 != nil {
            let plural = rounds.count == 1 ? "" : "s"
            lines.append("collapse  none within \(rounds.count) round\(plural) (cap \(run.settings.maxRounds))")
        }
        if let bounds = run.collapseBounds {
            let upper = bounds.upper.map(String.init) ?? "inf (kappa infinite)"
            let t = bounds.rounds.map(String.init) ?? "?"
            let verdict = run.checks.collapseBounds.map { $0 ? "held" : "VIOLATED" } ?? "not reached (run capped)"
            lines.append(
                "bounds    ceil(r0 - 1) = \(bounds.lower) <= T = \(t) <= ceil(kappa (r0 - 1)) = \(upper): \(verdict)")
        }
        lines.append("checks    " + checksLine())
        if let warning = run.warning { lines.append("warning   " + warning) }
        lines.append("solver    " + solverLine())
        lines.append("best      " + bestLine())
        if let runID = outcome.runID, let databasePath {
            lines.append(
                outcome.recordingError == nil
                    ? "recorded  run \(runID) in \(databasePath)"
                    : "recorded  run \(runID) in \(databasePath) only in part: its recording failed")
        }
        return lines.joined(separator: "\n")
    }

    private func bestLine() -> String {
        let best = bestRoundMetrics.compactMap { metric, label -> String? in
            guard let t = bestRound(by: metric) else { return nil }
            var text = "\(label) \(t)"
            if let collapse = run.collapseRound, t >= collapse { text += " (f = 0 from the collapse)" }
            if metric == .gcv { text += " (GCV treats c_0..c_t as fixed)" }
            return text
        }
        return best.isEmpty ? "no rounds" : "round by " + best.joined(separator: "; by ")
    }

    private func table() -> [String] {
        var header = ["t", "c_t"]
        if run.r0 != nil { header.append("r_t") }
        header.append("train MSE")
        if run.dataset.test != nil { header.append("test MSE") }
        if run.dataset.truth != nil { header.append("truth MSE") }
        header += ["df", "GCV", "RKHS norm"]
        var table = TextTable(header: header)
        for round in rounds {
            var row = [String(round.t), TextTable.number(round.c)]
            if let r = round.r { row.append(TextTable.number(r)) }
            row.append(TextTable.number(round.trainMSE))
            if let test = round.testMSE { row.append(TextTable.number(test)) }
            if let truth = round.truthMSE { row.append(TextTable.number(truth)) }
            row += [
                TextTable.number(round.degreesOfFreedom), TextTable.number(round.gcv), TextTable.number(round.rkhsNorm),
            ]
            table.append(row)
        }
        return table.lines()
    }

    /// The solver path, how many eigenvalues it resolved above its noise floor, and how far
    /// c_t can move with the eigenvalues' errors (docs/math.md section 8).
    private func solverLine() -> String {
        let spectrum = run.spectrum
        var line =
            "\(spectrum.path.rawValue): \(spectrum.resolvedCount) of \(spectrum.count) eigenvalues resolved above "
            + "\(TextTable.number(spectrum.zeroTolerance))"
        if spectrum.errorBound > 0 { line += ", ||G - G~|| <= \(TextTable.number(spectrum.errorBound))" }
        if run.r0 != nil, !rounds.isEmpty { line += "; c_t determined to \(TextTable.number(run.sensitivity))" }
        return line
    }

    private func checksLine() -> String {
        let checks = run.checks
        let named: [(String, Bool?)] = [
            ("c in bracket", checks.cInBracket), ("c increasing", checks.cIncreasing),
            ("r decreasing", checks.rDecreasing), ("loss = eps", checks.constraintHolds),
            ("df decreasing", checks.dfDecreasing), ("train MSE increasing", checks.trainMSEIncreasing),
            ("RKHS norm decreasing", checks.rkhsNormDecreasing),
        ]
        let failed = named.filter { $0.1 == false }.map(\.0)
        let applied = named.filter { $0.1 != nil }.map(\.0)
        var line =
            failed.isEmpty
            ? "all held (\(applied.joined(separator: ", ")))" : "VIOLATED: \(failed.joined(separator: ", "))"
        if let error = checks.maxConstraintError { line += "; max |loss - eps| / eps = \(formatted("%.1e", error))" }
        return line
    }
}
