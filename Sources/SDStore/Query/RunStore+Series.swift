/// One run's metrics by round, for cross-run analysis.
public struct RunSeries: Sendable {
    public let run: RunRecord
    /// The run's group: a JSON text of the values it is grouped by (equal text, same group).
    public let group: String
    /// Each metric's value at round t (index t); nil where the round or the metric is missing.
    public let values: [String: [Double?]]
}

extension RunStore {
    /// Finished runs matching `filter`, oldest first, with `metrics` by round and their group.
    ///
    /// Groups: by the values of `groupBy`, or by default by the whole configuration except
    /// the seed (and the sdtrack version), so that runs differing only in seed pool.
    public func series(matching filter: RunFilter, metrics: [String], groupBy: [ConfigKey]?) throws(StoreError) -> [RunSeries] {
        var filter = filter
        filter.statuses = [.finished]
        filter.limit = nil
        let (clause, values) = filter.sqlConditions()
        let group: (expression: String, values: [SQLiteValue])
        if let groupBy {
            let parts = groupBy.map(\.sql)
            group = ("json_array(\(parts.map(\.expression).joined(separator: ", ")))", parts.flatMap(\.values))
        } else {
            group = ("json_remove(runs.config_json, '$.seed', '$.sdtrack_version')", [])
        }
        return try database.read { connection in
            var runs = [(RunRecord, String)]()
            var position = [String: Int]()
            let runSQL = "SELECT \(RunRow.columnList), \(group.expression) FROM runs \(clause) ORDER BY runs.created_at, runs.run_id"
            try connection.forEachRow(runSQL, group.values + values) { row in
                position[row.string(0) ?? ""] = runs.count
                runs.append((try RunRow.record(row), row.string(Int32(RunRow.columns.count)) ?? "null"))
            }
            var series = [[String: [Double?]]](repeating: [:], count: runs.count)
            func set(_ metric: String, run: String?, t: Int?, value: Double?) {
                guard let run, let index = position[run], let t, t >= 0 else { return }
                var column = series[index][metric] ?? []
                if column.count <= t { column += [Double?](repeating: nil, count: t + 1 - column.count) }
                column[t] = value
                series[index][metric] = column
            }
            let columnMetrics = metrics.filter(RoundRecord.columns.contains)
            if !columnMetrics.isEmpty {
                let selected = columnMetrics.map { "rounds.\"\($0)\"" }.joined(separator: ", ")
                try connection.forEachRow("SELECT rounds.run_id, rounds.t, \(selected) FROM rounds JOIN runs ON runs.run_id = rounds.run_id \(clause)", values) { row in
                    for (offset, metric) in columnMetrics.enumerated() {
                        set(metric, run: row.string(0), t: row.int(1), value: row.double(Int32(offset + 2)))
                    }
                }
            }
            for metric in metrics where !RoundRecord.columns.contains(metric) {
                let sql = "SELECT m.run_id, m.t, m.value FROM round_metrics m JOIN runs ON runs.run_id = m.run_id \(clause.isEmpty ? "WHERE" : clause + " AND") m.name = ?"
                try connection.forEachRow(sql, values + [.text(metric)]) { row in
                    set(metric, run: row.string(0), t: row.int(1), value: row.double(2))
                }
            }
            return runs.enumerated().map { index, entry in RunSeries(run: entry.0, group: entry.1, values: series[index]) }
        }
    }

    /// The metrics recorded for runs matching `filter`: math.md's columns that some round
    /// has, then imported metric names.
    public func metricNames(matching filter: RunFilter) throws(StoreError) -> [String] {
        var filter = filter
        filter.limit = nil
        let (clause, values) = filter.sqlConditions()
        return try database.read { connection in
            var names = [String]()
            for column in RoundRecord.columns {
                let sql = "SELECT 1 FROM rounds JOIN runs ON runs.run_id = rounds.run_id \(clause.isEmpty ? "WHERE" : clause + " AND") rounds.\"\(column)\" IS NOT NULL LIMIT 1"
                if try connection.scalar(sql, values) != nil { names.append(column) }
            }
            names += try connection.rows("SELECT DISTINCT m.name FROM round_metrics m JOIN runs ON runs.run_id = m.run_id \(clause) ORDER BY m.name", values) {
                $0.string(0) ?? ""
            }
            return names
        }
    }

    /// Whether any run has the configuration key (columns always exist).
    public func hasConfigKey(_ key: ConfigKey) throws(StoreError) -> Bool {
        if key.isColumn { return true }
        let (expression, values) = key.sql
        let typed = expression.replacingOccurrences(of: "json_extract", with: "json_type")
        return try database.read { connection in
            try connection.scalar("SELECT 1 FROM runs WHERE \(typed) IS NOT NULL LIMIT 1", values) != nil
        }
    }
}
