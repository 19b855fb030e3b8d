import SDStore

/// Recorded runs as text: the table of `runs list`, the page of `runs show`, and the rounds
/// of `runs export --format csv`.
public enum RunListing {
    /// `runs list`: one line per run, newest first.
    public static func table(_ runs: [RunRecord]) -> String {
        var table = TextTable(header: columns, leftAligned: [0, 1, 2, 3, 4, 6, 7, 10])
        for run in runs { table.append(cells(run)) }
        return table.lines().joined(separator: "\n")
    }

    /// The columns of the runs table, in text and on pages.
    public static let columns = [
        "run", "experiment", "status", "created (UTC)", "data", "K", "kernel", "mode", "rounds", "collapse", "tags",
    ]

    /// One run's cells under `columns`.
    public static func cells(_ run: RunRecord) -> [String] {
        [
            String(run.id.prefix(8)), run.experiment, run.status.rawValue, shortTime(run.createdAt),
            run.config.dataset ?? "-", run.config.k.map(String.init) ?? "-", run.config.kernelSummary,
            run.config.modeSummary, String(run.roundCount), run.summary.collapseRound.map(String.init) ?? "-",
            tags(run.tags),
        ]
    }

    /// `runs show`: what the run ran on, how it ended, and its rounds.
    public static func page(_ complete: CompleteRun) -> String {
        let run = complete.run, rounds = complete.rounds
        let config = run.config, summary = run.summary
        var lines = [
            "run         \(run.id)",
            "experiment  \(run.experiment)",
            "status      \(run.status.rawValue)" + (run.error.map { ": \($0)" } ?? ""),
            "created     \(run.createdAt.iso8601)" + (run.endedAt.map { ", ended \($0.iso8601)" } ?? ""),
            "recorded by sdtrack \(run.sdtrackVersion) on \(run.host)" + (run.pid.map { ", pid \($0)" } ?? "")
                + (run.source == .import ? " (imported)" : ""),
        ]
        if let solver = summary.solver {
            var line = "solver      \(solver)"
            if let rank = summary.solverRank { line += ", \(rank) eigenvalues resolved" }
            if let bound = summary.solverErrorBound, bound > 0 { line += ", ||G - G~|| <= \(TextTable.number(bound))" }
            if let sensitivity = summary.cSensitivity { line += "; c_t determined to \(TextTable.number(sensitivity))" }
            lines.append(line)
        }
        if let core = summary.blasCore {
            let threads = summary.blasThreads.map { ", \($0) thread\($0 == 1 ? "" : "s")" } ?? ""
            lines.append("blas        OpenBLAS core \(core)\(threads)")
        }
        if let dataset = config.dataset {
            var line = "data        \(dataset)"
            if let k = config.k { line += ", K = \(k)" }
            if let test = config.testSize, test > 0 { line += ", \(test) held out" }
            if let sha = config.dataSHA256 { line += ", sha256 \(sha.prefix(16))" }
            lines.append(line)
        }
        if config.kernel != nil { lines.append("kernel      \(config.kernelSummary)") }
        if let mode = config.mode {
            lines.append("mode        " + (mode == "eps" ? "" : "\(mode): ") + config.modeSummary)
        }
        if let collapse = summary.collapseRound { lines.append("collapse    round \(collapse)") }
        if let lower = summary.boundLower {
            let held = summary.boundsHeld.map { $0 ? "held" : "VIOLATED" } ?? "not judged"
            lines.append("bounds      \(lower) <= T <= \(summary.boundUpper.map(String.init) ?? "inf"): \(held)")
        }
        if let checks = summary.checksHeld { lines.append("checks      \(checks ? "all held" : "VIOLATED")") }
        if !run.tags.isEmpty { lines.append("tags        " + tags(run.tags)) }
        if let note = run.note { lines.append("note        \(note)") }
        if let spectrum = complete.spectrum, let k = complete.spectrumPointCount {
            lines.append(
                spectrum.d.count < k
                    ? "spectrum    d and z0: \(spectrum.d.count) components for K = \(k) (low rank: the last stands "
                        + "for the \(k - spectrum.d.count + 1) zero eigenvalues)"
                    : "spectrum    d and z0, K = \(spectrum.d.count)")
        }
        lines.append("config      \(run.configJSON)")
        guard !rounds.isEmpty else { return (lines + ["", "no rounds recorded"]).joined(separator: "\n") }
        // Only the metrics some round has, so an imported run shows its own columns.
        let names = metricNames(rounds)
        var table = TextTable(header: ["t"] + names)
        for round in rounds {
            table.append([String(round.t)] + names.map { TextTable.number(round[metricNamed: $0]) })
        }
        return (lines + [""] + table.lines()).joined(separator: "\n")
    }

    /// `runs export --format csv`: every round of every run, `run_id`, `t`, then every docs/math.md
    /// quantity and every extra metric; a metric a round lacks is an empty cell.
    public static func roundsCSV(_ runs: [CompleteRun]) -> String {
        let extras = Set(runs.flatMap { $0.rounds.flatMap(\.extra.keys) }).sorted()
        let names = RoundMetric.allCases.map(\.name) + extras
        var out = csvLine(["run_id", "t"] + names) + "\n"
        for complete in runs {
            for round in complete.rounds {
                out +=
                    csvLine([complete.run.id, String(round.t)] + names.map { csvNumber(round[metricNamed: $0]) }) + "\n"
            }
        }
        return out
    }

    /// The metrics some of `rounds` has: docs/math.md's in their order, then extra metrics by name.
    public static func metricNames(_ rounds: [RoundRecord]) -> [String] {
        RoundMetric.allCases.filter { metric in rounds.contains { $0[metric] != nil } }.map(\.name)
            + Set(rounds.flatMap(\.extra.keys)).sorted()
    }

    static func tags(_ tags: [Tag]) -> String { tags.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    /// "2026-11-29 07:02:33".
    static func shortTime(_ time: Timestamp) -> String {
        let text = time.iso8601
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8)
    }
}
