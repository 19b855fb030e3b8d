import Dispatch

/// Every run's metrics by round, read in one pass over the rounds (and round_metrics) table
/// in key order (run_id, t), on its own connection and thread, so that it overlaps the read
/// of the runs: the two largest reads of a best-rounds query, done side by side.
final class RoundScan: @unchecked Sendable {
    /// run_id -> per metric (in `metrics` order) the value at each round t.
    private(set) var values = [String: [[Double?]]]()
    private var failure: (any Error)?
    private let done = DispatchSemaphore(value: 0)

    /// Starts the scan. Call it after the caller's read transaction has read from the
    /// database: WAL gives this connection a snapshot at least as new, so every run the
    /// caller sees finished has all its rounds here.
    init(path: String, metrics: [String]) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do {
                let connection = try Database.readConnection(path: path)
                try connection.transaction(.deferred) { try scan(connection, metrics: metrics) }
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

    private func scan(_ connection: SQLiteConnection, metrics: [String]) throws {
        let columns = metrics.filter(RoundRecord.columns.contains)
        if !columns.isEmpty {
            try read(connection, "SELECT run_id, t, \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM rounds ORDER BY run_id, t",
                     [], slots: columns.map { metrics.firstIndex(of: $0)! }, width: metrics.count)
        }
        for (slot, metric) in metrics.enumerated() where !RoundRecord.columns.contains(metric) {
            try read(connection, "SELECT run_id, t, value FROM round_metrics WHERE name = ? ORDER BY run_id, t",
                     [.text(metric)], slots: [slot], width: metrics.count)
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
            var stored = values[id] ?? [[Double?]](repeating: [], count: width)
            for slot in slots { stored[slot] = current[slot] }
            values[id] = stored
        }
        while try statement.step() {
            if !statement.withTextBytes(at: 0, { $0.elementsEqual(previous) }) || !started {
                flush()
                previous = statement.withTextBytes(at: 0) { Array($0) }
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
