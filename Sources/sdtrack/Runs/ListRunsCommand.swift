import ArgumentParser
import SDDocuments
import SDJSON
import SDReports
import SDStore

struct ListRunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded runs, newest first.",
        discussion: "A run whose process is gone (killed, or lost with its machine) shows as killed."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Only runs of this experiment.")
    var experiment: String?

    @Option(
        help: ArgumentHelp(
            "Only runs with this status: running, finished, failed or killed (repeatable).",
            valueName: "status"))
    var status: [String] = []

    @Option(
        name: .customLong("tag"),
        help: ArgumentHelp("Only runs with this key=value tag (repeatable).", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(
        help: ArgumentHelp("Only runs created at or after this time: \(Timestamp.dateOrAgeForms).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only runs created before this time.", valueName: "time"))
    var until: String?

    @Option(help: "The most runs to show (0 for all).")
    var limit = 50

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 (all) or more, got \(limit)") }
        _ = try filter()
    }

    func filter() throws -> RunFilter {
        var filter = RunFilter(experiment: experiment, limit: limit == 0 ? nil : limit)
        if !status.isEmpty {
            filter.statuses = Set(
                try status.map { name in
                    guard let status = RunStatus(rawValue: name) else {
                        throw ValidationError(
                            "unknown status '\(name.shortened)'; use running, finished, failed or killed")
                    }
                    return status
                })
        }
        filter.tags = try tagArguments.map(parseTag)
        filter.since = try since.map { try parseTime($0, option: "--since") }
        filter.until = try until.map { try parseTime($0, option: "--until") }
        return filter
    }

    func run() throws {
        let runs = try store.open(create: false, access: .read).runs(matching: try filter())
        if json {
            print(RunDocument.list(runs).serialized())
        } else {
            print(runs.isEmpty ? "no runs match in \(store.resolvedPath)" : RunListing.table(runs))
        }
    }
}
