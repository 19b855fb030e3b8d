/// A collection server this database syncs to (`sdtrack remote add NAME URL`).
public struct Remote: Sendable, Equatable {
    public var name: String
    public var url: String
    /// The server's own id, learned at the first sync: what it acknowledged is kept by it.
    public var serverID: String?
    /// Whether a run deleted here is deleted on the server too at the next sync.
    public var propagatesDeletes: Bool
    public var addedAt: Timestamp

    public init(name: String, url: String, serverID: String? = nil, propagatesDeletes: Bool = false, addedAt: Timestamp)
    {
        self.name = name
        self.url = url
        self.serverID = serverID
        self.propagatesDeletes = propagatesDeletes
        self.addedAt = addedAt
    }

    /// Letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
        let allowed = { (c: Unicode.Scalar) in
            ("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
        }
        return allowed(first) && name.unicodeScalars.allSatisfy { allowed($0) || "-_.".unicodeScalars.contains($0) }
    }
}

/// What a server has acknowledged of a run: as many rounds, its end or not, labels of that edit.
public struct SyncAck: Sendable, Equatable {
    public var runID: String
    public var roundCount: Int
    public var ended: Bool
    public var labelsEditedAt: Timestamp?

    public init(runID: String, roundCount: Int, ended: Bool, labelsEditedAt: Timestamp?) {
        self.runID = runID
        self.roundCount = roundCount
        self.ended = ended
        self.labelsEditedAt = labelsEditedAt
    }

    /// What sending `run` (as stored here) makes the server hold.
    public init(of run: RunRecord) {
        self.init(
            runID: run.id, roundCount: run.roundCount, ended: run.status.hasEnded,
            labelsEditedAt: run.labelsEditedAt)
    }
}

/// A run a server does not hold as it is here, and what to send of it.
public struct PendingRun: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// The server has never acknowledged it.
        case new
        /// It has more rounds or has ended since: the whole run is sent, the server appends.
        case grown
        /// Only its tags or note changed: only they are sent.
        case labels
    }

    public var runID: String
    public var reason: Reason
    /// Stored as running with its process alive: sent only when asked for (and again as it grows).
    public var isRunning: Bool
    /// What the server acknowledged of it before (nil: nothing).
    public var acknowledgedRounds: Int?
    public var acknowledgedEnd: Bool?

    public init(
        runID: String, reason: Reason, isRunning: Bool, acknowledgedRounds: Int? = nil, acknowledgedEnd: Bool? = nil
    ) {
        self.runID = runID
        self.reason = reason
        self.isRunning = isRunning
        self.acknowledgedRounds = acknowledgedRounds
        self.acknowledgedEnd = acknowledgedEnd
    }
}

