import SDCharts
import SDEngine
import SDStore

/// `sdtrack plot run ID`: the run's per-round quantities as small multiples (docs/math.md
/// section 3), log scales where values span two decades or more, the collapse round in every
/// panel, and section 4's bounds: c_t's bracket as a band around c_t, r = 1, and the range
/// ceil(r_0 - 1) ... ceil(kappa (r_0 - 1)) the collapse round must fall in. The numbers are
/// `runs show ID --json`'s rounds.
public enum RunFigure {
    public static func figure(_ complete: CompleteRun) -> Figure {
        let run = complete.run, rounds = complete.rounds
        let x = rounds.map { Double($0.t) }
        var panels = [Panel]()
        func values(_ metric: RoundMetric) -> [Double]? {
            let values = rounds.map { $0[metric] ?? .nan }
            return values.contains(where: \.isFinite) ? values : nil
        }
        /// A panel of `series`; a lone series is named by the panel's title and axis, not the legend.
        func panel(_ title: String, axis: String, _ series: [Series], including: [Double] = []) -> Panel {
            let y = series.flatMap { $0.y + ($0.band.map { $0.low + $0.high } ?? []) }
            var panel = Panel(title: title, x: .rounds, y: Axis(axis, scale: .fitting(y), including: including))
            panel.series = series
            if series.count == 1 { panel.series[0].inLegend = false }
            return panel
        }
        if let c = values(.c) {
            var series = Series(key: RoundMetric.c.name, label: "c_t", x: x, y: c, style: SeriesStyle(0))
            if let brackets = brackets(complete) {
                series.band = brackets
                series.bandLabel = "c_t's bracket (math.md 2)"
            }
            panels.append(panel("Lagrange constant c_t", axis: "c_t", [series]))
        }
        if let r = values(.r) {
            var rPanel = panel(
                "r_t = ||y_t|| / sqrt(K eps)", axis: "r_t",
                [Series(key: RoundMetric.r.name, label: "r_t", x: x, y: r, style: SeriesStyle(0))], including: [1])
            rPanel.rules.append(Rule(key: "r=1", label: "r = 1: collapse", .horizontal, at: 1, style: SeriesStyle(6)))
            if let lower = run.summary.boundLower {
                // Without an upper bound (kappa infinite) the shade runs to the plot's edge.
                let upper = run.summary.boundUpper.map(Double.init) ?? .greatestFiniteMagnitude
                rPanel.spans.append(
                    Span(
                        key: "collapse-bounds",
                        label: "bounds on the collapse round (math.md 4"
                            + (run.summary.boundUpper == nil ? "; no upper bound)" : ")"),
                        range: Double(lower)...max(Double(lower), upper)))
            }
            panels.append(rPanel)
        }
        let errors: [(RoundMetric, String)] = [
            (.trainMSE, "train MSE"), (.testMSE, "test MSE"), (.truthMSE, "truth MSE"),
        ]
        let errorSeries = errors.enumerated().compactMap { index, entry -> Series? in
            values(entry.0).map { Series(key: entry.0.name, label: entry.1, x: x, y: $0, style: SeriesStyle(index)) }
        }
        if !errorSeries.isEmpty { panels.append(panel("Mean squared errors", axis: "MSE", errorSeries)) }
        let singles: [(RoundMetric, String, String)] = [
            (.df, "Degrees of freedom df_t", "df_t"), (.gcv, "GCV_t (c_0..c_t fixed)", "GCV_t"),
            (.rkhsNorm, "RKHS norm R(f_t)", "R(f_t)"),
        ]
        for (metric, title, axis) in singles {
            guard let y = values(metric) else { continue }
            panels.append(
                panel(title, axis: axis, [Series(key: metric.name, label: axis, x: x, y: y, style: SeriesStyle(0))]))
        }
        for name in Set(rounds.flatMap { $0.extra.keys }).sorted() {
            let y = rounds.map { $0.extra[name] ?? .nan }
            panels.append(panel(name, axis: name, [Series(key: name, label: name, x: x, y: y, style: SeriesStyle(0))]))
        }
        if let collapse = run.summary.collapseRound {
            for index in panels.indices {
                panels[index].rules.append(
                    Rule(
                        key: "collapse", label: "collapse round T (f = 0 from here)", .vertical,
                        at: Double(collapse), style: SeriesStyle(4)))
            }
        }
        var figure = Figure(kind: "run", title: "Run \(run.id.prefix(8)): \(describe(run))", panels: panels)
        figure.notes = notes(run)
        if rounds.isEmpty { figure.notes.append("no rounds recorded: nothing to draw") }
        figure.data = [("run-id", run.id)]
        return figure
    }

    /// c_t's bracket [d_min / (r_t - 1), d_max / (r_t - 1)] per round, as the engine computes
    /// it (`ConstraintRoot`), from the stored spectrum and c_0..c_{t-1}; nil without a
    /// spectrum or outside eps mode.
    static func brackets(_ complete: CompleteRun) -> (low: [Double], high: [Double])? {
        // Fixed-c runs have no eps, and no bracket: c is given.
        guard let spectrum = complete.spectrum, let eps = complete.run.config.eps else { return nil }
        var z = spectrum.z0
        var low = [Double](), high = [Double]()
        for round in complete.rounds {
            let bracket = ConstraintRoot(
                eigenvalues: spectrum.d, z: z, eps: eps, pointCount: complete.spectrumPointCount ?? spectrum.d.count)?
                .bracket
            low.append(bracket?.lowerBound ?? .nan)
            high.append(bracket?.upperBound ?? .nan)
            guard let c = round.c else { return nil }
            for k in z.indices { z[k] *= spectrum.d[k] / (c + spectrum.d[k]) }
        }
        return (low, high)
    }

    static func describe(_ run: RunRecord) -> String {
        let config = run.config
        var parts = [config.dataset ?? "?", config.kernel ?? "?"]
        if let eps = config.eps { parts.append("eps \(TextTable.number(eps))") }
        if let c = config.c { parts.append("fixed c \(TextTable.number(c))") }
        if let k = config.k { parts.append("K \(k)") }
        if let seed = config.seed { parts.append("seed \(seed)") }
        return parts.joined(separator: ", ")
    }

    static func notes(_ run: RunRecord) -> [String] {
        var notes = [String]()
        let summary = run.summary
        if let collapse = summary.collapseRound {
            var line = "collapse at round \(collapse)"
            if let lower = summary.boundLower {
                line += "; theory: \(lower) <= T <= \(summary.boundUpper.map(String.init) ?? "inf")"
                line += summary.boundsHeld.map { $0 ? " (held)" : " (VIOLATED)" } ?? ""
            }
            notes.append(line)
        } else {
            notes.append("no collapse within the \(run.roundCount) rounds recorded")
        }
        if let warning = summary.warning { notes.append("warning: " + warning) }
        return notes
    }
}

/// `value` after `change`: builds a value in one expression.
func with<Value>(_ value: Value, _ change: (inout Value) -> Void) -> Value {
    var value = value
    change(&value)
    return value
}
