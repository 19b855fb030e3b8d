/// One run's metrics by round, for cross-run analysis, with what the analysis needs of the
/// run (a slim read: 10,000 runs should not cost 10,000 full records).
public struct RunSeries: Sendable {
    public let runID: String
    public let collapseRound: Int?
    public let boundsHeld: Bool?
    public let zeroPredictor: ZeroPredictorErrors
    /// The run's group: a JSON text of the values it is grouped by (equal text, same group).
    public let group: String
    /// Where the run's metrics are: a table shared by the series of one query, and the
    /// run's row in it (nil when the run has no curves: no rounds with a value).
    let table: RoundTable
    let row: Int?

    init(
        runID: String, collapseRound: Int?, boundsHeld: Bool?, zeroPredictor: ZeroPredictorErrors, group: String,
        table: RoundTable, row: Int?
    ) {
        self.runID = runID
        self.collapseRound = collapseRound
        self.boundsHeld = boundsHeld
        self.zeroPredictor = zeroPredictor
        self.group = group
        self.table = table
        self.row = row
    }

    /// A series from values by metric name, nil where a round lacks the value (tests, and
    /// callers with a few runs).
    init(
        runID: String, collapseRound: Int?, boundsHeld: Bool?, zeroPredictor: ZeroPredictorErrors, group: String,
        values: [String: [Double?]]
    ) {
        self.init(
            runID: runID, collapseRound: collapseRound, boundsHeld: boundsHeld, zeroPredictor: zeroPredictor,
            group: group, table: RoundTable(runID: runID, values: values), row: 0)
    }

    /// The metric's value at each round t, at startIndex + t; NaN where the round or the
    /// value is missing (SQLite stores no NaN, so NaN only ever means missing); nil when the
    /// metric was not read. (A list search: queries read two or three.)
    public func values(of metric: String) -> ArraySlice<Double>? {
        guard let metricIndex = table.metrics.firstIndex(of: metric) else { return nil }
        guard let row else { return [] }
        return table.values(metricIndex: metricIndex, row: row)
    }
}

extension RunStore {
    /// Finished runs matching `filter`, oldest first, with `metrics` by round (from their
    /// curves, v004) and their group.
    ///
    /// Groups: by the values of `groupBy`, or by default by the whole configuration except
    /// the seed, the sdtrack version and "resolved" (values the data decided, such as the
    /// median-distance length scale), so that runs differing only in seed pool: the stored
    /// `runs.group_key` (v003).
    public func series(matching filter: RunFilter, metrics: [String], groupBy: [ConfigKey]?) throws(StoreError)
        -> [RunSeries]
    {
        var filter = filter
        filter.statuses = [.finished]
        filter.limit = nil
        let (clause, values) = filter.sqlConditions()
        let group: (expression: String, values: [SQLiteValue])
        if let groupBy {
            let parts = groupBy.map(\.sql)
            group = ("json_array(\(parts.map(\.expression).joined(separator: ", ")))", parts.flatMap(\.values))
        } else {
            group = ("runs.group_key", [])
        }
        return try database.read { connection in
            var runs = [(id: String, collapse: Int?, bounds: Bool?, zero: ZeroPredictorErrors, group: String)]()
            let runSQL = """
                SELECT runs.run_id, runs.collapse_round, runs.bounds_held, runs.zero_train_mse, runs.zero_test_mse,
                    runs.zero_truth_mse, \(group.expression) AS "group" FROM runs \(clause)
                ORDER BY runs.created_at, runs.run_id
                """
            try connection.forEachRow(runSQL, group.values + values) { row in
                runs.append(
                    (
                        row.string("run_id") ?? "", row.int("collapse_round"), row.bool("bounds_held"),
                        ZeroPredictorErrors(
                            trainMSE: row.double("zero_train_mse"), testMSE: row.double("zero_test_mse"),
                            truthMSE: row.double("zero_truth_mse")),
                        row.string("group") ?? "null"
                    ))
            }
            let table = try RoundTable.curves(connection, metrics: metrics)
            return runs.map { run in
                RunSeries(
                    runID: run.id, collapseRound: run.collapse, boundsHeld: run.bounds, zeroPredictor: run.zero,
                    group: run.group, table: table, row: table.rows[run.id])
            }
        }
    }

    /// The metrics recorded for runs matching `filter`: docs/math.md's columns that some round
    /// has, then imported metric names.
    public func metricNames(matching filter: RunFilter) throws(StoreError) -> [String] {
        var filter = filter
        filter.limit = nil
        let (clause, values) = filter.sqlConditions()
        return try database.read { connection in
            var names = [String]()
            for metric in RoundMetric.allCases {
                let sql =
                    "SELECT 1 FROM rounds JOIN runs ON runs.run_id = rounds.run_id "
                    + "\(clause.isEmpty ? "WHERE" : clause + " AND") rounds.\"\(metric.name)\" IS NOT NULL LIMIT 1"
                if try connection.scalar(sql, values) != nil { names.append(metric.name) }
            }
            let extraSQL =
                "SELECT DISTINCT m.name FROM round_metrics m JOIN runs ON runs.run_id = m.run_id \(clause) "
                + "ORDER BY m.name"
            names += try connection.rows(extraSQL, values) { $0.string(0) ?? "" }
            return names
        }
    }

    /// Whether some round of some run has the metric: a docs/math.md column or an imported name.
    /// Cheap when it does (the first match ends the search).
    public func hasMetric(_ metric: String) throws(StoreError) -> Bool {
        let column = RoundMetric(rawValue: metric)
        let sql =
            column.map { "SELECT 1 FROM rounds WHERE \"\($0.name)\" IS NOT NULL LIMIT 1" }
            ?? "SELECT 1 FROM round_metrics WHERE name = ? LIMIT 1"
        return try database.read { connection in
            try connection.scalar(sql, column == nil ? [.text(metric)] : []) != nil
        }
    }

    /// Whether any run has a truth grid (synthetic data), so that truth_mse is there to query.
    public func hasTruth() throws(StoreError) -> Bool {
        try database.read { connection in
            try connection.scalar("SELECT 1 FROM runs WHERE zero_truth_mse IS NOT NULL LIMIT 1") != nil
        }
    }

    /// Whether any run has the configuration key (columns always exist).
    public func hasConfigKey(_ key: ConfigKey) throws(StoreError) -> Bool {
        if key.isColumn { return true }
        // json_type, not json_extract: a key whose value is null is there too.
        let (expression, values) = key.sql(jsonFunction: "json_type")
        return try database.read { connection in
            try connection.scalar("SELECT 1 FROM runs WHERE \(expression) IS NOT NULL LIMIT 1", values) != nil
        }
    }
}
