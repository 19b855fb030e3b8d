import SDJSON

/// What importing one whole run did.
public enum ImportOutcome: String, Sendable, Equatable {
    /// The run was new here and is now stored.
    case inserted
    /// The same run, with the same content, was stored already: nothing changed.
    case unchanged
}

extension RunStore {
    /// Records a new run: its row and tags, in one transaction. The configuration is stored
    /// in canonical form; tags must pass `Tag.validate()`.
    public func insert(_ run: RunRecord) throws(StoreError) {
        let prepared = try Self.prepared(run)
        try database.write { connection in
            if try Self.exists(prepared.id, connection: connection) {
                throw StoreError(.conflict, "run \(prepared.id) is already in \(path)", path: path)
            }
            try Self.insertRow(prepared, connection: connection)
        }
    }

    /// Records one round and the run's heartbeat, in one transaction.
    public func record(_ round: RoundRecord, runID: String, at time: Timestamp = .now()) throws(StoreError) {
        try database.write { connection in
            try Self.insert(round, runID: runID, connection: connection)
            try connection.run(
                "UPDATE runs SET round_count = round_count + 1, heartbeat_at = ? WHERE run_id = ?",
                [.text(time.iso8601), .text(runID)])
        }
    }

    public func record(_ spectrum: SpectrumRecord, runID: String) throws(StoreError) {
        try database.write { connection in try Self.insert(spectrum, runID: runID, connection: connection) }
    }

    /// Marks a running run as still alive.
    public func heartbeat(runID: String, at time: Timestamp = .now()) throws(StoreError) {
        try database.write { connection in
            try connection.run(
                "UPDATE runs SET heartbeat_at = ? WHERE run_id = ? AND status = 'running'",
                [.text(time.iso8601), .text(runID)])
        }
    }

    /// Ends a running run as finished or failed, with what it established, in one
    /// transaction: until this commits the run reads as running (or killed), never finished.
    /// A finished run's curves are written from its rounds in the same transaction.
    /// Prepares this store for many short write transactions (a sweep): the write-ahead log is
    /// copied into the database every `pages` pages instead of every 1,000 (`Database`).
    public func preferBulkWrites(pages: Int = 20_000) throws(StoreError) {
        try database.checkpointEvery(pages: pages)
    }

    /// `pending`: a deferred run's spectrum and rounds, written in the end's transaction.
    func end(
        runID: String, status: RunStatus, summary: RunSummary, error: String? = nil, at time: Timestamp = .now(),
        with pending: PendingRecords.Records?
    ) throws(StoreError) {
        try end(runID: runID, status: status, summary: summary, error: error, at: time) { connection in
            // An end comes once: a run ended already (interrupted meanwhile) takes no more rows.
            guard let pending,
                case .text(let stored)? = try connection.scalar(
                    "SELECT status FROM runs WHERE run_id = ?", [.text(runID)]),
                stored == RunStatus.running.rawValue || stored == RunStatus.killed.rawValue
            else { return }
            if let spectrum = pending.spectrum { try Self.insert(spectrum, runID: runID, connection: connection) }
            for round in pending.rounds { try Self.insert(round, runID: runID, connection: connection) }
            if !pending.rounds.isEmpty {
                try connection.run(
                    "UPDATE runs SET round_count = round_count + ? WHERE run_id = ?",
                    [.integer(Int64(pending.rounds.count)), .text(runID)])
            }
        }
    }

    public func end(
        runID: String, status: RunStatus, summary: RunSummary, error: String? = nil,
        at time: Timestamp = .now()
    ) throws(StoreError) {
        try end(runID: runID, status: status, summary: summary, error: error, at: time) { _ in }
    }

    private func end(
        runID: String, status: RunStatus, summary: RunSummary, error: String?, at time: Timestamp,
        before: (SQLiteConnection) throws -> Void
    ) throws(StoreError) {
        precondition(status == .finished || status == .failed)
        // The fields an end sets, from the record as it would be after it.
        var ended = RunRecord(
            id: runID, experiment: "", status: status, source: .sdtrack, createdAt: time, host: "", pid: nil,
            sdtrackVersion: "", configJSON: "{}", config: RunConfig())
        ended.endedAt = time
        ended.heartbeatAt = time
        ended.error = error
        ended.summary = summary
        try database.write { connection in
            try before(connection)
            try Self.setEnd(of: ended, connection: connection)
        }
    }

