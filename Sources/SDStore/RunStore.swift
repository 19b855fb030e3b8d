import SDJSON

/// The runs recorded in one sdtrack database: reading, tagging and deleting them, and
/// recording new ones (`LiveRun` for a run in progress, `importRuns` for whole runs).
///
/// One instance may be shared by any number of threads (a server's requests): writes are
/// serialized on one connection, reads run on pooled connections, each seeing one consistent
/// snapshot. Any number of processes may use one file at once.
public final class RunStore: Sendable {
    public let path: String
    let database: Database

    /// Opens the database at `path`, creating it when `create` is true, and applies any
    /// missing migrations; `upgrading` is told (from, to) schema versions before a file that
    /// had a schema is upgraded (which can take seconds for thousands of runs).
    /// Which connections reads use.
    public enum Reads: Sendable {
        /// Connections of their own, from a pool: a long read (an export, best-rounds) never
        /// holds up a write. For a server, and anything reading and writing at once.
        case pooled
        /// The write connection while no write is under way, else the pool: a command that
        /// reads once opens one connection, not two (about 0.5 ms of a 8 ms `runs list`).
        case sharingWriter
    }

    /// What the caller will do with the database.
    public enum Access: Sendable {
        /// Record, tag, delete: a file this process cannot write is refused (`.readOnly`).
        case readWrite
        /// List and query only: a file (or folder) this process cannot write is still read, as
        /// it is (it cannot be upgraded, and a write to it fails with `.readOnly`).
        case read
    }

    public init(
        path: String, create: Bool, reads: Reads = .pooled, access: Access = .readWrite,
        upgrading: ((_ from: Int, _ to: Int) -> Void)? = nil
    ) throws(StoreError) {
        self.path = path
        database = try Database(path: path, create: create, reads: reads, access: access, upgrading: upgrading)
    }

