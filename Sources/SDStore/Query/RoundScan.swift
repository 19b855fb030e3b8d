import Dispatch

/// Every run's metrics by round for run IDs in [lower, upper), read in one pass over the
/// rounds (and round_metrics) table in key order (run_id, t), on its own connection and
/// thread. A best-rounds query runs two of these (the ID space halved) beside its read of
/// the runs: its three largest reads, side by side.
final class RoundScan: @unchecked Sendable {
    private var table: RoundTable?
    private var failure: (any Error)?
    private let done = DispatchSemaphore(value: 0)

    /// Starts the scan. Call it after the caller's read transaction has read from the
    /// database: WAL gives this connection a snapshot at least as new, so every run the
    /// caller sees finished has all its rounds here.
    init(path: String, metrics: [String], lower: String?, upper: String?) {
        let limits = [lower.map { ("run_id >= ?", $0) }, upper.map { ("run_id < ?", $0) }].compactMap { $0 }
        let condition = limits.map(\.0).joined(separator: " AND ")
        let bounds = limits.map { SQLiteValue.text($0.1) }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do {
                let connection = try Database.readConnection(path: path)
                table = try connection.transaction(.deferred) { try scan(connection, metrics: metrics, condition: condition, bounds: bounds) }
            } catch {
                failure = error
            }
            done.signal()
        }
    }

    /// Waits for the scan and returns what it read.
    func result() throws -> RoundTable {
        done.wait()
        if let failure { throw failure }
        return table!
    }

    private func scan(_ connection: SQLiteConnection, metrics: [String], condition: String, bounds: [SQLiteValue]) throws -> RoundTable {
        var builder = RoundTableBuilder(metrics: metrics)
        let columns = metrics.filter(RoundRecord.columns.contains)
        if !columns.isEmpty {
            let selected = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            try read(connection, "SELECT run_id, t, \(selected) FROM rounds \(condition.isEmpty ? "" : "WHERE " + condition) ORDER BY run_id, t",
                     bounds, slots: columns.map { metrics.firstIndex(of: $0)! }, into: &builder)
        }
        for (slot, metric) in metrics.enumerated() where !RoundRecord.columns.contains(metric) {
            try read(connection, "SELECT run_id, t, value FROM round_metrics WHERE name = ? \(condition.isEmpty ? "" : "AND " + condition) ORDER BY run_id, t",
                     [.text(metric)] + bounds, slots: [slot], into: &builder)
        }
        return builder.table()
    }

    /// Rows arrive grouped by run: a String is made once per run, when the run_id changes.
    private func read(_ connection: SQLiteConnection, _ sql: String, _ bound: [SQLiteValue], slots: [Int], into builder: inout RoundTableBuilder) throws {
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
        builder.close()
    }
}
