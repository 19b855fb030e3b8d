extension RunStore {
    /// Records a new run: its row and tags, in one transaction.
    public func insert(_ run: RunRecord) throws(StoreError) {
        try database.write { connection in try Self.insert(run, connection: connection, path: path) }
    }

    /// Records one round and the run's heartbeat, in one transaction.
    public func record(_ round: RoundRecord, runID: String, at time: Timestamp = .now()) throws(StoreError) {
        try database.write { connection in
            try Self.insert(round, runID: runID, connection: connection)
            try connection.run("UPDATE runs SET round_count = round_count + 1, heartbeat_at = ? WHERE run_id = ?",
                               [.text(time.iso8601), .text(runID)])
        }
    }

    public func record(_ spectrum: SpectrumRecord, runID: String) throws(StoreError) {
        try database.write { connection in try Self.insert(spectrum, runID: runID, connection: connection) }
    }

    /// Marks a running run as still alive.
    public func heartbeat(runID: String, at time: Timestamp = .now()) throws(StoreError) {
        try database.write { connection in
            try connection.run("UPDATE runs SET heartbeat_at = ? WHERE run_id = ? AND status = 'running'",
                               [.text(time.iso8601), .text(runID)])
        }
    }

    /// Ends a running run as finished or failed, with what it established, in one
    /// transaction: until this commits the run reads as running (or killed), never finished.
    /// A finished run's curves are written from its rounds in the same transaction.
    public func end(runID: String, status: RunStatus, summary: RunSummary, error: String? = nil,
                    at time: Timestamp = .now()) throws(StoreError) {
        precondition(status == .finished || status == .failed)
        try database.write { connection in
            try connection.run("""
                UPDATE runs SET status = ?, ended_at = ?, heartbeat_at = ?, error = ?, r0 = ?, kappa = ?,
                    collapse_round = ?, bound_lower = ?, bound_upper = ?, bounds_held = ?, checks_held = ?
                WHERE run_id = ? AND status = 'running'
                """, [.text(status.rawValue), .text(time.iso8601), .text(time.iso8601), .text(error),
                      .real(summary.r0), .real(summary.kappa), .integer(summary.collapseRound),
                      .integer(summary.boundLower), .integer(summary.boundUpper), .bool(summary.boundsHeld),
                      .bool(summary.checksHeld), .text(runID)])
            if status == .finished { try Curves.write(connection, runID: runID) }
        }
    }

    /// Records a whole run at once (an import): the run, its rounds and its spectra, all or
    /// nothing. `run.roundCount` is set from `rounds`.
    public func insertComplete(_ run: RunRecord, rounds: [RoundRecord], spectrum: SpectrumRecord? = nil) throws(StoreError) {
        try insertComplete([(run, rounds, spectrum)])
    }

    /// Records several whole runs in one transaction: all of them or none.
    public func insertComplete(_ runs: [(run: RunRecord, rounds: [RoundRecord], spectrum: SpectrumRecord?)]) throws(StoreError) {
        try database.write { connection in
            for (run, rounds, spectrum) in runs {
                var run = run
                run.roundCount = rounds.count
                try Self.insert(run, connection: connection, path: path)
                for round in rounds { try Self.insert(round, runID: run.id, connection: connection) }
                if let spectrum { try Self.insert(spectrum, runID: run.id, connection: connection) }
                if run.status == .finished { try Curves.write(connection, runID: run.id) }
            }
        }
    }

    /// Sets (or replaces) tags and, when given, the note.
    public func update(runID: String, tags: [Tag], note: String?) throws(StoreError) {
        try database.write { connection in
            for tag in tags {
                try connection.run("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                                   [.text(runID), .text(tag.key), .text(tag.value)])
            }
            if let note { try connection.run("UPDATE runs SET note = ? WHERE run_id = ?", [.text(note), .text(runID)]) }
        }
    }

    /// Removes tags by key; keys the run does not have are ignored.
    public func removeTags(runID: String, keys: [String]) throws(StoreError) {
        try database.write { connection in
            for key in keys { try connection.run("DELETE FROM tags WHERE run_id = ? AND key = ?", [.text(runID), .text(key)]) }
        }
    }

    /// Deletes runs with everything recorded for them, in one transaction.
    public func delete(runIDs: [String]) throws(StoreError) {
        try database.write { connection in
            for id in runIDs { try connection.run("DELETE FROM runs WHERE run_id = ?", [.text(id)]) }
        }
    }

    private static func insert(_ run: RunRecord, connection: SQLiteConnection, path: String) throws {
        if try connection.scalar("SELECT 1 FROM runs WHERE run_id = ?", [.text(run.id)]) != nil {
            throw StoreError(.conflict, "run \(run.id) is already in \(path); give the import another id, or delete that run first")
        }
        try connection.run(RunRow.insertSQL, RunRow.values(run))
        for tag in run.tags {
            try connection.run("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)", [.text(run.id), .text(tag.key), .text(tag.value)])
        }
    }

    private static let insertRoundSQL = "INSERT INTO rounds (run_id, t, \(RoundRecord.columns.joined(separator: ", "))) VALUES (?, ?\(String(repeating: ", ?", count: RoundRecord.columns.count)))"

    private static func insert(_ round: RoundRecord, runID: String, connection: SQLiteConnection) throws {
        try connection.run(insertRoundSQL, [.text(runID), .integer(round.t)] + round.columnValues.map { .real($0) })
        for (name, value) in round.extra.sorted(by: { $0.key < $1.key }) {
            try connection.run("INSERT INTO round_metrics (run_id, t, name, value) VALUES (?, ?, ?, ?)",
                               [.text(runID), .integer(round.t), .text(name), .real(value)])
        }
    }

    private static func insert(_ spectrum: SpectrumRecord, runID: String, connection: SQLiteConnection) throws {
        try connection.run("INSERT INTO spectra (run_id, length, d, z0, zero_tolerance) VALUES (?, ?, ?, ?, ?)",
                           [.text(runID), .integer(spectrum.d.count), .blob(Float64Blob.encode(spectrum.d)),
                            .blob(Float64Blob.encode(spectrum.z0)), .real(spectrum.zeroTolerance)])
    }
}
