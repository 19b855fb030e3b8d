import CSQLite

/// How a collection server stores what clients send (`sdtrack serve`; docs/sync.md).
///
/// Each item is an upsert keyed by the run's UUID, so that sending it again, in any order and
/// from any number of clients, converges to one copy:
/// - A new run is inserted whole.
/// - What never changes once written must match the stored run, else the item is a conflict
///   and nothing is written: the row's fields but for the end, the heartbeat, the labels and
///   the round count; the configuration; the spectrum (which may arrive later than the row).
/// - Rounds are append-only: a longer copy appends its new rounds, a shorter copy of a running
///   run is an older copy and adds nothing; a round stored with other values is a conflict, as
///   are new rounds for an ended run and an ended copy that lacks stored rounds.
/// - The end (status, ended_at, error, summary) is set once; a different end is a conflict.
/// - Labels (tags and note) are last writer wins by `labels_edited_at` (else `created_at`); at
///   equal times the larger labels (compared as text) win, so that the order of arrival does not
///   matter.
/// A run sent as killed (its process gone where it ran) is stored as running: readers here see
/// it killed by its stale heartbeat, and its end can still come.
extension RunStore {
    /// Applies `items` in one transaction, each in a savepoint of its own: an item that is
    /// invalid or conflicts gets its result and writes nothing, the others go on. Only a
    /// failure of the database itself (busy, full, corrupt) throws, and then nothing is written.
    public func upsert(_ items: [SyncItem]) throws(StoreError) -> [UpsertResult] {
        var results = [UpsertResult?](repeating: nil, count: items.count)
        var prepared = [(index: Int, item: SyncItem)]()
        for (index, item) in items.enumerated() {
            do throws(StoreError) {
                switch item {
                case .run(var complete):
                    if complete.run.status == .killed { complete.run.status = .running }
                    prepared.append((index, .run(try Self.prepared(complete))))
                case .labels(var edit):
                    guard RunRecord.isValidID(edit.runID) else {
                        throw StoreError(.invalidRecord, "run ID '\(edit.runID.prefix(40))' is not a lower-case UUID")
                    }
                    try Tag.validate(edit.tags)
                    edit.tags.sort { $0.key < $1.key }
                    prepared.append((index, .labels(edit)))
                }
            } catch {
                results[index] = UpsertResult(runID: item.runID, outcome: .rejected, message: error.message)
            }
        }
        // In order of run ID, as an import: the tables are keyed by it.
        prepared.sort { ($0.item.runID, $0.index) < ($1.item.runID, $1.index) }
        try database.write { connection in
            for (index, item) in prepared {
                try connection.execute("SAVEPOINT item")
                do {
                    results[index] = try Self.apply(item, connection: connection, path: path)
                    try connection.execute("RELEASE item")
                } catch {
                    try connection.execute("ROLLBACK TO item")
                    try connection.execute("RELEASE item")
                    guard Self.isItemError(error) else { throw error }
                    // Without the database's path: the message goes to a client.
                    let message =
                        (error as? SQLiteError).map { "the database refused it: \($0.message)" }
                        ?? StoreError.from(error, path: path).message
                    results[index] = UpsertResult(runID: item.runID, outcome: .rejected, message: message)
                }
            }
        }
        return results.map { $0! }
    }

    /// Whether `error` is the item's fault (a value a constraint refuses) rather than the database's.
    private static func isItemError(_ error: any Error) -> Bool {
        if let error = error as? StoreError { return [.invalidRecord, .invalidTag, .conflict].contains(error.code) }
        guard let error = error as? SQLiteError else { return false }
        return [SQLITE_CONSTRAINT, SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE].contains(error.primaryCode)
    }

    private static func apply(_ item: SyncItem, connection: SQLiteConnection, path: String) throws -> UpsertResult {
        switch item {
        case .run(let complete):
            guard try exists(complete.run.id, connection: connection) else {
                try insertComplete(complete, connection: connection)
                return UpsertResult(runID: complete.run.id, outcome: .inserted)
            }
            return try merge(complete, connection: connection, path: path)
        case .labels(let edit):
            guard try exists(edit.runID, connection: connection) else {
                return UpsertResult(
                    runID: edit.runID, outcome: .unknown, message: "no run \(edit.runID) here: send the whole run")
            }
            let stored = try run(id: edit.runID, connection: connection, path: path)
            guard edit.wins(over: stored) else { return UpsertResult(runID: edit.runID, outcome: .unchanged) }
            try setLabels(edit, connection: connection)
            return UpsertResult(runID: edit.runID, outcome: .updated, changed: ["labels"])
        }
    }

    /// The fields that never change once a run is written.
    private static let immutableFields = RunField.all.filter { field in
        !endFields.contains(field) && ![.heartbeatAt, .roundCount, .note, .labelsEditedAt].contains(field)
    }

