import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// The client's record of what each server acknowledged (RunStore+SyncState.swift).
@Suite struct SyncStateTests {
    let store: RunStore
    let server = "5b0f7f9e-1c1e-4a36-9a86-2f0d4b8b1f00"

    init() throws {
        store = try RunStore(path: try temporaryFolder().appendingPathComponent("client.db").path, create: true)
    }

    func finished(rounds: Int = 2) throws -> RunRecord {
        var run = sampleRun(pid: nil)
        run.status = .finished
        run.endedAt = run.createdAt
        try store.insertComplete(run, rounds: (0..<rounds).map { RoundRecord(t: $0, testMSE: 1) })
        return try store.run(id: run.id)
    }

    @Test func remotesAreAddedListedAndRemoved() throws {
        let remote = Remote(name: "team", url: "http://127.0.0.1:8337", addedAt: .now())
        try store.addRemote(remote)
        #expect(throws: StoreError.self) { try store.addRemote(remote) }
        try store.setServerID(server, remote: "team")
        #expect(try store.remotes().map(\.serverID) == [server])
        #expect(try store.removeRemote(name: "team"))
        #expect(try !store.removeRemote(name: "team"))
        #expect(Remote.isValidName("lab-2.gpu_a") && !Remote.isValidName("-x") && !Remote.isValidName("a b"))
    }

    @Test func aRunIsPendingUntilAcknowledgedThenOnlyWhatChanged() throws {
        let run = try finished()
        #expect(try store.pendingSync(serverID: server, includeRunning: false).map(\.reason) == [.new])
        try store.recordAcks([SyncAck(of: run)], serverID: server)
        #expect(try store.pendingSync(serverID: server, includeRunning: false).isEmpty)
        try store.update(runID: run.id, tags: [Tag(key: "k", value: "v")], note: nil)
        #expect(try store.pendingSync(serverID: server, includeRunning: false).map(\.reason) == [.labels])
        try store.recordAcks([SyncAck(of: try store.run(id: run.id))], serverID: server)
        #expect(try store.pendingSync(serverID: server, includeRunning: false).isEmpty)
        // Another server has acknowledged nothing.
        #expect(try store.pendingSync(serverID: UUID().uuidString.lowercased(), includeRunning: false).count == 1)
    }

    @Test func aRunningRunIsSentOnlyWhenAskedAndAgainWhenItGrowsOrEnds() throws {
        let live = try LiveRun(store: store, run: sampleRun())
        try live.record(RoundRecord(t: 0, testMSE: 1))
        #expect(try store.pendingSync(serverID: server, includeRunning: false).isEmpty)
        let pending = try store.pendingSync(serverID: server, includeRunning: true)
        #expect(pending.map(\.reason) == [.new] && pending[0].isRunning)
        try store.recordAcks([SyncAck(of: try store.run(id: live.id))], serverID: server)
        #expect(try store.pendingSync(serverID: server, includeRunning: true).isEmpty)
        try live.record(RoundRecord(t: 1, testMSE: 1))
        #expect(try store.pendingSync(serverID: server, includeRunning: true).map(\.reason) == [.grown])
        try store.recordAcks([SyncAck(of: try store.run(id: live.id))], serverID: server)
        try live.finish(summary: RunSummary())
        #expect(try store.pendingSync(serverID: server, includeRunning: false).map(\.reason) == [.grown])
    }

    @Test func aKilledRunIsSentAsItIs() throws {
        try store.insert(sampleRun(pid: Int(Int32.max) - 1))  // no such process: killed
        #expect(try store.pendingSync(serverID: server, includeRunning: false).map(\.isRunning) == [false])
    }

    @Test func runsDeletedAfterTheirSyncAreReportedAndAcksCanBeForgotten() throws {
        let run = try finished()
        try store.recordAcks([SyncAck(of: run)], serverID: server)
        try store.delete(runIDs: [run.id])
        #expect(try store.deletedSinceSync(serverID: server) == [run.id])
        try store.forgetAcks(runIDs: [run.id], serverID: server)
        #expect(try store.deletedSinceSync(serverID: server).isEmpty && store.acks(serverID: server).isEmpty)
    }
}
