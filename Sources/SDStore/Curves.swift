/// The `curves` table (schema v004): each finished run's metrics, one row per metric, so
/// that a query over thousands of runs reads one row per run instead of one per round.
/// Derived from a run's rounds, in the transaction that finishes (or imports) it.
enum Curves {
    /// A run's curves: for every metric some round has a value of (docs/math.md's quantities in
    /// declaration order, then extra metrics by name), its value at each round t from 0
    /// through the last round with a value, NaN where a round lacks it or is missing.
    static func of(_ rounds: [RoundRecord]) -> [(metric: String, values: [Double])] {
        var curves = [(metric: String, values: [Double])]()
        func curve(_ value: (RoundRecord) -> Double?) -> [Double]? {
            guard let last = rounds.last(where: { value($0) != nil })?.t else { return nil }
            var values = [Double](repeating: .nan, count: last + 1)
            for round in rounds where round.t <= last { values[round.t] = value(round) ?? .nan }
            return values
        }
        for metric in RoundMetric.allCases {
            if let values = curve({ $0[metric] }) { curves.append((metric.name, values)) }
        }
        for name in Set(rounds.flatMap(\.extra.keys)).sorted() {
            if let values = curve({ $0.extra[name] }) { curves.append((name, values)) }
        }
        return curves
    }

    static func write(
        _ curves: [(metric: String, values: [Double])], runID: String,
        connection: SQLiteConnection
    ) throws {
        for (metric, values) in curves {
            try connection.run(
                "INSERT INTO curves (metric, run_id, curve) VALUES (?, ?, ?)",
                [.text(metric), .text(runID), .blob(Float64Blob.encode(values))])
        }
    }

    /// Every finished run's curves: the data step of migration v004, for the runs that
    /// finished before it.
    static func backfill(_ connection: SQLiteConnection) throws {
        let finished = try connection.rows("SELECT run_id FROM runs WHERE status = 'finished'") { $0.string(0) ?? "" }
        for runID in finished {
            try write(of(RunStore.rounds(runID: runID, connection: connection)), runID: runID, connection: connection)
        }
    }
}
