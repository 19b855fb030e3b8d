import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// The server's upsert rules (RunStore+Upsert.swift): every repeat converges to one copy.
@Suite struct UpsertTests {
    let store: RunStore

    init() throws {
        store = try RunStore(path: try temporaryFolder().appendingPathComponent("server.db").path, create: true)
    }

    /// A run as a client sends it: `rounds` rounds, ended (finished) or still running.
    func copy(of run: RunRecord, rounds: Int, ended: Bool) -> CompleteRun {
        var run = run
        if ended {
            run.status = .finished
            run.endedAt = run.createdAt.adding(seconds: 10)
            run.heartbeatAt = run.endedAt
            run.summary.r0 = 0.5
            run.summary.collapseRound = rounds
        }
        run.roundCount = rounds
        return CompleteRun(
            run: run, rounds: (0..<rounds).map { RoundRecord(t: $0, c: Double($0) + 0.5, testMSE: 1 / Double($0 + 1)) },
            spectrum: SpectrumRecord(d: [2, 1], z0: [0.5, -0.25], zeroTolerance: 1e-15))
    }

    @Test func aNewRunIsInsertedAndARepeatChangesNothing() throws {
        let run = copy(of: sampleRun(), rounds: 3, ended: true)
        #expect(try store.upsert([.run(run)]).map(\.outcome) == [.inserted])
        #expect(try store.upsert([.run(run)]).map(\.outcome) == [.unchanged])
        let stored = try store.completeRuns(ids: [run.run.id])[0]
        #expect(stored.rounds.count == 3 && stored.run.status == .finished && stored.spectrum != nil)
    }