    /// `incoming` merged into the stored run with its ID, by the rules above.
    private static func merge(_ incoming: CompleteRun, connection: SQLiteConnection, path: String) throws
        -> UpsertResult
    {
        let id = incoming.run.id
        let stored = try run(id: id, connection: connection, path: path)
        let storedRounds = try rounds(runID: id, connection: connection)
        let storedSpectrum = try spectrum(runID: id, connection: connection, path: path)
        let storedEnded = stored.status.hasEnded, incomingEnded = incoming.run.status.hasEnded

        var differences = immutableFields.filter { !sameValue($0, stored, incoming.run) }.map(\.name)
        if stored.configJSON != incoming.run.configJSON { differences.append("config") }
        if let storedSpectrum, let spectrum = incoming.spectrum, !storedSpectrum.isIdentical(to: spectrum) {
            differences.append("spectrum")
        }
        let storedByT = Dictionary(uniqueKeysWithValues: storedRounds.map { ($0.t, $0) })
        let newRounds = incoming.rounds.filter { storedByT[$0.t] == nil }
        let roundsDiffer = incoming.rounds.contains { round in
            storedByT[round.t].map { !$0.isIdentical(to: round) } ?? false
        }
        let lacksStoredRounds = incoming.rounds.count - newRounds.count < storedRounds.count
        if roundsDiffer || (storedEnded && !newRounds.isEmpty) || (incomingEnded && lacksStoredRounds) {
            differences.append("rounds")
        }
        if storedEnded && incomingEnded {
            differences += endFields.filter { $0 != .heartbeatAt && !sameValue($0, stored, incoming.run) }.map(\.name)
        }
        guard differences.isEmpty else {
            return UpsertResult(
                runID: id, outcome: .conflict,
                message: "run \(id) is stored here with other \(differences.joined(separator: ", "))")
        }

        var changed = [String]()
        if !newRounds.isEmpty {
            for round in newRounds { try insert(round, runID: id, connection: connection) }
            try connection.run(
                "UPDATE runs SET round_count = (SELECT count(*) FROM rounds WHERE run_id = ?1) WHERE run_id = ?1",
                [.text(id)])
            changed.append("rounds")
        }
        if storedSpectrum == nil, let spectrum = incoming.spectrum {
            try insert(spectrum, runID: id, connection: connection)
            changed.append("spectrum")
        }
        if !storedEnded && incomingEnded {
            try setEnd(of: incoming.run, connection: connection)
            changed.append("end")
        } else if !storedEnded, let heartbeat = incoming.run.heartbeatAt,
            stored.heartbeatAt.map({ heartbeat > $0 }) ?? true
        {
            try connection.run(
                "UPDATE runs SET heartbeat_at = ? WHERE run_id = ?", [.text(heartbeat.iso8601), .text(id)])
        }
        let labels = LabelsEdit(of: incoming.run)
        if labels.wins(over: stored) {
            try setLabels(labels, connection: connection)
            changed.append("labels")
        }
        return UpsertResult(runID: id, outcome: changed.isEmpty ? .unchanged : .updated, changed: changed)
    }

    /// Equal values, reals bit for bit.
    private static func sameValue(_ field: RunField, _ a: RunRecord, _ b: RunRecord) -> Bool {
        let x = field.value(of: a), y = field.value(of: b)
        return x == y && x.flatMap(\.real)?.bitPattern == y.flatMap(\.real)?.bitPattern
    }

    private static func setLabels(_ edit: LabelsEdit, connection: SQLiteConnection) throws {
        try connection.run("DELETE FROM tags WHERE run_id = ?", [.text(edit.runID)])
        for tag in edit.tags {
            try connection.run(
                "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)",
                [.text(edit.runID), .text(tag.key), .text(tag.value)])
        }
        try connection.run(
            "UPDATE runs SET note = ?, labels_edited_at = ? WHERE run_id = ?",
            [.text(edit.note), .text(edit.editedAt?.iso8601), .text(edit.runID)])
    }
}

extension LabelsEdit {
    /// Whether these labels (and their edit time) replace `stored`'s: they were edited later,
    /// or at the same time and are larger as text (a tie broken the same way wherever it is
    /// decided).
    func wins(over stored: RunRecord) -> Bool {
        // Time first: a later edit that left the labels as they were still wins, so that an
        // earlier edit arriving after it cannot.
        let time = editedAt ?? stored.createdAt
        if time != stored.labelsTime { return time > stored.labelsTime }
        return Self.text(tags, note) > Self.text(stored.tags, stored.note)
    }

    private static func text(_ tags: [Tag], _ note: String?) -> String {
        tags.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}") + "\u{2}" + (note ?? "")
    }
}