    /// The fields a run's end sets (with its summary), at once and only once.
    static let endFields = [RunField.status, .endedAt, .heartbeatAt, .error] + RunField.summaryFields
    private static let endSQL =
        "UPDATE runs SET " + endFields.map { "\"\($0.name)\" = ?" }.joined(separator: ", ")
        + " WHERE run_id = ? AND status IN ('running', 'killed')"

    /// Sets `ended`'s end on its stored run, if that has none yet; a finished run's curves
    /// are written from its rounds.
    static func setEnd(of ended: RunRecord, connection: SQLiteConnection) throws {
        try connection.run(endSQL, endFields.map { RunRow.value($0.value(of: ended)) } + [.text(ended.id)])
        if ended.status == .finished {
            try Curves.write(
                Curves.of(try rounds(runID: ended.id, connection: connection)), runID: ended.id, connection: connection)
        }
    }

    /// Records whole runs (an import, a sync) in one transaction: all of them or none.
    ///
    /// A run whose ID is new is inserted. A run already stored with the same content is left
    /// as it is ("unchanged"), so that importing a file again changes nothing. A run already
    /// stored with other content is a conflict: nothing is written, and the error names the
    /// runs and what differs. `run.roundCount` is taken from `rounds`; the configuration is
    /// stored in canonical form; tags must pass `Tag.validate()`.
    @discardableResult
    public func importRuns(_ runs: [CompleteRun]) throws(StoreError) -> [ImportOutcome] {
        let prepared = try runs.map { (run) throws(StoreError) in try Self.prepared(run) }
        return try database.write { connection in
            var outcomes = [ImportOutcome?](repeating: nil, count: prepared.count), conflicts = [String]()
            var seen = Set<String>()
            // In order of run ID: the rounds, curves and runs tables are keyed by it, so each
            // insert appends to their B-trees instead of splitting pages all over them.
            for index in prepared.indices.sorted(by: { prepared[$0].run.id < prepared[$1].run.id }) {
                let run = prepared[index]
                guard seen.insert(run.run.id).inserted else {
                    throw StoreError(.invalidRecord, "run \(run.run.id) is given twice", path: path)
                }
                if try Self.exists(run.run.id, connection: connection) {
                    let differences = try Self.differences(run, connection: connection, path: path)
                    if differences.isEmpty {
                        outcomes[index] = .unchanged
                    } else {
                        conflicts.append("\(run.run.id) (\(differences.joined(separator: ", ")))")
                    }
                    continue
                }
                try Self.insertComplete(run, connection: connection)
                outcomes[index] = .inserted
            }
            guard conflicts.isEmpty else {
                let shown = conflicts.prefix(5).joined(separator: "; ") + (conflicts.count > 5 ? "; ..." : "")
                throw StoreError(
                    .conflict,
                    conflicts.count == 1
                        ? "run \(shown) is already in \(path) with other content"
                        : "\(conflicts.count) runs are already in \(path) with other content: \(shown)", path: path)
            }
            return outcomes.map { $0! }
        }
    }

    /// Sets (or replaces) tags and, when given, the note, and stamps the labels' edit time
    /// (which a sync compares: the labels edited last win).
    public func update(runID: String, tags: [Tag], note: String?, at time: Timestamp = .now()) throws(StoreError) {
        for tag in tags { try tag.validate() }
        try database.write { connection in
            for tag in tags {
                try connection.run(
                    """
                    INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)
                    ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
                    """, [.text(runID), .text(tag.key), .text(tag.value)])
            }
            if let note {
                try connection.run("UPDATE runs SET note = ? WHERE run_id = ?", [.text(note), .text(runID)])
            }
            try Self.stampLabels(runID: runID, at: time, connection: connection)
        }
    }

    /// Removes tags by key; keys the run does not have are ignored.
    public func removeTags(runID: String, keys: [String], at time: Timestamp = .now()) throws(StoreError) {
        try database.write { connection in
            for key in keys {
                try connection.run("DELETE FROM tags WHERE run_id = ? AND key = ?", [.text(runID), .text(key)])
            }
            try Self.stampLabels(runID: runID, at: time, connection: connection)
        }
    }

