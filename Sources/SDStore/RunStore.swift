/// The runs recorded in one sdtrack database: reading, tagging and deleting them, and
/// recording new ones (`LiveRun` for a run in progress, `insertComplete` for imports).
/// One instance per thread; any number of processes may use one file at once.
public final class RunStore {
    public let path: String
    let database: Database

    /// Opens the database at `path`, creating it when `create` is true, and applies any
    /// missing migrations; `upgrading` is told (from, to) schema versions before a file
    /// that had a schema is upgraded (which can take seconds for thousands of runs).
    /// Throws a `StoreError` whose message says what to do.
    public init(path: String, create: Bool, upgrading: ((_ from: Int, _ to: Int) -> Void)? = nil) throws(StoreError) {
        self.path = path
        database = try Database(path: path, create: create, upgrading: upgrading)
    }

    /// The full run ID that `prefix` (at least one hex digit of a run ID, like a git hash)
    /// names. Throws `.unknownRun` or `.ambiguousRun`.
    public func resolve(_ prefix: String) throws(StoreError) -> String {
        let lowered = prefix.lowercased()
        guard !lowered.isEmpty, lowered.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw StoreError(.unknownRun, "'\(prefix)' is not a run ID: give a run's UUID or a prefix of it (see sdtrack runs list)")
        }
        let matches = try database.read { connection in
            try connection.rows("SELECT run_id FROM runs WHERE run_id GLOB ? ORDER BY run_id LIMIT 4", [.text(lowered + "*")]) {
                $0.string(0) ?? ""
            }
        }
        switch matches.count {
        case 0: throw StoreError(.unknownRun, "no run \(prefix) in \(path); see sdtrack runs list")
        case 1: return matches[0]
        default:
            let shown = matches.prefix(3).joined(separator: ", ") + (matches.count > 3 ? ", ..." : "")
            throw StoreError(.ambiguousRun, "run prefix \(prefix) matches several runs (\(shown)); give more characters")
        }
    }

    /// Runs matching `filter`, newest first, with the status a reader should see.
    public func runs(matching filter: RunFilter = RunFilter(), liveness: RunLiveness = RunLiveness()) throws(StoreError) -> [RunRecord] {
        let (clause, values) = filter.sqlConditions()
        var sql = "SELECT \(RunRow.columnList) FROM runs \(clause) ORDER BY created_at DESC, run_id"
        if let limit = filter.limit, !filter.needsLiveness { sql += " LIMIT \(max(limit, 0))" }
        var runs = try database.read { connection in
            let runs = try connection.rows(sql, values, RunRow.record)
            return try attachTags(runs, connection: connection)
        }
        for index in runs.indices { runs[index].status = liveness.status(of: runs[index]) }
        if let statuses = filter.statuses { runs.removeAll { !statuses.contains($0.status) } }
        if let limit = filter.limit, runs.count > limit { runs.removeLast(runs.count - limit) }
        return runs
    }

    /// The run with this full ID.
    public func run(id: String, liveness: RunLiveness = RunLiveness()) throws(StoreError) -> RunRecord {
        var run = try database.read { connection in
            guard let run = try connection.rows("SELECT \(RunRow.columnList) FROM runs WHERE run_id = ?", [.text(id)], RunRow.record).first else {
                throw StoreError(.unknownRun, "no run \(id) in \(path); see sdtrack runs list")
            }
            return try attachTags([run], connection: connection)[0]
        }
        run.status = liveness.status(of: run)
        return run
    }

    /// The run's rounds in order of t, with their extra metrics.
    public func rounds(runID: String) throws(StoreError) -> [RoundRecord] {
        try database.read { connection in
            let columns = RoundRecord.columns.joined(separator: ", ")
            var rounds = try connection.rows("SELECT t, \(columns) FROM rounds WHERE run_id = ? ORDER BY t", [.text(runID)]) { row in
                var round = RoundRecord(t: row.int(0) ?? 0)
                for (offset, name) in RoundRecord.columns.enumerated() { _ = round.setColumn(name, row.double(Int32(offset + 1))) }
                return round
            }
            let position = Dictionary(uniqueKeysWithValues: rounds.enumerated().map { ($1.t, $0) })
            try connection.forEachRow("SELECT t, name, value FROM round_metrics WHERE run_id = ?", [.text(runID)]) { row in
                if let t = row.int(0), let index = position[t], let name = row.string(1), let value = row.double(2) {
                    rounds[index].extra[name] = value
                }
            }
            return rounds
        }
    }

    /// The run's eigen-spectra, or nil for a run without them (imported, or killed early).
    public func spectrum(runID: String) throws(StoreError) -> SpectrumRecord? {
        try database.read { connection in
            try connection.rows("SELECT length, d, z0, zero_tolerance FROM spectra WHERE run_id = ?", [.text(runID)]) { row in
                guard let length = row.int(0), let d = row.bytes(1).flatMap(Float64Blob.decode),
                      let z0 = row.bytes(2).flatMap(Float64Blob.decode), d.count == length, z0.count == length else {
                    throw StoreError(.corrupt, "the spectra of run \(runID) do not have the recorded length")
                }
                return SpectrumRecord(d: d, z0: z0, zeroTolerance: row.double(3) ?? 0)
            }.first
        }
    }

    /// SQLite's `PRAGMA integrity_check`: ["ok"] for a sound file, else what it found.
    public func integrityCheck() throws(StoreError) -> [String] {
        try database.read { connection in try connection.rows("PRAGMA integrity_check") { $0.string(0) ?? "" } }
    }

    private func attachTags(_ runs: [RunRecord], connection: SQLiteConnection) throws -> [RunRecord] {
        guard !runs.isEmpty else { return runs }
        var tagsByRun = [String: [Tag]]()
        // A page of runs reads its own tags; a long list reads the whole table in one pass.
        let ids = runs.map(\.id)
        let sql = ids.count <= 500
            ? "SELECT run_id, key, value FROM tags WHERE run_id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))"
            : "SELECT run_id, key, value FROM tags"
        try connection.forEachRow(sql + " ORDER BY run_id, key", ids.count <= 500 ? ids.map { .text($0) } : []) { row in
            if let id = row.string(0), let key = row.string(1), let value = row.string(2) {
                tagsByRun[id, default: []].append(Tag(key: key, value: value))
            }
        }
        return runs.map { run in
            var run = run
            run.tags = tagsByRun[run.id] ?? []
            return run
        }
    }
}

extension RunLiveness {
    public func status(of run: RunRecord) -> RunStatus {
        status(stored: run.status, host: run.host, pid: run.pid, heartbeat: run.heartbeatAt ?? run.startedAt ?? run.createdAt)
    }
}
