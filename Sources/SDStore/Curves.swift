/// The `curves` table (schema v004): each finished run's metrics, one row per metric, so
/// that a query over thousands of runs reads one row per run instead of one per round.
/// Derived from `rounds` and `round_metrics`, in the transaction that finishes a run.
enum Curves {
    /// Writes the curves of the runs `condition` selects (on run_id) from their rounds:
    /// every math.md column and imported metric that has a value, through its last value.
    static func write(_ connection: SQLiteConnection, runs condition: String, _ bound: [SQLiteValue]) throws {
        let imported = try connection.rows("SELECT DISTINCT name FROM round_metrics WHERE \(condition) ORDER BY name", bound) {
            $0.string(0) ?? ""
        }
        let metrics = RoundRecord.columns + imported
        let table = try RoundTable.rounds(connection, metrics: metrics, condition: condition, bound)
        let insert = try connection.prepare("INSERT OR REPLACE INTO curves (metric, run_id, curve) VALUES (?, ?, ?)")
        for (runID, row) in table.rows {
            for (index, metric) in metrics.enumerated() {
                let values = table.values(metricIndex: index, row: row)
                guard let last = values.lastIndex(where: { !$0.isNaN }) else { continue }
                try insert.bind([.text(metric), .text(runID), .blob(Float64Blob.encode(Array(values[...last])))])
                while try insert.step() {}
            }
        }
    }

    /// The curves of one run.
    static func write(_ connection: SQLiteConnection, runID: String) throws {
        try write(connection, runs: "run_id = ?", [.text(runID)])
    }

    /// Every finished run's curves: the data step of migration v004, for the runs that
    /// finished before it.
    static func backfill(_ connection: SQLiteConnection) throws {
        try write(connection, runs: "run_id IN (SELECT run_id FROM runs WHERE status = 'finished')", [])
    }
}