    /// The full run ID that `prefix` (at least one hex digit of a run ID, like a git hash)
    /// names. Throws `.unknownRun` or `.ambiguousRun`.
    public func resolve(_ prefix: String) throws(StoreError) -> String {
        let lowered = prefix.lowercased()
        guard !lowered.isEmpty, lowered.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw StoreError(.unknownRun, "'\(prefix.shortened)' is not a run ID", path: path)
        }
        let matches = try database.read { connection in
            try connection.rows(
                "SELECT run_id FROM runs WHERE run_id GLOB ? ORDER BY run_id LIMIT 4",
                [.text(lowered + "*")]
            ) { $0.string(0) ?? "" }
        }
        switch matches.count {
        case 0: throw StoreError(.unknownRun, "no run \(prefix) in \(path)", path: path)
        case 1: return matches[0]
        default:
            let shown = matches.prefix(3).joined(separator: ", ") + (matches.count > 3 ? ", ..." : "")
            throw StoreError(.ambiguousRun, "run prefix \(prefix) matches several runs (\(shown))", path: path)
        }
    }

    /// Runs matching `filter`, newest first, with the status a reader should see.
    public func runs(
        matching filter: RunFilter = RunFilter(),
        liveness: RunLiveness = RunLiveness()
    ) throws(StoreError) -> [RunRecord] {
        let (clause, values) = filter.sqlConditions()
        var sql = "SELECT \(RunRow.columnList) FROM runs \(clause) ORDER BY created_at DESC, run_id"
        if let limit = filter.limit, !filter.needsLiveness { sql += " LIMIT \(max(limit, 0))" }
        var runs = try database.read { connection in
            try Self.attachTags(try Self.readRuns(connection, sql, values), connection: connection)
        }
        try derivedStatuses(&runs, liveness: liveness)
        if let statuses = filter.statuses { runs.removeAll { !statuses.contains($0.status) } }
        if let limit = filter.limit, runs.count > limit { runs.removeLast(runs.count - limit) }
        return runs
    }

    /// The run with this full ID.
    public func run(id: String, liveness: RunLiveness = RunLiveness()) throws(StoreError) -> RunRecord {
        var runs = [try database.read { connection in try Self.run(id: id, connection: connection, path: path) }]
        try derivedStatuses(&runs, liveness: liveness)
        return runs[0]
    }

    /// The run's rounds in order of t, with their extra metrics.
    public func rounds(runID: String) throws(StoreError) -> [RoundRecord] {
        try database.read { connection in try Self.rounds(runID: runID, connection: connection) }
    }

    /// The run's eigen-spectra, or nil for a run without them (imported, or killed early).
    public func spectrum(runID: String) throws(StoreError) -> SpectrumRecord? {
        try database.read { connection in try Self.spectrum(runID: runID, connection: connection, path: path) }
    }

    /// Whole runs (row, tags, rounds, spectra) in the order of `ids`, read in one snapshot,
    /// with the status a reader should see: what `runs export` writes.
    public func completeRuns(ids: [String], liveness: RunLiveness = RunLiveness()) throws(StoreError) -> [CompleteRun] {
        var complete = try database.read { connection in
            try ids.map { id in
                CompleteRun(
                    run: try Self.run(id: id, connection: connection, path: path),
                    rounds: try Self.rounds(runID: id, connection: connection),
                    spectrum: try Self.spectrum(runID: id, connection: connection, path: path))
            }
        }
        var runs = complete.map(\.run)
        try derivedStatuses(&runs, liveness: liveness)
        for index in complete.indices where runs[index].status != complete[index].run.status {
            // Ended between the read and the liveness check: read the whole run again.
            complete[index] =
                runs[index].status == .killed
                ? CompleteRun(run: runs[index], rounds: complete[index].rounds, spectrum: complete[index].spectrum)
                : try completeRuns(ids: [ids[index]], liveness: liveness)[0]
        }
        return complete
    }

    /// Sets each run's status as a reader should see it. A row read as running whose process
    /// is gone is read again after that check: the process may have ended the run (and exited)
    /// between the first read and the check, and is then finished or failed, not killed.
    func derivedStatuses(_ runs: inout [RunRecord], liveness: RunLiveness) throws(StoreError) {
        var suspects = [Int]()
        for index in runs.indices {
            let stored = runs[index].status
            runs[index].status = liveness.status(of: runs[index])
            if stored == .running && runs[index].status == .killed { suspects.append(index) }
        }
        guard !suspects.isEmpty else { return }
        let ids = suspects.map { runs[$0].id }
        let sql =
            "SELECT \(RunRow.columnList) FROM runs WHERE run_id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))"
        let fresh = try database.read { connection in
            try Self.attachTags(try Self.readRuns(connection, sql, ids.map { .text($0) }), connection: connection)
        }
        let byID = Dictionary(fresh.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for index in suspects {
            guard var again = byID[runs[index].id], again.status != .running else { continue }
            again.status = liveness.status(of: again)
            runs[index] = again
        }
    }

    /// SQLite's `PRAGMA integrity_check`: ["ok"] for a sound file, else what it found.
    public func integrityCheck() throws(StoreError) -> [String] {
        try database.read { connection in try connection.rows("PRAGMA integrity_check") { $0.string(0) ?? "" } }
    }

    // The reads above, on a connection inside a transaction, so that `completeRuns` and the
    // writers can combine them.

    static func readRuns(_ connection: SQLiteConnection, _ sql: String, _ values: [SQLiteValue]) throws -> [RunRecord] {
        try connection.cached(sql) { statement in
            try statement.bind(values)
            return try RunRow.records(statement)
        }
    }

    static func run(id: String, connection: SQLiteConnection, path: String) throws -> RunRecord {
        let sql = "SELECT \(RunRow.columnList) FROM runs WHERE run_id = ?"
        guard let run = try readRuns(connection, sql, [.text(id)]).first else {
            throw StoreError(.unknownRun, "no run \(id) in \(path)", path: path)
        }
        return try attachTags([run], connection: connection)[0]
    }

    static let roundsSQL =
        "SELECT t, \(RoundMetric.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")) "
        + "FROM rounds WHERE run_id = ? ORDER BY t"

    static func rounds(runID: String, connection: SQLiteConnection) throws -> [RoundRecord] {
        var rounds = try connection.cached(roundsSQL) { statement in
            try statement.bind([.text(runID)])
            let indices = RoundMetric.allCases.map { statement.columnIndex($0.name)! }
            let tIndex = statement.columnIndex("t")!
            var rounds = [RoundRecord]()
            while try statement.step() {
                var round = RoundRecord(t: Int(statement.int64(at: tIndex)))
                for (metric, index) in zip(RoundMetric.allCases, indices) {
                    round[metric] = statement.double(at: index)
                }
                rounds.append(round)
            }
            return rounds
        }
        let position = Dictionary(uniqueKeysWithValues: rounds.enumerated().map { ($1.t, $0) })
        try connection.forEachRow("SELECT t, name, value FROM round_metrics WHERE run_id = ?", [.text(runID)]) { row in
            if let t = row.int(0), let index = position[t], let name = row.string(1), let value = row.double(2) {
                rounds[index].extra[name] = value
            }
        }
        return rounds
    }

    static func spectrum(runID: String, connection: SQLiteConnection, path: String) throws -> SpectrumRecord? {
        try connection.rows("SELECT length, d, z0, zero_tolerance FROM spectra WHERE run_id = ?", [.text(runID)]) {
            row in
            guard let length = row.int(0), let d = row.bytes(1).flatMap(Float64Blob.decode),
                let z0 = row.bytes(2).flatMap(Float64Blob.decode), d.count == length, z0.count == length
            else {
                throw StoreError(.corrupt, "the spectra of run \(runID) do not have the recorded length", path: path)
            }
            return SpectrumRecord(d: d, z0: z0, zeroTolerance: row.double(3) ?? 0)
        }.first
    }

    static func attachTags(_ runs: [RunRecord], connection: SQLiteConnection) throws -> [RunRecord] {
        guard !runs.isEmpty else { return runs }
        var tagsByRun = [String: [Tag]]()
        // A page of runs reads its own tags; a long list reads the whole table in one pass.
        let ids = runs.map(\.id)
        let sql =
            ids.count <= 500
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
        status(
            stored: run.status, host: run.host, pid: run.pid,
            heartbeat: run.heartbeatAt ?? run.startedAt ?? run.createdAt)
    }
}
