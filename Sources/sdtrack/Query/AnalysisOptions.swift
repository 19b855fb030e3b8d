import ArgumentParser
import SDJSON
import SDReports
import SDStore
import SDSweep

/// Which runs a cross-run query looks at, how it groups them, and by which metric: a `RunQuery`.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Only runs of this experiment.")
    var experiment: String?

    @Option(
        name: .customLong("tag"),
        help: ArgumentHelp("Only runs with this key=value tag (repeatable).", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(help: ArgumentHelp("Only the runs of this sweep (the id `sdtrack sweep` prints).", valueName: "id"))
    var sweep: String?

    @Option(
        help: ArgumentHelp("Only runs created at or after this time: \(Timestamp.dateOrAgeForms).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only runs created before this time: \(Timestamp.dateOrAgeForms).", valueName: "time"))
    var until: String?

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Conditions on configuration keys joined by 'and', e.g. \"kernel = 'rbf' and eps < 0.01\".",
            valueName: "conditions"))
    var conditions: String?

    @Option(
        help: ArgumentHelp(
            "Group by these configuration keys (comma-separated) instead of everything but the seed.",
            valueName: "keys"))
    var groupBy: String?

    @Option(
        help: "The metric (default: test_mse where runs have a held-out set, else gcv), recorded or imported."
    )
    var metric: String?

    @Flag(help: "Larger is better (accuracy and the like).")
    var maximize = false

    func validate() throws {
        _ = try query()
        if let metric, metric.isEmpty { throw ValidationError("--metric needs a name, e.g. test_mse") }
    }

    func query() throws -> RunQuery {
        var filter = RunFilter(experiment: experiment)
        filter.tags = try tagArguments.map(parseTag)
        if let sweep { filter.tags.append(Tag(key: SweepPlan.sweepTag, value: sweep)) }
        filter.since = try since.map { try parseTime($0, option: "--since") }
        filter.until = try until.map { try parseTime($0, option: "--until") }
        if let conditions {
            do {
                filter.conditions = try WhereClause.parse(conditions)
            } catch {
                throw ValidationError("--where: \(error.description)")
            }
        }
        return RunQuery(filter: filter, groupBy: try groupKeys(), metric: metric, maximize: maximize)
    }

    func groupKeys() throws -> [ConfigKey]? {
        guard let groupBy else { return nil }
        return try groupBy.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let key = ConfigKey(name) else {
                throw ValidationError(
                    "--group-by '\(name.shortened)' is not a configuration key; give names such as kernel,eps "
                        + "separated by commas")
            }
            return key
        }
    }
}

/// `--json` and `--csv` as flags, as the other read commands have them.
struct FormatOptions: ParsableArguments {
    enum Format {
        case table, json, csv
    }

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    @Flag(help: "Print CSV instead of the table.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv both choose the output; give one") }
    }

    var format: Format { json ? .json : csv ? .csv : .table }
}
