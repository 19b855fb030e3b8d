import ArgumentParser
import SDStore

/// Which runs a cross-run query looks at, how it groups them, and by which metric.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Only runs of this experiment.")
    var experiment: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("Only runs with this key=value tag (repeatable).", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(help: ArgumentHelp("Only runs created at or after this time: \(TimeArgument.help).", valueName: "time"))
    var since: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Conditions on configuration keys joined by 'and', e.g. \"kernel = 'rbf' and eps < 0.01\".", valueName: "conditions"))
    var conditions: String?

    @Option(help: ArgumentHelp("Group by these configuration keys (comma-separated) instead of everything but the seed.", valueName: "keys"))
    var groupBy: String?

    @Option(help: "The metric: test_mse by default where runs have a held-out set, else gcv; or any recorded or imported metric.")
    var metric: String?

    @Flag(help: "Larger is better (accuracy and the like).")
    var maximize = false

    func validate() throws {
        _ = try filter()
        _ = try groupKeys()
        if let metric, metric.isEmpty { throw ValidationError("--metric needs a name, e.g. test_mse") }
    }

    func filter() throws -> RunFilter {
        var filter = RunFilter(experiment: experiment)
        filter.tags = try tagArguments.map(Tag.parse)
        filter.since = try since.map { try TimeArgument.parse($0, option: "--since") }
        if let conditions {
            do {
                filter.conditions = try WhereClause.parse(conditions)
            } catch {
                throw ValidationError(error.description)
            }
        }
        return filter
    }

    func groupKeys() throws -> [ConfigKey]? {
        guard let groupBy else { return nil }
        return try groupBy.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let key = ConfigKey(name) else {
                throw ValidationError("--group-by '\(name)' is not a configuration key; give names such as kernel,eps separated by commas")
            }
            return key
        }
    }

    /// Reads the selected finished runs' series, after checking that every named key and
    /// metric exists, so that a typo is an error instead of an empty or NULL answer.
    func series(store: RunStore) throws -> [RunSeries] {
        let filter = try filter()
        for key in filter.conditions.map(\.key) + (try groupKeys() ?? []) where !(try store.hasConfigKey(key)) {
            throw CLIError("unknown configuration key '\(key)': no run in \(store.path) has it; see `sdtrack runs show ID` for a run's configuration")
        }
        if let metric, !(try store.hasMetric(metric)) {
            let known = try store.metricNames(matching: RunFilter())
            throw CLIError("unknown metric '\(metric)'; recorded metrics are \(known.joined(separator: ", "))")
        }
        // test_mse and gcv always: the default metric and GCV against held-out error need them.
        let metrics = Array(Set([metric].compactMap { $0 } + ["test_mse", "gcv"])).sorted()
        let series = try store.series(matching: filter, metrics: metrics, groupBy: try groupKeys())
        guard !series.isEmpty else {
            throw CLIError("no finished runs match in \(store.path); loosen --experiment, --tag, --since or --where (see sdtrack runs list)")
        }
        return series
    }
}
