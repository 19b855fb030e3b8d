import SDJSON
import SDStore

/// What a sync did: `sdtrack sync` prints it as one line, or as `sdtrack.sync/1` with --json.
public struct SyncSummary: Sendable {
    public static let jsonFormat = "sdtrack.sync/1"

    public var remote: String
    public var serverID: String?
    public var dryRun: Bool
    /// What was due when the sync began.
    public var pending = [PendingRun]()
    /// Of those, how many the server acknowledged (inserted, updated or unchanged).
    public var acknowledged = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var conflicts = [UpsertResult]()
    public var rejected = [UpsertResult]()
    /// Runs the server acknowledged that have been deleted here since, and are still there.
    public var deletedHere = [String]()
    /// Runs deleted here and now there too (a remote that propagates deletes).
    public var deletedThere = [String]()
    /// With --verify: acknowledged runs the server turned out to lack, sent again.
    public var verifiedMissing: [String]?
    public var batches = 0
    public var bytes = 0
    public var seconds = 0.0

    public init(remote: String, dryRun: Bool) {
        self.remote = remote
        self.dryRun = dryRun
    }

    /// Conflicts or rejections: the sync did not converge for some runs.
    public var hasFailures: Bool { !conflicts.isEmpty || !rejected.isEmpty }

    public func count(_ reason: PendingRun.Reason) -> Int { pending.filter { $0.reason == reason }.count }

    /// One line: what was sent and what came of it.
    public var line: String {
        if dryRun {
            guard !pending.isEmpty else { return "\(remote): nothing to send" }
            return "\(remote): would send \(pending.count) run\(plural(pending.count)) (\(count(.new)) new, "
                + "\(count(.grown)) grown or ended, \(count(.labels)) with edited labels)"
        }
        var parts = [String]()
        if pending.isEmpty {
            parts.append("nothing to send")
        } else {
            parts.append(
                "sent \(pending.count) run\(plural(pending.count)) in \(batches) batch\(batches == 1 ? "" : "es") "
                    + "(\(inserted) new, \(updated) updated, \(unchanged) unchanged)")
        }
        if let verifiedMissing {
            parts.append(
                verifiedMissing.isEmpty
                    ? "verified: none missing there" : "verified: \(verifiedMissing.count) missing there, sent again")
        }
        if !conflicts.isEmpty { parts.append("\(conflicts.count) conflict\(plural(conflicts.count))") }
        if !rejected.isEmpty { parts.append("\(rejected.count) rejected") }
        if !deletedHere.isEmpty {
            parts.append("\(deletedHere.count) run\(plural(deletedHere.count)) deleted here still there")
        }
        if !deletedThere.isEmpty {
            parts.append("\(deletedThere.count) run\(plural(deletedThere.count)) deleted here, deleted there too")
        }
        return "\(remote): " + parts.joined(separator: "; ")
    }

    public func json() -> JSONValue {
        let problems = { (results: [UpsertResult]) in
            JSONValue.array(
                results.map {
                    .object([
                        ("run_id", $0.runID.map(JSONValue.string) ?? .null),
                        ("message", $0.message.map(JSONValue.string) ?? .null),
                    ])
                })
        }
        return .object([
            ("format", .string(Self.jsonFormat)), ("remote", .string(remote)),
            ("server_id", serverID.map(JSONValue.string) ?? .null), ("dry_run", .bool(dryRun)),
            (
                "pending",
                .object([
                    ("total", .int(pending.count)), ("new", .int(count(.new))), ("grown", .int(count(.grown))),
                    ("labels", .int(count(.labels))),
                ])
            ),
            ("inserted", .int(inserted)), ("updated", .int(updated)), ("unchanged", .int(unchanged)),
            ("conflicts", problems(conflicts)), ("rejected", problems(rejected)),
            ("deleted_here", .array(deletedHere.map(JSONValue.string))),
            ("deleted_there", .array(deletedThere.map(JSONValue.string))),
            ("verified_missing", verifiedMissing.map { .array($0.map(JSONValue.string)) } ?? .null),
            ("batches", .int(batches)), ("bytes", .int(bytes)), ("seconds", .number(seconds)),
        ])
    }

    private func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
}
