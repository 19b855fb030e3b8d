import SDCharts
import SDEngine
import SDStore

/// `sdtrack plot spectrum ID`: the eigenvalues d_k of G and the label energy z_0[k]^2 on a
/// log scale, and the shrinkage of a round: s_k(t) = d_k / (c_t + d_k) and the cumulative
/// B_t[k] = prod_{i <= t} s_k(i) (docs/math.md section 2), against k = 1..K. Eigenvalues at or
/// below the zero tolerance are 0 and cannot sit on a log scale: a note counts them.
///
/// `round` draws one round; nil draws every round, all but the first hidden, for a page whose
/// slider shows one at a time (series with `data-round`).
public enum SpectrumFigure {
    public static func figure(_ complete: CompleteRun, round: Int?) throws(FigureError) -> Figure {
        let id = complete.run.id.prefix(8)
        guard let spectrum = complete.spectrum else {
            throw FigureError(
                "run \(id) has no stored spectrum (imported runs have none); `plot run \(id)` draws its rounds")
        }
        let cs = complete.rounds.compactMap(\.c), roundCount = cs.count
        if let round, !(0..<roundCount).contains(round) {
            throw FigureError(
                roundCount == 0
                    ? "run \(id) has no rounds with c_t, so no shrinkage to draw; leave out --round"
                    : "run \(id) has rounds 0 to \(roundCount - 1); give --round in that range")
        }
        let d = spectrum.d, z0 = spectrum.z0
        let k = d.indices.map { Double($0 + 1) }
        let drawing: Series.Drawing = d.count <= 60 ? .lineAndMarkers : .line
        var energy = Panel(title: "Eigenvalues and label energy", x: indexAxis, y: Axis("value", scale: .log))
        energy.series = [
            Series(key: "d", label: "eigenvalue d_k", x: k, y: d, drawing: drawing, style: SeriesStyle(0)),
            Series(
                key: "z0^2", label: "label energy z_0[k]^2", x: k, y: z0.map { $0 * $0 }, drawing: .markers,
                style: SeriesStyle(1)),
        ]
        // The zero tolerance only where eigenvalues come near it: drawn far below them it would
        // squeeze the spectrum into the top of the panel.
        let smallest = d.filter { $0 > 0 }.min() ?? 0
        if spectrum.zeroTolerance > 0, smallest <= 1e3 * spectrum.zeroTolerance {
            energy.rules.append(
                Rule(
                    key: "zero-tolerance", label: "zero tolerance", .horizontal, at: spectrum.zeroTolerance,
                    style: SeriesStyle(6)))
        }
        var shrinkage = Panel(
            title: round.map { "Shrinkage of round \($0)" } ?? "Shrinkage of round t (slider)", x: indexAxis,
            y: Axis("factor", including: [0, 1]))
        var cumulative = [Double](repeating: 1, count: d.count)
        for (t, c) in cs.enumerated() {
            let s = d.map { $0 / (c + $0) }
            for index in cumulative.indices { cumulative[index] *= s[index] }
            guard round == nil || round == t else { continue }
            let hidden = round == nil && t > 0
            let data = [("round", String(t))]
            shrinkage.series += [
                Series(
                    key: "s", label: "s_k(t) this round", x: k, y: s, drawing: drawing, style: SeriesStyle(0),
                    data: data, hidden: hidden),
                Series(
                    key: "B", label: "B_t[k] through round t", x: k, y: cumulative, drawing: drawing,
                    style: SeriesStyle(4), data: data, hidden: hidden),
            ]
        }
        let run = complete.run
        // A run without rounds (collapsed at round 0) has no shrinkage to draw.
        var figure = Figure(
            kind: "spectrum", title: "Spectrum of run \(run.id.prefix(8)): \(RunFigure.describe(run))",
            panels: roundCount == 0 ? [energy] : [energy, shrinkage], columns: 2)
        // A low-rank run's spectrum has r + 1 components for K points: the last stands for the
        // K - r zero eigenvalues together (docs/math.md 8.3).
        let pointCount = complete.spectrumPointCount ?? d.count
        let zeros = d.filter { $0 <= spectrum.zeroTolerance }.count + (pointCount - d.count)
        figure.notes = [
            "K = \(pointCount); \(zeros) eigenvalue\(zeros == 1 ? "" : "s") at or below the zero tolerance "
                + "\(TextTable.number(spectrum.zeroTolerance)) (0, not drawn on the log scale)"
        ]
        if d.count < pointCount {
            figure.notes.append(
                "low rank: components 1 to \(d.count - 1) are the factorisation's eigenvalues; component \(d.count) "
                    + "stands for the other \(pointCount - d.count + 1), its z_0[k]^2 their labels' energy together")
        }
        figure.data = [("run-id", run.id), ("rounds", String(cs.count))]
        if let round { figure.data.append(("round", String(round))) }
        return figure
    }

    static let indexAxis = Axis("index k", integers: true)
}

extension CompleteRun {
    /// The K of the recorded spectrum: its length, but for a run of the low-rank path, whose
    /// spectrum has r + 1 components for K points (the last stands for the K - r zero
    /// eigenvalues, docs/math.md 8.3). nil without a spectrum.
    var spectrumPointCount: Int? {
        guard let spectrum else { return nil }
        guard run.summary.solver == SolverPath.lowRank.rawValue, let k = run.config.k else { return spectrum.d.count }
        return k
    }
}