    static func stampLabels(runID: String, at time: Timestamp, connection: SQLiteConnection) throws {
        try connection.run(
            "UPDATE runs SET labels_edited_at = ? WHERE run_id = ?", [.text(time.iso8601), .text(runID)])
    }

    /// Deletes runs with everything recorded for them, in one transaction: all or none. A run
    /// whose process is still running is refused (`.runInProgress`) unless `force`.
    public func delete(runIDs: [String], force: Bool = false) throws(StoreError) {
        let liveness = RunLiveness()
        try database.write { connection in
            for id in runIDs {
                let run = try Self.run(id: id, connection: connection, path: path)
                if !force, liveness.status(of: run) == .running {
                    throw StoreError(
                        .runInProgress,
                        "run \(id) is still running (pid \(run.pid.map(String.init) ?? "?") on \(run.host))",
                        path: path)
                }
                try connection.run("DELETE FROM runs WHERE run_id = ?", [.text(id)])
            }
        }
    }

    // MARK: - Checks and rows

    /// The run as it is stored: canonical configuration, tags checked and sorted by key.
    private static func prepared(_ run: RunRecord) throws(StoreError) -> RunRecord {
        var run = run
        guard RunRecord.isValidID(run.id) else {
            throw StoreError(.invalidRecord, "run ID '\(run.id.shortened)' is not a lower-case UUID")
        }
        run.configJSON = try CanonicalConfig.text(run.configJSON, runID: run.id)
        try Tag.validate(run.tags)
        for column in ConfigColumn.allCases {
            guard let value = run.config[column], !column.allows(value), let domain = column.domain else { continue }
            let shown = (value.text ?? value.integer.map(String.init) ?? value.real.map(JSONNumber.display) ?? "?")
                .shortened
            throw StoreError(.invalidRecord, "run \(run.id): \(column.name) must be \(domain), got \(shown)")
        }
        for (field, text, limit) in [
            ("experiment", run.experiment, 256), ("host", run.host, 256), ("sdtrack_version", run.sdtrackVersion, 64),
            ("note", run.note ?? "", 65536), ("error", run.error ?? "", 65536),
        ] where text.utf8.count > limit {
            throw StoreError(
                .invalidRecord, "run \(run.id): \(field) is \(text.utf8.count) bytes; at most \(limit) are kept")
        }
        run.tags.sort { $0.key < $1.key }
        return run
    }

    /// A whole run as it is stored, its rounds checked. SQLite keeps a whole REAL as an
    /// integer, so -0.0 in a REAL column reads back as 0.0: it is made 0.0 here, so that what
    /// is stored is what an import compares against. (Spectra are blobs and keep every bit.)
    static func prepared(_ complete: CompleteRun) throws(StoreError) -> CompleteRun {
        var complete = complete
        complete.run = try prepared(complete.run)
        complete.run.roundCount = complete.rounds.count
        for field in RunField.all {
            if case .real(let value)? = field.value(of: complete.run), value == 0 {
                _ = field.set(.real(0), on: &complete.run)
            }
        }
        for index in complete.rounds.indices {
            for metric in RoundMetric.allCases where complete.rounds[index][metric] == 0 {
                complete.rounds[index][metric] = 0
            }
            for (name, value) in complete.rounds[index].extra where value == 0 {
                complete.rounds[index].extra[name] = 0
            }
        }
        if complete.spectrum?.zeroTolerance == 0 { complete.spectrum?.zeroTolerance = 0 }  // a REAL column too
        complete.rounds.sort { $0.t < $1.t }
        for (previous, round) in zip(complete.rounds, complete.rounds.dropFirst()) where previous.t == round.t {
            throw StoreError(.invalidRecord, "run \(complete.run.id) has round t = \(round.t) twice")
        }
        try Curves.checkDensity(complete.rounds, runID: complete.run.id)
        for round in complete.rounds {
            if let name = round.extra.keys.first(where: { $0.isEmpty || $0.utf8.count > RoundMetric.longestName }) {
                throw StoreError(
                    .invalidRecord,
                    "run \(complete.run.id) has a metric named '\((name).shortened)': names are 1 to "
                        + "\(RoundMetric.longestName) bytes")
            }
            if round.extra.count > RoundMetric.mostExtra {
                throw StoreError(
                    .invalidRecord,
                    "run \(complete.run.id) round \(round.t) has \(round.extra.count) metrics; at most "
                        + "\(RoundMetric.mostExtra)")
            }
        }
        if let bad = complete.rounds.first(where: { !RoundRecord.isValidT($0.t) }) {
            throw StoreError(
                .invalidRecord, "run \(complete.run.id) has a round t = \(bad.t), outside 0 ... \(RoundRecord.largestT)"
            )
        }
        return complete
    }

