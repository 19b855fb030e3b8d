/// Many runs' metrics by round. Each metric's values for every run lie back to back in one
/// buffer, so that 10,000 runs cost a few allocations instead of tens of thousands: making
/// and freeing those was a third of a best-rounds query.
final class RoundTable: Sendable {
    /// The metrics read, in the order of `values` and `spans`.
    let metrics: [String]
    /// run_id -> the run's row in `spans`.
    let rows: [String: Int]
    /// Per metric, every run's values back to back; NaN where a round lacks the value.
    let values: [[Double]]
    /// Per metric and row, where the run's values lie in `values`: round t at lowerBound + t.
    let spans: [[Range<Int>]]

    init(metrics: [String], rows: [String: Int], values: [[Double]], spans: [[Range<Int>]]) {
        self.metrics = metrics
        self.rows = rows
        self.values = values
        self.spans = spans
    }

    /// One run's table from values by metric name, nil where a round lacks the value.
    convenience init(runID: String, values: [String: [Double?]]) {
        let metrics = values.keys.sorted()
        let columns = metrics.map { values[$0]!.map { $0 ?? .nan } }
        self.init(metrics: metrics, rows: [runID: 0], values: columns, spans: columns.map { [0..<$0.count] })
    }

    /// The run's values of the metric at `metricIndex`, round t at startIndex + t.
    func values(metricIndex: Int, row: Int) -> ArraySlice<Double> {
        values[metricIndex][spans[metricIndex][row]]
    }

    /// The metrics of every finished run from `curves`: one row per run and metric.
    static func curves(_ connection: SQLiteConnection, metrics: [String]) throws -> RoundTable {
        var builder = RoundTableBuilder(metrics: metrics)
        let statement = try connection.prepare("SELECT run_id, curve FROM curves WHERE metric = ? ORDER BY run_id")
        for (slot, metric) in metrics.enumerated() {
            try statement.bind([.text(metric)])
            builder.beginPass()
            while try statement.step() {
                builder.begin(runID: statement.string(at: 0), slots: [slot])
                builder.append(float64Blob: statement.blob(at: 1), column: 0)
            }
        }
        return builder.table()
    }
}

/// Builds a `RoundTable` from curves that arrive grouped by run, one pass per metric: values
/// are appended to their metric's buffer as they are read, and a run's span is closed when
/// the next run begins.
struct RoundTableBuilder {
    private let metrics: [String]
    /// Run IDs by row.
    private var ids = [String]()
    /// run_id -> row, made when a second pass begins: in the first every run is new, and
    /// thousands of lookups of absent keys would each probe the table in vain.
    private var rows: [String: Int]?
    private var passes = 0
    private var values: [[Double]]
    private var spans: [[Range<Int>]]
    /// The open run: its row, and where its values start in each metric's buffer.
    private var open: (row: Int, starts: [Int], slots: [Int])?

    init(metrics: [String]) {
        self.metrics = metrics
        values = Array(repeating: [], count: metrics.count)
        spans = Array(repeating: [], count: metrics.count)
    }

    /// Starts a pass over the rows of one table.
    mutating func beginPass() {
        close()
        if passes > 0 && rows == nil { rows = Dictionary(uniqueKeysWithValues: zip(ids, ids.indices)) }
        passes += 1
    }

    /// Starts the next run, which fills `slots` (metric indices).
    mutating func begin(runID: String, slots: [Int]) {
        close()
        let row: Int
        if let known = rows?[runID] {
            row = known  // a later pass adds its metric to the run's row
        } else {
            row = ids.count
            ids.append(runID)
            rows?[runID] = row
            for metric in spans.indices { spans[metric].append(0..<0) }
        }
        open = (row, slots.map { values[$0].count }, slots)
    }

    /// The open run's values of `slots[column]` at every round, as `Float64Blob` bytes.
    mutating func append(float64Blob bytes: UnsafeRawBufferPointer, column: Int) {
        guard let open else { return }
        Float64Blob.decode(bytes, appendingTo: &values[open.slots[column]])
    }

    /// Closes the open run, if any.
    mutating func close() {
        guard let open else { return }
        for (column, slot) in open.slots.enumerated() {
            spans[slot][open.row] = open.starts[column]..<values[slot].count
        }
        self.open = nil
    }

    mutating func table() -> RoundTable {
        close()
        return RoundTable(
            metrics: metrics, rows: rows ?? Dictionary(uniqueKeysWithValues: zip(ids, ids.indices)),
            values: values, spans: spans)
    }
}