    @Test func aLongerCopyAppendsRoundsAndSetsTheEndOnce() throws {
        let run = sampleRun(pid: nil)
        #expect(try store.upsert([.run(copy(of: run, rounds: 2, ended: false))]).map(\.outcome) == [.inserted])
        // An older, shorter copy adds nothing.
        #expect(try store.upsert([.run(copy(of: run, rounds: 1, ended: false))]).map(\.outcome) == [.unchanged])
        let grown = try store.upsert([.run(copy(of: run, rounds: 4, ended: false))])[0]
        #expect(grown.outcome == .updated && grown.changed == ["rounds"])
        let ended = try store.upsert([.run(copy(of: run, rounds: 5, ended: true))])[0]
        #expect(ended.outcome == .updated && ended.changed == ["rounds", "end"])
        let stored = try store.completeRuns(ids: [run.id])[0]
        #expect(
            stored.run.status == .finished && stored.run.roundCount == 5 && stored.rounds.map(\.t) == [0, 1, 2, 3, 4])
        let curves = try SQLiteConnection(path: store.path, mode: .existing).scalar("SELECT count(*) FROM curves")
        #expect(curves == .integer(2))  // c and test_mse: written with its end
        // The running copy arriving late changes nothing.
        #expect(try store.upsert([.run(copy(of: run, rounds: 2, ended: false))]).map(\.outcome) == [.unchanged])
    }

    @Test func whatNeverChangesMustMatchElseTheItemIsANamedConflict() throws {
        let run = copy(of: sampleRun(), rounds: 3, ended: true)
        try store.upsert([.run(run)])
        var other = run
        other.run.config.eps = 0.02
        other.run.configJSON = #"{"dataset":"toy","eps":0.02}"#
        other.rounds[1].testMSE = 7
        other.spectrum?.d[0] = 3
        let result = try store.upsert([.run(other)])[0]
        #expect(result.outcome == .conflict)
        #expect(result.message?.contains("eps") == true && result.message?.contains("config") == true)
        #expect(result.message?.contains("rounds") == true && result.message?.contains("spectrum") == true)
        #expect(try store.completeRuns(ids: [run.run.id])[0] == run)
        // Another end, or new rounds for an ended run, conflict too.
        var otherEnd = run
        otherEnd.run.summary.r0 = 0.25
        #expect(try store.upsert([.run(otherEnd)])[0].message?.contains("r0") == true)
        #expect(try store.upsert([.run(copy(of: run.run, rounds: 4, ended: true))])[0].outcome == .conflict)
    }

    @Test func oneBadItemDoesNotFailItsBatch() throws {
        let good = copy(of: sampleRun(), rounds: 2, ended: true)
        var bad = copy(of: sampleRun(), rounds: 2, ended: true)
        bad.run.tags = [Tag(key: "", value: "x")]
        var badID = good
        badID.run.id = "NOT-A-UUID"
        let results = try store.upsert([.run(bad), .run(good), .run(badID)])
        #expect(results.map(\.outcome) == [.rejected, .inserted, .rejected])
        #expect(results[0].runID == bad.run.id && results[0].message != nil)
        #expect(try store.runs(matching: RunFilter()).map(\.id) == [good.run.id])
    }

    @Test func labelsAreLastWriterWinsByEditTime() throws {
        let run = copy(of: sampleRun(), rounds: 1, ended: true)
        try store.upsert([.run(run)])
        let early = run.run.createdAt.adding(seconds: 60), late = early.adding(seconds: 60)
        let lateEdit = LabelsEdit(runID: run.run.id, tags: [Tag(key: "k", value: "late")], note: "b", editedAt: late)
        let earlyEdit = LabelsEdit(runID: run.run.id, tags: [Tag(key: "k", value: "early")], note: "a", editedAt: early)
        #expect(try store.upsert([.labels(lateEdit)])[0].changed == ["labels"])
        #expect(try store.upsert([.labels(earlyEdit)])[0].outcome == .unchanged)
        let stored = try store.run(id: run.run.id)
        #expect(stored.tags == lateEdit.tags && stored.note == "b" && stored.labelsEditedAt == late)
        // Equal times: the same winner whichever arrives first.
        var tie = lateEdit
        tie.tags = [Tag(key: "k", value: "z")]
        #expect(try store.upsert([.labels(tie)])[0].outcome == .updated)
        #expect(try store.upsert([.labels(lateEdit)])[0].outcome == .unchanged)
        // Labels of a run the server lacks: send the whole run.
        let unknown = LabelsEdit(runID: UUID().uuidString.lowercased(), tags: [], note: nil, editedAt: late)
        #expect(try store.upsert([.labels(unknown)])[0].outcome == .unknown)
    }

    @Test func aRunSentAsKilledIsStoredRunningSoThatItsEndCanStillCome() throws {
        var killed = copy(of: sampleRun(pid: nil), rounds: 2, ended: false)
        killed.run.status = .killed
        try store.upsert([.run(killed)])
        #expect(
            try store.completeRuns(ids: [killed.run.id], liveness: RunLiveness(host: "elsewhere"))[0].run.status
                == .running)
        #expect(try store.upsert([.run(copy(of: killed.run, rounds: 3, ended: true))])[0].changed == ["rounds", "end"])
    }

    @Test func theServerIDIsMadeOnceAndTokensKeepOnlyAHash() throws {
        let id = try store.serverID()
        #expect(try store.serverID() == id && RunRecord.isValidID(id))
        let token = TokenRecord(
            id: "0123456789abcdef", name: "ci", scopes: ["read", "push"], sha256: String(repeating: "a", count: 64),
            createdAt: .now())
        try store.addToken(token)
        #expect(throws: StoreError.self) { try store.addToken(token) }
        #expect(try store.tokens() == [token])
        #expect(try store.revokeToken(id: token.id))
        #expect(try !store.revokeToken(id: token.id))
        #expect(try store.tokens()[0].revokedAt != nil)
    }
}

extension UpsertTests {
    /// A later edit that leaves the labels as they were still wins over an earlier one, whichever
    /// arrives first.
    @Test func labelsConvergeWhateverTheOrderOfArrival() throws {
        let run = copy(of: sampleRun(), rounds: 1, ended: true)
        let later = LabelsEdit(
            runID: run.run.id, tags: run.run.tags, note: run.run.note, editedAt: run.run.createdAt.adding(seconds: 300))
        let earlier = LabelsEdit(
            runID: run.run.id, tags: [Tag(key: "x", value: "1")], note: nil,
            editedAt: run.run.createdAt.adding(seconds: 180))
        var finals = [RunRecord]()
        for order in [[later, earlier], [earlier, later]] {
            let store = try RunStore(
                path: try temporaryFolder().appendingPathComponent("order.db").path, create: true)
            try store.upsert([.run(run)])
            for edit in order { _ = try store.upsert([.labels(edit)]) }
            finals.append(try store.run(id: run.run.id))
        }
        #expect(finals[0].tags == finals[1].tags && finals[0].labelsEditedAt == finals[1].labelsEditedAt)
        #expect(finals[0].tags == run.run.tags && finals[0].labelsEditedAt == later.editedAt)
    }
}
