import ArgumentParser
import SDReports

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Runs side by side: how their configurations differ, and their metrics round by round.",
        discussion: "Example: sdtrack compare 3f2a 9c41 --metric test_mse"
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "Two or more run IDs or unique prefixes.")
    var ids: [String]

    @Option(
        help: ArgumentHelp("A metric to show (repeatable; default: every metric the runs have).", valueName: "metric"))
    var metric: [String] = []

    @Flag(help: "Print JSON (sdtrack.compare/1) instead of the tables.")
    var json = false

    func validate() throws {
        if ids.count < 2 { throw ValidationError("give at least two run IDs to compare (see sdtrack runs list)") }
    }

    func run() throws {
        let store = try store.open(create: false, access: .read)
        let report = try CompareReport(store: store, runIDs: try ids.map { try store.resolve($0) }, metrics: metric)
        print(json ? report.json().serialized() : report.text())
    }
}
