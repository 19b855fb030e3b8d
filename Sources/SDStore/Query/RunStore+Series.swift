/// One run's metrics by round, for cross-run analysis, with what the analysis needs of the
/// run (a slim read: 10,000 runs should not cost 10,000 full records).
public struct RunSeries: Sendable {
    public let runID: String
    public let collapseRound: Int?
    public let boundsHeld: Bool?
    public let zeroPredictor: ZeroPredictorErrors
    /// The run's group: a JSON text of the values it is grouped by (equal text, same group).
    public let group: String
    /// Each metric's value at round t (index t); nil where the round or the metric is missing.
    public let values: [String: [Double?]]
}

extension RunStore {
    /// Finished runs matching `filter`, oldest first, with `metrics` by round and their group.
    ///
    /// Groups: by the values of `groupBy`, or by default by the whole configuration except
    /// the seed, the sdtrack version and "resolved" (values the data decided, such as the
    /// median-distance length scale), so that runs differing only in seed pool.
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
            group = ("json_remove(runs.config_json, '$.seed', '$.sdtrack_version', '$.resolved')", [])
        }
        return try database.read { connection in
            var runs = [(id: String, collapse: Int?, bounds: Bool?, zero: ZeroPredictorErrors, group: String, rounds: Int)]()
            var position = [String: Int]()
            let runSQL = """
                SELECT runs.run_id, runs.collapse_round, runs.bounds_held, runs.zero_train_mse, runs.zero_test_mse,
                    runs.zero_truth_mse, \(group.expression), runs.round_count FROM runs \(clause) ORDER BY runs.created_at, runs.run_id
                """
            try connection.forEachRow(runSQL, group.values + values) { row in
                let id = row.string(0) ?? ""
                position[id] = runs.count
                runs.append((id, row.int(1), row.bool(2),
                             ZeroPredictorErrors(trainMSE: row.double(3), testMSE: row.double(4), truthMSE: row.double(5)),
                             row.string(6) ?? "null", row.int(7) ?? 0))
            }
            // table[m][run][t]: metric m of a run at round t, sized by the run's round count.
            var table = metrics.map { _ in runs.map { [Double?](repeating: nil, count: $0.rounds) } }
            // One pass over a whole table in key order (run_id, t), without a join: a new String
            // and lookup only where run_id changes, skipping runs the filter left out.
            func scan(_ sql: String, _ bound: [SQLiteValue], _ selected: [String]) throws {
                let slots = selected.map { metrics.firstIndex(of: $0)! }
                let statement = try connection.prepare(sql)
                try statement.bind(bound)
                var previous = [UInt8](), index: Int?
                while try statement.step() {
                    let same = statement.withTextBytes(at: 0) { bytes in bytes.elementsEqual(previous) }
                    if !same {
                        previous = statement.withTextBytes(at: 0) { Array($0) }
                        index = position[String(decoding: previous, as: UTF8.self)]
                    }
                    let t = Int(statement.int64(at: 1))
                    guard let index, t >= 0 else { continue }
                    for (offset, slot) in slots.enumerated() {
                        if t >= table[slot][index].count {
                            table[slot][index].append(contentsOf: repeatElement(nil, count: t + 1 - table[slot][index].count))
                        }
                        table[slot][index][t] = statement.double(at: Int32(offset + 2))
                    }
                }
            }
            let columnMetrics = metrics.filter(RoundRecord.columns.contains)
            if !columnMetrics.isEmpty {
                try scan("SELECT run_id, t, \(columnMetrics.map { "\"\($0)\"" }.joined(separator: ", ")) FROM rounds ORDER BY run_id, t", [], columnMetrics)
            }
            for metric in metrics where !RoundRecord.columns.contains(metric) {
                try scan("SELECT run_id, t, value FROM round_metrics WHERE name = ? ORDER BY run_id, t", [.text(metric)], [metric])
            }
            return runs.enumerated().map { index, run in
                RunSeries(runID: run.id, collapseRound: run.collapse, boundsHeld: run.bounds, zeroPredictor: run.zero, group: run.group,
                          values: Dictionary(uniqueKeysWithValues: metrics.indices.map { (metrics[$0], table[$0][index]) }))
            }
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
