import Dispatch

/// Every run's metrics by round for run IDs in [lower, upper), read in one pass over the
/// rounds (and round_metrics) table in key order (run_id, t), on its own connection and
/// thread. A best-rounds query runs two of these (the ID space halved) beside its read of
/// the runs: its three largest reads, side by side.
final class RoundScan: @unchecked Sendable {
    /// run_id -> per metric (in `metrics` order) the value at each round t.
    private(set) var values = [String: [[Double?]]]()
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
                try connection.transaction(.deferred) { try scan(connection, metrics: metrics, condition: condition, bounds: bounds) }
            } catch {
                failure = error
            }
            done.signal()
        }
    }

    /// Waits for the scan and returns what it read.
    func result() throws -> [String: [[Double?]]] {
        done.wait()
        if let failure { throw failure }
        return values
    }

    private func scan(_ connection: SQLiteConnection, metrics: [String], condition: String, bounds: [SQLiteValue]) throws {
        let columns = metrics.filter(RoundRecord.columns.contains)
        if !columns.isEmpty {
            let selected = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            try read(connection, "SELECT run_id, t, \(selected) FROM rounds \(condition.isEmpty ? "" : "WHERE " + condition) ORDER BY run_id, t",
                     bounds, slots: columns.map { metrics.firstIndex(of: $0)! }, width: metrics.count)
        }
        for (slot, metric) in metrics.enumerated() where !RoundRecord.columns.contains(metric) {
            try read(connection, "SELECT run_id, t, value FROM round_metrics WHERE name = ? \(condition.isEmpty ? "" : "AND " + condition) ORDER BY run_id, t",
                     [.text(metric)] + bounds, slots: [slot], width: metrics.count)
        }
    }

    /// Rows arrive grouped by run: a run's values are gathered in `current` and stored
    /// when the run_id changes, so a String is made once per run, not once per row.
    private func read(_ connection: SQLiteConnection, _ sql: String, _ bound: [SQLiteValue], slots: [Int], width: Int) throws {
        let statement = try connection.prepare(sql)
        try statement.bind(bound)
        var previous = [UInt8](), current = [[Double?]](), started = false
        func flush() {
            guard started else { return }
            let id = String(decoding: previous, as: UTF8.self)
            if var stored = values.removeValue(forKey: id) {  // a second pass (round_metrics) adds its slot
                for slot in slots { stored[slot] = current[slot] }
                values[id] = stored
            } else {
                values[id] = current
            }
        }
        while try statement.step() {
            if !started || !statement.text(at: 0, equals: previous) {
                flush()
                previous = statement.textBytes(at: 0)
                current = [[Double?]](repeating: [], count: width)
                started = true
            }
            let t = Int(statement.int64(at: 1))
            guard t >= 0 else { continue }
            for (offset, slot) in slots.enumerated() {
                if t >= current[slot].count { current[slot].append(contentsOf: repeatElement(nil, count: t + 1 - current[slot].count)) }
                current[slot][t] = statement.double(at: Int32(offset + 2))
            }
        }
        flush()
    }
}
