import ArgumentParser
import SDStore

struct ExportRunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print runs in full as JSON, or their rounds as CSV.",
        discussion: """
            json: {"format": "sdtrack.export/1", "runs": [...]}, each run with its row, configuration, \
            rounds and spectra, numbers in shortest round-trip form (parsed back, they are the \
            recorded doubles exactly). csv: one line per round: run_id, t, then every metric.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @OptionGroup var store: StoreOptions

    @Argument(help: "Run IDs or unique prefixes.")
    var ids: [String]

    @Option(help: "json or csv.")
    var format: Format = .json

    func validate() throws {
        if ids.isEmpty { throw ValidationError("give at least one run ID (see sdtrack runs list)") }
    }

    func run() throws {
        let store = try store.open(create: false)
        let runIDs = try ids.map { try store.resolve($0) }
        var runs = [(run: RunRecord, rounds: [RoundRecord])]()
        var documents = [JSONValue]()
        for id in runIDs {
            let run = try store.run(id: id), rounds = try store.rounds(runID: id)
            runs.append((run, rounds))
            if format == .json { documents.append(.object(RunDocument.record(run, rounds: rounds, spectrum: try store.spectrum(runID: id)))) }
        }
        switch format {
        case .json:
            print(JSONValue.object([("format", .string(RunDocument.exportFormat)), ("runs", .array(documents))]).serialized())
        case .csv:
            print(Self.csv(runs), terminator: "")
        }
    }

    /// Every round of every run; a metric a round lacks is an empty cell.
    static func csv(_ runs: [(run: RunRecord, rounds: [RoundRecord])]) -> String {
        let extras = Set(runs.flatMap { $0.rounds.flatMap(\.extra.keys) }).sorted()
        var out = csvLine(["run_id", "t"] + RoundRecord.columns + extras) + "\n"
        for (run, rounds) in runs {
            for round in rounds {
                let values = round.columnValues + extras.map { round.extra[$0] }
                out += csvLine([run.id, String(round.t)] + values.map(csvNumber)) + "\n"
            }
        }
        return out
    }
}
