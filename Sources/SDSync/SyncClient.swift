import Foundation
import SDDocuments
import SDHTTP
import SDJSON
import SDStore

/// Where a sync goes: a remote by name (`sdtrack remote add`), or a bare URL.
public struct SyncTarget: Sendable {
    public var remote: Remote?
    public var url: String

    public init(remote: Remote) {
        self.remote = remote
        self.url = remote.url
    }

    public init(url: String) {
        self.remote = nil
        self.url = url
    }

    public var name: String { remote?.name ?? url }
}

public struct SyncOptions: Sendable {
    /// Send runs whose process is still running too (and again as they grow).
    public var includeRunning = false
    /// Say what would be sent; touch neither the network nor the database.
    public var dryRun = false
    /// Ask the server about every run it acknowledged, and send again what it lacks.
    public var verify = false
    /// A batch closes at this many bytes of JSON or this many runs, whichever comes first (and
    /// within the server's limits); acknowledgements are recorded after each batch, so an
    /// interrupted sync sends at most one batch again.
    public var batchBytes = 4 << 20
    public var batchItems = 500
    public var transport: HTTPTransportOptions
    public var retry = RetryPolicy()

    public init(userAgent: String) {
        transport = HTTPTransportOptions(userAgent: userAgent)
    }
}

/// How far a sync has got, for a progress line.
public struct SyncProgress: Sendable {
    public var runsDone: Int
    public var runsTotal: Int
    public var bytesSent: Int
}

/// Sends a database's runs to a collection server, effectively once (docs/sync.md).
///
/// The server stores each run as an upsert keyed by its UUID, so sending a run again is
/// harmless; what the server acknowledged is recorded here after each batch (`sync_acks`, keyed
/// by the server's id), so the next sync sends only what changed since: new runs, runs that
/// grew or ended (whole, the server appends), and edited labels (alone). A sync with nothing to
/// send does not touch the network once the server's id is known.
public final class SyncClient {
    private let store: RunStore
    private let target: SyncTarget
    private let token: String
    private let options: SyncOptions
    private let progress: (SyncProgress) -> Void
    private let notice: (String) -> Void
    private var connection: ServerConnection?

    /// `notice` gets one-line messages for standard error (a wait, a retry).
    public init(
        store: RunStore, target: SyncTarget, token: String, options: SyncOptions,
        progress: @escaping (SyncProgress) -> Void = { _ in }, notice: @escaping (String) -> Void = { _ in }
    ) {
        self.store = store
        self.target = target
        self.token = token
        self.options = options
        self.progress = progress
        self.notice = notice
    }

