/// Which runs `RunStore.runs(matching:)` returns: every condition given must hold.
public struct RunFilter: Sendable {
    public var experiment: String?
    /// Statuses as readers see them (killed is a running row whose process is gone).
    public var statuses: Set<RunStatus>?
    /// Each tag must be on the run with exactly this value.
    public var tags: [Tag] = []
    /// Created at or after.
    public var since: Timestamp?
    /// Created before.
    public var until: Timestamp?
    /// The most runs to return, newest first; nil for all.
    public var limit: Int?
    /// Conditions on configuration keys (`--where`).
    public var conditions: [ConfigCondition] = []

    public init(
        experiment: String? = nil, statuses: Set<RunStatus>? = nil, tags: [Tag] = [],
        since: Timestamp? = nil, until: Timestamp? = nil, limit: Int? = nil
    ) {
        self.experiment = experiment
        self.statuses = statuses
        self.tags = tags
        self.since = since
        self.until = until
        self.limit = limit
    }

    /// The WHERE clause and its parameters for everything SQL can decide. Stored status
    /// 'running' stands for both running and killed, which only `RunLiveness` can tell apart;
    /// stored 'killed' is a run imported as killed.
    func sqlConditions() -> (clause: String, values: [SQLiteValue]) {
        var conditions = [String](), values = [SQLiteValue]()
        if let experiment {
            conditions.append("runs.experiment = ?")
            values.append(.text(experiment))
        }
        if let statuses {
            let stored = statuses.union(statuses.contains(.killed) ? [.running] : [])
            let sorted = stored.map(\.rawValue).sorted()
            conditions.append("runs.status IN (\(sorted.map { _ in "?" }.joined(separator: ", ")))")
            values += sorted.map { .text($0) }
        }
        for tag in tags {
            conditions.append(
                "EXISTS (SELECT 1 FROM tags WHERE tags.run_id = runs.run_id AND tags.key = ? AND tags.value = ?)")
            values += [.text(tag.key), .text(tag.value)]
        }
        if let since {
            conditions.append("runs.created_at >= ?")
            values.append(.text(since.iso8601))
        }
        if let until {
            conditions.append("runs.created_at < ?")
            values.append(.text(until.iso8601))
        }
        for condition in self.conditions {
            let (clause, bound) = condition.sql
            conditions.append(clause)
            values += bound
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), values)
    }

    /// Whether the status filter asks for running or killed but not both: only
    /// `RunLiveness` tells those apart, so LIMIT cannot go into the SQL.
    var needsLiveness: Bool {
        guard let statuses else { return false }
        return statuses.contains(.running) != statuses.contains(.killed)
    }
}
