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
        self.init(metrics: metrics, rows: [runID: 0], values: columns, spans: columns.map { [0 ..< $0.count] })
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

    /// The metrics of the runs `condition` selects (on run_id) from `rounds` and
    /// `round_metrics`: one row per round.
    static func rounds(_ connection: SQLiteConnection, metrics: [String], condition: String, _ bound: [SQLiteValue]) throws -> RoundTable {
        var builder = RoundTableBuilder(metrics: metrics)
        let columns = metrics.filter(RoundRecord.columns.contains)
        if !columns.isEmpty {
            let selected = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            try read(connection, "SELECT run_id, t, \(selected) FROM rounds WHERE \(condition) ORDER BY run_id, t", bound,
                     slots: columns.map { metrics.firstIndex(of: $0)! }, into: &builder)
        }
        for (slot, metric) in metrics.enumerated() where !RoundRecord.columns.contains(metric) {
            try read(connection, "SELECT run_id, t, value FROM round_metrics WHERE name = ? AND \(condition) ORDER BY run_id, t",
                     [.text(metric)] + bound, slots: [slot], into: &builder)
        }
        return builder.table()
    }

    /// Rows grouped by run and ordered by t: a String is made once per run.
    private static func read(_ connection: SQLiteConnection, _ sql: String, _ bound: [SQLiteValue], slots: [Int],
                             into builder: inout RoundTableBuilder) throws {
        let statement = try connection.prepare(sql)
        try statement.bind(bound)
        builder.beginPass()
        var previous = [UInt8](), started = false
        while try statement.step() {
            if !started || !statement.text(at: 0, equals: previous) {
                previous = statement.textBytes(at: 0)
                builder.begin(runID: String(decoding: previous, as: UTF8.self), slots: slots)
                started = true
            }
            let t = Int(statement.int64(at: 1))
            guard t >= 0 else { continue }
            for column in slots.indices { builder.append(statement.double(at: Int32(column + 2)), t: t, column: column) }
        }
    }
}

/// Builds a `RoundTable` from rows that arrive grouped by run, in one or more passes (one
/// per table or metric read): values are appended to their metric's buffer as they are
/// read, and a run's span is closed when the next run begins.
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
            for metric in spans.indices { spans[metric].append(0 ..< 0) }
        }
        open = (row, slots.map { values[$0].count }, slots)
    }

    /// The open run's value at round t of `slots[column]`; nil is a missing value. Rounds
    /// come in increasing order; rounds skipped are filled with NaN.
    mutating func append(_ value: Double?, t: Int, column: Int) {
        guard let open else { return }
        let slot = open.slots[column], start = open.starts[column]
        while values[slot].count - start < t { values[slot].append(.nan) }
        values[slot].append(value ?? .nan)
    }

    /// The open run's values of `slots[column]` at every round, as `Float64Blob` bytes.
    mutating func append(float64Blob bytes: UnsafeRawBufferPointer, column: Int) {
        guard let open else { return }
        Float64Blob.decode(bytes, appendingTo: &values[open.slots[column]])
    }

    /// Closes the open run, if any.
    mutating func close() {
        guard let open else { return }
        for (column, slot) in open.slots.enumerated() { spans[slot][open.row] = open.starts[column] ..< values[slot].count }
        self.open = nil
    }

    mutating func table() -> RoundTable {
        close()
        return RoundTable(metrics: metrics, rows: rows ?? Dictionary(uniqueKeysWithValues: zip(ids, ids.indices)),
                          values: values, spans: spans)
    }
}
