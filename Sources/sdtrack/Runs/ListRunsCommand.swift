import ArgumentParser
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

    @Option(help: ArgumentHelp("Only runs with this status: running, finished, failed or killed (repeatable).", valueName: "status"))
    var status: [String] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp("Only runs with this key=value tag (repeatable).", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(help: ArgumentHelp("Only runs created at or after this time: \(TimeArgument.help).", valueName: "time"))
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
            filter.statuses = Set(try status.map { name in
                guard let status = RunStatus(rawValue: name) else {
                    throw ValidationError("unknown status '\(name)'; use running, finished, failed or killed")
                }
                return status
            })
        }
        filter.tags = try tagArguments.map(Tag.parse)
        filter.since = try since.map { try TimeArgument.parse($0, option: "--since") }
        filter.until = try until.map { try TimeArgument.parse($0, option: "--until") }
        return filter
    }

    func run() throws {
        let runs = try store.open(create: false).runs(matching: try filter())
        if json {
            print(JSONValue.object([
                ("format", .string(RunDocument.listFormat)),
                ("runs", .array(runs.map { .object(RunDocument.summary($0)) })),
            ]).serialized())
            return
        }
        guard !runs.isEmpty else {
            print("no runs match in \(store.resolvedPath)")
            return
        }
        var table = TextTable(header: ["run", "experiment", "status", "created (UTC)", "data", "K", "kernel", "mode", "rounds", "collapse", "tags"],
                              leftAligned: [0, 1, 2, 3, 4, 6, 7, 10])
        for run in runs {
            table.append([
                String(run.id.prefix(8)), run.experiment, run.status.rawValue, Self.shortTime(run.createdAt),
                run.config.dataset ?? "-", run.config.k.map(String.init) ?? "-", run.config.kernelSummary, run.config.modeSummary,
                String(run.roundCount), run.summary.collapseRound.map(String.init) ?? "-",
                run.tags.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
            ])
        }
        print(table.lines().joined(separator: "\n"))
    }

    static func shortTime(_ time: Timestamp) -> String {
        let text = time.iso8601
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8)
    }
}