/// The client side of sync (schema v006): remotes and what each server acknowledged.
extension RunStore {
    public func addRemote(_ remote: Remote) throws(StoreError) {
        try database.write { connection in
            if try connection.scalar("SELECT 1 FROM remotes WHERE name = ?", [.text(remote.name)]) != nil {
                throw StoreError(.conflict, "remote \(remote.name) exists already in \(path)", path: path)
            }
            try connection.run(
                "INSERT INTO remotes (name, url, server_id, propagate_deletes, added_at) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(remote.name), .text(remote.url), .text(remote.serverID), .bool(remote.propagatesDeletes),
                    .text(remote.addedAt.iso8601),
                ])
        }
    }

    public func remotes() throws(StoreError) -> [Remote] {
        try database.read { connection in
            try connection.rows("SELECT name, url, server_id, propagate_deletes, added_at FROM remotes ORDER BY name") {
                Remote(
                    name: $0.string(0) ?? "", url: $0.string(1) ?? "", serverID: $0.string(2),
                    propagatesDeletes: $0.bool(3) ?? false,
                    addedAt: $0.string(4).flatMap(Timestamp.init(iso8601:)) ?? Timestamp(millisecondsSince1970: 0))
            }
        }
    }

    /// Removes a remote (what its server acknowledged stays, keyed by the server's id); false
    /// when there is none of that name.
    public func removeRemote(name: String) throws(StoreError) -> Bool {
        try database.write { connection in
            try connection.run("DELETE FROM remotes WHERE name = ?", [.text(name)])
            return connection.changes > 0
        }
    }

    public func setServerID(_ serverID: String, remote name: String) throws(StoreError) {
        try database.write { connection in
            try connection.run("UPDATE remotes SET server_id = ? WHERE name = ?", [.text(serverID), .text(name)])
        }
    }

    /// The runs `serverID` does not hold as they are here, in order of run ID. Runs whose
    /// process is still running are left out unless `includeRunning`; a killed run is sent as
    /// it is (nothing more will come of it).
    public func pendingSync(serverID: String, includeRunning: Bool, liveness: RunLiveness = RunLiveness())
        throws(StoreError) -> [PendingRun]
    {
        try database.read { connection in
            var pending = [PendingRun]()
            try connection.forEachRow(
                """
                SELECT r.run_id, r.status, r.host, r.pid, r.heartbeat_at, r.round_count, r.labels_edited_at,
                       a.run_id AS acked, a.round_count AS acked_rounds, a.ended AS acked_ended
                FROM runs r LEFT JOIN sync_acks a ON a.server_id = ?1 AND a.run_id = r.run_id
                WHERE a.run_id IS NULL
                   OR r.round_count > a.round_count
                   OR (a.ended = 0 AND r.status IN ('finished', 'failed'))
                   OR coalesce(r.labels_edited_at, '') > coalesce(a.labels_edited_at, '')
                ORDER BY r.run_id
                """, [.text(serverID)]
            ) { row in
                guard let id = row.string(0), let stored = row.string(1).flatMap(RunStatus.init(rawValue:)) else {
                    return
                }
                let status = liveness.status(
                    stored: stored, host: row.string(2) ?? "", pid: row.int(3),
                    heartbeat: row.string(4).flatMap(Timestamp.init(iso8601:)))
                if status == .running && !includeRunning { return }
                let reason: PendingRun.Reason
                if row.string(7) == nil {
                    reason = .new
                } else if (row.int(5) ?? 0) > (row.int(8) ?? 0) || (row.int(9) == 0 && stored.hasEnded) {
                    reason = .grown
                } else {
                    reason = .labels
                }
                pending.append(
                    PendingRun(
                        runID: id, reason: reason, isRunning: status == .running, acknowledgedRounds: row.int(8),
                        acknowledgedEnd: row.bool(9)))
            }
            return pending
        }
    }

    /// Records what `serverID` acknowledged, in one transaction.
    public func recordAcks(_ acks: [SyncAck], serverID: String, at time: Timestamp = .now()) throws(StoreError) {
        guard !acks.isEmpty else { return }
        try database.write { connection in
            for ack in acks {
                try connection.run(
                    """
                    INSERT OR REPLACE INTO sync_acks (server_id, run_id, round_count, ended, labels_edited_at, acked_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(serverID), .text(ack.runID), .integer(ack.roundCount), .bool(ack.ended),
                        .text(ack.labelsEditedAt?.iso8601), .text(time.iso8601),
                    ])
            }
        }
    }

    /// Forgets what `serverID` acknowledged of these runs: the next sync sends them whole.
    public func forgetAcks(runIDs: [String], serverID: String) throws(StoreError) {
        try database.write { connection in
            for id in runIDs {
                try connection.run(
                    "DELETE FROM sync_acks WHERE server_id = ? AND run_id = ?", [.text(serverID), .text(id)])
            }
        }
    }

    /// Everything `serverID` acknowledged, by run ID (for `sdtrack sync --verify`).
    public func acks(serverID: String) throws(StoreError) -> [SyncAck] {
        try database.read { connection in
            try connection.rows(
                "SELECT run_id, round_count, ended, labels_edited_at FROM sync_acks WHERE server_id = ? "
                    + "ORDER BY run_id",
                [.text(serverID)]
            ) {
                SyncAck(
                    runID: $0.string(0) ?? "", roundCount: $0.int(1) ?? 0, ended: $0.bool(2) ?? false,
                    labelsEditedAt: $0.string(3).flatMap(Timestamp.init(iso8601:)))
            }
        }
    }

    /// Runs `serverID` acknowledged that are no longer here: deleted since they were sent.
    public func deletedSinceSync(serverID: String) throws(StoreError) -> [String] {
        try database.read { connection in
            try connection.rows(
                """
                SELECT a.run_id FROM sync_acks a LEFT JOIN runs r ON r.run_id = a.run_id
                WHERE a.server_id = ? AND r.run_id IS NULL ORDER BY a.run_id
                """, [.text(serverID)]
            ) { $0.string(0) ?? "" }
        }
    }
}
