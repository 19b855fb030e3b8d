import ArgumentParser
import SDStore

struct ShowRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one run: what it ran on, how it ended, and its rounds."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The run's ID or a unique prefix of it.")
    var id: String

    @Flag(help: "Print the whole record (configuration, rounds, spectra) as JSON.")
    var json = false

    func run() throws {
        let store = try store.open(create: false)
        let run = try store.run(id: try store.resolve(id))
        let rounds = try store.rounds(runID: run.id)
        if json {
            let spectrum = try store.spectrum(runID: run.id)
            print(JSONValue.object([("format", .string(RunDocument.recordFormat))]
                + RunDocument.record(run, rounds: rounds, spectrum: spectrum)).serialized())
            return
        }
        print(Self.text(run, rounds: rounds).joined(separator: "\n"))
    }

    static func text(_ run: RunRecord, rounds: [RoundRecord]) -> [String] {
        let config = run.config, summary = run.summary
        var lines = [
            "run         \(run.id)",
            "experiment  \(run.experiment)",
            "status      \(run.status.rawValue)" + (run.error.map { ": \($0)" } ?? ""),
            "created     \(run.createdAt.iso8601)" + (run.endedAt.map { ", ended \($0.iso8601)" } ?? ""),
            "recorded by sdtrack \(run.sdtrackVersion) on \(run.host)" + (run.pid.map { ", pid \($0)" } ?? "")
                + (run.source == .import ? " (imported)" : ""),
        ]
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
        if !run.tags.isEmpty { lines.append("tags        " + run.tags.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) }
        if let note = run.note { lines.append("note        \(note)") }
        lines.append("config      \(run.configJSON)")
        guard !rounds.isEmpty else { return lines + ["", "no rounds recorded"] }
        // Only the metrics some round has, so an imported run shows its own columns.
        let columns = RoundRecord.columns.indices.filter { column in rounds.contains { $0.columnValues[column] != nil } }
        let extras = Set(rounds.flatMap(\.extra.keys)).sorted()
        var table = TextTable(header: ["t"] + columns.map { RoundRecord.columns[$0] } + extras)
        for round in rounds {
            table.append([String(round.t)] + columns.map { TextTable.number(round.columnValues[$0]) }
                + extras.map { TextTable.number(round.extra[$0]) })
        }
        return lines + [""] + table.lines()
    }
}
