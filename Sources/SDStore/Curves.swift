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

    /// How much a run's curves may hold beyond its values: `sparsityFactor` times the values it
    /// recorded, or `smallRunCells` for any run. Curves are dense (a value, or NaN, at every
    /// round through the last), so a file of a few values at t = 999,999 would otherwise make
    /// a blob of megabytes per metric: 400 bytes of JSON Lines became 400 MB.
    static let sparsityFactor = 16
    static let smallRunCells = 100_000

    /// Throws `.invalidRecord` when `rounds` would make curves beyond those limits.
    static func checkDensity(_ rounds: [RoundRecord], runID: String) throws(StoreError) {
        var lastT = [String: Int](), values = 0
        for round in rounds {
            for metric in RoundMetric.allCases where round[metric] != nil {
                lastT[metric.name] = max(lastT[metric.name] ?? 0, round.t)
                values += 1
            }
            for name in round.extra.keys {
                lastT[name] = max(lastT[name] ?? 0, round.t)
                values += 1
            }
        }
        let cells = lastT.values.reduce(0) { $0 + $1 + 1 }
        guard cells <= max(smallRunCells, sparsityFactor * values) else {
            throw StoreError(
                .invalidRecord,
                "run \(runID) has \(values) values spread over \(cells) round slots; give rounds 0, 1, 2, ... "
                    + "without such gaps")
        }
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
