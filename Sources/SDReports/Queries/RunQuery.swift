import SDAnalysis
import SDJSON
import SDStore

/// A question `sdtrack query` cannot answer as asked.
public struct QueryError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// A --where or --group-by key no run has.
        case unknownConfigKey = "unknown_config_key"
        /// A metric no run recorded.
        case unknownMetric = "unknown_metric"
        /// No finished run matches the filter.
        case noRuns = "no_runs"
        /// No group has the metric at round 0 in every run.
        case noGroups = "no_groups"
    }

    public let code: Code
    public let description: String
}

/// Which runs a cross-run query looks at, how it groups them, and by which metric: what
/// `query best-rounds` and `query curve` share.
public struct RunQuery: Sendable {
    public var filter: RunFilter
    /// nil: by the whole configuration except the seed (`GroupKey`).
    public var groupBy: [ConfigKey]?
    /// nil: held-out error where every run of a group has a held-out set, else GCV.
    public var metric: String?
    public var maximize: Bool

    public init(
        filter: RunFilter = RunFilter(), groupBy: [ConfigKey]? = nil, metric: String? = nil,
        maximize: Bool = false
    ) {
        self.filter = filter
        self.groupBy = groupBy
        self.metric = metric
        self.maximize = maximize
    }

    /// The selected finished runs' series, after checking that every named key and metric
    /// exists, so that a typo is an error instead of an empty or NULL answer.
    public func series(in store: RunStore) throws -> [RunSeries] {
        for key in filter.conditions.map(\.key) + (groupBy ?? []) where !(try store.hasConfigKey(key)) {
            throw QueryError(
                code: .unknownConfigKey,
                description: "unknown configuration key '\(key)': no run in \(store.path) has it")
        }
        if let metric, !(try store.hasMetric(metric)) {
            let known = try store.metricNames(matching: RunFilter())
            throw QueryError(
                code: .unknownMetric,
                description:
                    "unknown metric '\(metric.shortened)'; recorded metrics are \(known.joined(separator: ", "))")
        }
        // test_mse and gcv always: the default metric and GCV against held-out error need them.
        let metrics = Array(Set([metric].compactMap { $0 } + [RoundMetric.testMSE.name, RoundMetric.gcv.name])).sorted()
        let series = try store.series(matching: filter, metrics: metrics, groupBy: groupBy)
        guard !series.isEmpty else {
            throw QueryError(code: .noRuns, description: "no finished runs match in \(store.path)")
        }
        return series
    }

    /// Every group's analysis, sorted by gain, with labels; throws `.noGroups` when no group
    /// has the metric at round 0 in every run.
    public func analyze(_ store: RunStore) throws -> (groups: [GroupAnalysis], skipped: [String], labels: GroupLabels) {
        let (groups, skipped) = BestRounds.analyze(try series(in: store), metric: metric, maximize: maximize)
        guard !groups.isEmpty else {
            throw QueryError(
                code: .noGroups,
                description: "no group has \(metric ?? "test_mse or gcv") at round 0 for every run")
        }
        return (groups, skipped, GroupLabels(groups: groups.map(\.group), groupBy: groupBy))
    }
}