    public func run() throws(SyncError) -> SyncSummary {
        let started = Date()
        var summary = SyncSummary(remote: target.name, dryRun: options.dryRun)
        let lock: SyncLock? =
            options.dryRun
            ? nil
            : try SyncLock(databasePath: store.path) {
                notice("another sync of \(store.path) is running; waiting for it to finish")
            }
        defer { withExtendedLifetime(lock) {} }
        do {
            try sync(&summary)
        } catch  where error.kind == .offline {
            // What is left: acknowledgements are recorded batch by batch.
            let left = try storeCall {
                try store.pendingSync(serverID: summary.serverID ?? "", includeRunning: options.includeRunning).count
            }
            throw SyncError(.offline, "\(error.message): \(left) run\(left == 1 ? "" : "s") pending for \(target.name)")
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    private func sync(_ summary: inout SyncSummary) throws(SyncError) {
        summary.serverID = target.remote?.serverID
        var limits = (bytes: options.batchBytes, items: options.batchItems)
        if options.dryRun {
            // Never synced: nothing is acknowledged under an id no server has.
            summary.pending = try storeCall {
                try store.pendingSync(serverID: summary.serverID ?? "", includeRunning: options.includeRunning)
            }
            return
        }
        let pendingFor = { (serverID: String) throws(SyncError) -> [PendingRun] in
            try self.storeCall {
                try self.store.pendingSync(serverID: serverID, includeRunning: self.options.includeRunning)
            }
        }
        let deletedFor = { (serverID: String) throws(SyncError) -> [String] in
            try self.storeCall { try self.store.deletedSinceSync(serverID: serverID) }
        }
        if let known = summary.serverID {
            summary.pending = try pendingFor(known)
            summary.deletedHere = try deletedFor(known)
        }
        // Nothing to send: no network. Else ask the server who it is first: a server whose
        // database was replaced has a new id, and lacks what the old one acknowledged.
        let propagating = target.remote?.propagatesDeletes == true && !summary.deletedHere.isEmpty
        if summary.serverID == nil || options.verify || !summary.pending.isEmpty || propagating {
            let info = try server().info()
            if let known = summary.serverID, known != info.serverID {
                notice("\(target.url) is another server now (id \(info.serverID), was \(known)): sending what it lacks")
            }
            if let remote = target.remote, remote.serverID != info.serverID {
                try storeCall { try store.setServerID(info.serverID, remote: remote.name) }
            }
            if summary.serverID != info.serverID {
                summary.serverID = info.serverID
                summary.pending = try pendingFor(info.serverID)
                summary.deletedHere = try deletedFor(info.serverID)
            }
            limits.bytes = min(limits.bytes, info.maxRequestBytes.map { $0 * 9 / 10 } ?? limits.bytes)
            limits.items = min(limits.items, info.maxBatchItems ?? limits.items)
        }
        guard let serverID = summary.serverID else { return }
        if options.verify {
            summary.verifiedMissing = try verify(serverID: serverID)
            summary.pending = try pendingFor(serverID)
            summary.deletedHere = try deletedFor(serverID)
        }
        if !summary.pending.isEmpty { try send(summary.pending, serverID: serverID, limits: limits, summary: &summary) }
        if target.remote?.propagatesDeletes == true && !summary.deletedHere.isEmpty {
            for id in summary.deletedHere {
                try server().delete(runID: id)
                try storeCall { try store.forgetAcks(runIDs: [id], serverID: serverID) }
                summary.deletedThere.append(id)
            }
            summary.deletedHere = []
        }
    }

    private func server() throws(SyncError) -> ServerConnection {
        if let connection { return connection }
        if let url = URL(string: target.url), url.scheme?.lowercased() == "http",
            let host = url.host, !["localhost", "127.0.0.1", "::1", "[::1]"].contains(host)
        {
            notice("sending the token to \(host) over plain http: anyone on the way can read it; use https")
        }
        let connection = try ServerConnection(
            baseURL: target.url, token: token, options: options.transport, retry: options.retry)
        connection.retrying = { [notice] why, delay in notice(String(format: "retrying in %.1f s (%@)", delay, why)) }
        self.connection = connection
        return connection
    }

    /// Sends `pending` in batches, recording what the server acknowledged after each.
    private func send(
        _ pending: [PendingRun], serverID: String, limits: (bytes: Int, items: Int), summary: inout SyncSummary
    ) throws(SyncError) {
        var queue = pending[...]
        var resent = Set<String>()
        var batch = Batch()
        // Labels the server had no run for come back from a flush: sent again whole, once.
        func flushBatch() throws(SyncError) {
            queue += try flush(&batch, serverID: serverID, summary: &summary).filter {
                resent.insert($0.runID).inserted
            }
        }
        while !queue.isEmpty || !batch.isEmpty {
            guard !queue.isEmpty else {
                try flushBatch()
                continue
            }
            let chunk = Array(queue.prefix(64))
            queue = queue.dropFirst(chunk.count)
            for (run, item) in try items(chunk) {
                let bytes = PushDocument.item(item).serializedBytes()
                if !batch.isEmpty && (batch.bytes + bytes.count > limits.bytes || batch.count >= limits.items) {
                    try flushBatch()
                }
                batch.append(bytes, item: item, ack: ack(for: run, item: item))
            }
        }
    }

    /// The item to send for each pending run: the whole run, or its labels alone.
    private func items(_ pending: [PendingRun]) throws(SyncError) -> [(PendingRun, SyncItem)] {
        let ids = pending.map(\.runID)
        var complete: [CompleteRun]
        do {
            complete = try store.completeRuns(ids: ids)
        } catch  where error.code == .unknownRun {
            // Deleted since the sync began: leave it out.
            complete = []
            for id in ids {
                do {
                    complete += try store.completeRuns(ids: [id])
                } catch  where error.code == .unknownRun {
                    continue
                } catch {
                    throw SyncError.store(error)
                }
            }
        } catch {
            throw SyncError.store(error)
        }
        let byID = Dictionary(complete.map { ($0.run.id, $0) }, uniquingKeysWith: { a, _ in a })
        return pending.compactMap { run in
            guard let whole = byID[run.runID] else { return nil }
            return (run, run.reason == .labels ? .labels(LabelsEdit(of: whole.run)) : .run(whole))
        }
    }

    /// What the server holds once it acknowledges `item`: for labels alone, what it held before
    /// with these labels (rounds recorded since are not in the item).
    private func ack(for run: PendingRun, item: SyncItem) -> SyncAck {
        switch item {
        case .run(let complete): SyncAck(of: complete.run)
        case .labels(let edit):
            SyncAck(
                runID: edit.runID, roundCount: run.acknowledgedRounds ?? 0, ended: run.acknowledgedEnd ?? false,
                labelsEditedAt: edit.editedAt)
        }
    }

    /// Sends the batch (split in halves while the server finds it too large), records what was
    /// acknowledged, and returns the runs to send again whole.
    private func flush(_ batch: inout Batch, serverID: String, summary: inout SyncSummary) throws(SyncError)
        -> [PendingRun]
    {
        defer { batch = Batch() }
        return try push(batch.entries[...], serverID: serverID, summary: &summary)
    }

    private func push(_ entries: ArraySlice<Batch.Entry>, serverID: String, summary: inout SyncSummary)
        throws(SyncError) -> [PendingRun]
    {
        var body = Array(#"{"format":"\#(PushDocument.requestFormat)","items":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += entry.bytes
        }
        body += Array("]}".utf8)
        guard let results = try server().push(body) else {
            guard entries.count > 1 else {
                summary.rejected.append(
                    UpsertResult(
                        runID: entries.first?.item.runID, outcome: .rejected,
                        message: "larger than the server accepts in one request (\(body.count) bytes)"))
                return []
            }
            let half = entries.startIndex + entries.count / 2
            return try push(entries[..<half], serverID: serverID, summary: &summary)
                + push(entries[half...], serverID: serverID, summary: &summary)
        }
        guard results.count == entries.count else {
            throw SyncError(
                .protocolError, "the server answered \(results.count) results for \(entries.count) items")
        }
        var acks = [SyncAck](), again = [PendingRun](), forget = [String]()
        for (entry, result) in zip(entries, results) where result.runID != nil && result.runID != entry.item.runID {
            throw SyncError(
                .protocolError,
                "the server answered for run \(serverText(result.runID ?? "", limit: 40)) where "
                    + "\(entry.item.runID) was sent")
        }
        for (entry, var result) in zip(entries, results) {
            result.message = result.message.map { serverText($0) }
            if result.outcome == .conflict || result.outcome == .rejected, let message = result.message,
                !message.contains(entry.item.runID)
            {
                result.message = "run \(entry.item.runID): \(message)"
            }
            switch result.outcome {
            case .inserted: summary.inserted += 1
            case .updated: summary.updated += 1
            case .unchanged: summary.unchanged += 1
            case .conflict: summary.conflicts.append(result)
            case .rejected: summary.rejected.append(result)
            case .unknown:
                forget.append(entry.item.runID)
                again.append(PendingRun(runID: entry.item.runID, reason: .new, isRunning: false))
            }
            if result.outcome.isAcknowledgement { acks.append(entry.ack) }
        }
        try storeCall {
            try store.forgetAcks(runIDs: forget, serverID: serverID)
            try store.recordAcks(acks, serverID: serverID)
        }
        summary.acknowledged += acks.count
        summary.batches += 1
        summary.bytes += body.count
        progress(
            SyncProgress(runsDone: summary.acknowledged, runsTotal: summary.pending.count, bytesSent: summary.bytes))
        return again
    }

    /// Asks the server about every run it acknowledged; forgets the acknowledgement of each it
    /// lacks, or holds with fewer rounds, without its end, or with labels older than those it
    /// acknowledged, so that this sync sends them again. Returns those runs.
    private func verify(serverID: String) throws(SyncError) -> [String] {
        let acks = try storeCall { try store.acks(serverID: serverID) }
        var missing = [String]()
        for start in stride(from: 0, to: acks.count, by: 1000) {
            let chunk = acks[start..<min(start + 1000, acks.count)]
            let held = try server().check(chunk.map(\.runID))
            missing += chunk.filter { ack in
                guard let run = held[ack.runID] else { return true }
                let lostLabels =
                    ack.labelsEditedAt.map { acked in run.labelsEditedAt.map { $0 < acked } ?? true } ?? false
                return run.roundCount < ack.roundCount || (ack.ended && run.status?.hasEnded != true) || lostLabels
            }.map(\.runID)
        }
        try storeCall { try store.forgetAcks(runIDs: missing, serverID: serverID) }
        return missing
    }

    /// The database's failures as the sync's.
    private func storeCall<T>(_ body: () throws -> T) throws(SyncError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw SyncError.store(error)
        } catch {
            throw SyncError(.store, "\(error)")
        }
    }
}

/// Items on their way, serialized once.
private struct Batch {
    struct Entry {
        var bytes: [UInt8]
        var item: SyncItem
        var ack: SyncAck
    }

    var entries = [Entry]()
    var bytes = 0
    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    mutating func append(_ bytes: [UInt8], item: SyncItem, ack: SyncAck) {
        entries.append(Entry(bytes: bytes, item: item, ack: ack))
        self.bytes += bytes.count + 1
    }
}