    static func exists(_ id: String, connection: SQLiteConnection) throws -> Bool {
        try connection.scalar("SELECT 1 FROM runs WHERE run_id = ?", [.text(id)]) != nil
    }

    /// What differs between `incoming` and the stored run with its ID: row fields by name,
    /// "config", "tags", "rounds", "spectrum". The stored status is compared as a reader sees
    /// it, so that a run exported as killed (stored running, its process gone) matches.
    private static func differences(_ incoming: CompleteRun, connection: SQLiteConnection, path: String) throws
        -> [String]
    {
        var stored = try run(id: incoming.run.id, connection: connection, path: path)
        stored.status = RunLiveness().status(of: stored)
        var differences = [String]()
        for field in RunField.all where !(incoming.provenance == .filledIn && field.isProvenance) {
            let a = field.value(of: stored), b = field.value(of: incoming.run)
            if a != b || a.flatMap(\.real)?.bitPattern != b.flatMap(\.real)?.bitPattern {
                differences.append(field.name)
            }
        }
        if stored.configJSON != incoming.run.configJSON { differences.append("config") }
        if stored.tags != incoming.run.tags { differences.append("tags") }
        let rounds = try rounds(runID: incoming.run.id, connection: connection)
        if rounds.count != incoming.rounds.count || !zip(rounds, incoming.rounds).allSatisfy({ $0.isIdentical(to: $1) })
        {
            differences.append("rounds")
        }
        let spectrum = try spectrum(runID: incoming.run.id, connection: connection, path: path)
        switch (spectrum, incoming.spectrum) {
        case (nil, nil): break
        case (let a?, let b?) where a.isIdentical(to: b): break
        default: differences.append("spectrum")
        }
        return differences
    }

    /// A whole new run: its row, tags, rounds, spectrum and (when finished) curves.
    static func insertComplete(_ run: CompleteRun, connection: SQLiteConnection) throws {
        try insertRow(run.run, connection: connection)
        for round in run.rounds { try insert(round, runID: run.run.id, connection: connection) }
        if let spectrum = run.spectrum { try insert(spectrum, runID: run.run.id, connection: connection) }
        if run.run.status == .finished {
            try Curves.write(Curves.of(run.rounds), runID: run.run.id, connection: connection)
        }
    }

    static func insertRow(_ run: RunRecord, connection: SQLiteConnection) throws {
        try connection.run(RunRow.insertSQL, RunRow.values(run, configJSON: run.configJSON))
        for tag in run.tags {
            try connection.run(
                "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)",
                [.text(run.id), .text(tag.key), .text(tag.value)])
        }
    }

    private static let insertRoundSQL =
        "INSERT INTO rounds (run_id, t, "
        + RoundMetric.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ") + ") VALUES (?, ?"
        + String(repeating: ", ?", count: RoundMetric.allCases.count) + ")"

    static func insert(_ round: RoundRecord, runID: String, connection: SQLiteConnection) throws {
        try connection.run(
            insertRoundSQL,
            [.text(runID), .integer(round.t)] + RoundMetric.allCases.map { .real(round[$0]) })
        for (name, value) in round.extra.sorted(by: { $0.key < $1.key }) {
            try connection.run(
                "INSERT INTO round_metrics (run_id, t, name, value) VALUES (?, ?, ?, ?)",
                [.text(runID), .integer(round.t), .text(name), .real(value)])
        }
    }

    static func insert(_ spectrum: SpectrumRecord, runID: String, connection: SQLiteConnection) throws {
        try connection.run(
            "INSERT INTO spectra (run_id, length, d, z0, zero_tolerance) VALUES (?, ?, ?, ?, ?)",
            [
                .text(runID), .integer(spectrum.d.count), .blob(Float64Blob.encode(spectrum.d)),
                .blob(Float64Blob.encode(spectrum.z0)), .real(spectrum.zeroTolerance),
            ])
    }
}
