import ArgumentParser
import SDDocuments
import SDReports

struct ExportRunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print runs in full as JSON (what sdtrack import reads back), or their rounds as CSV.",
        discussion: """
            json: {"format": "sdtrack.export/1", "runs": [...]}, each run with every field of its row, \
            its configuration, tags, rounds and spectra; numbers in shortest round-trip form, so that \
            `sdtrack import` recreates the runs exactly in another database. csv: one line per round: \
            run_id, t, then every metric.
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
        let store = try store.open(create: false, access: .read)
        // Each run once, in the order given: an import refuses a run given twice.
        var seen = Set<String>()
        let runIDs = try ids.map { try store.resolve($0) }.filter { seen.insert($0).inserted }
        let runs = try store.completeRuns(ids: runIDs)
        switch format {
        case .json: print(RunDocument.export(runs).serialized())
        case .csv: print(RunListing.roundsCSV(runs), terminator: "")
        }
    }
}
