import Foundation
import SDTestSupport
import Testing

@testable import SDStore

@Suite struct RunStoreTests {
    let folder: URL
    let path: String

    init() throws {
        folder = try temporaryFolder()
        path = folder.appendingPathComponent("runs.db").path
    }

    @Test func liveRunIsRunningUntilItsEndCommits() throws {
        let store = try RunStore(path: path, create: true)
        let live = try LiveRun(store: store, run: sampleRun())
        #expect(try store.run(id: live.id).status == .running)
        let spectrum = SpectrumRecord(d: [2, 1, 0.5], z0: [1, -0.5, 0.25], zeroTolerance: 1e-15)
        try live.record(spectrum)
        try live.record(RoundRecord(t: 0, c: 0.1, r: 3, trainMSE: 0.01, df: 2.5, gcv: 0.2))
        try live.record(RoundRecord(t: 1, c: 0.2, r: 2, trainMSE: 0.04, df: 1.9, gcv: 0.3))
        #expect(try store.run(id: live.id).roundCount == 2)
        var summary = RunSummary()
        summary.collapseRound = 2
        summary.boundsHeld = true
        summary.kappa = .infinity
        try live.finish(summary: summary)

        let run = try store.run(id: live.id)
        #expect(
            run.status == .finished && run.endedAt != nil && run.summary.collapseRound == 2
                && run.summary.boundsHeld == true)
        #expect(run.summary.kappa == nil, "an infinite kappa is stored as NULL")
        #expect(try store.rounds(runID: live.id).map(\.c) == [0.1, 0.2])
        #expect(try store.spectrum(runID: live.id) == spectrum)
    }

    @Test func failedRunKeepsItsError() throws {
        let store = try RunStore(path: path, create: true)
        let live = try LiveRun(store: store, run: sampleRun())
        try live.fail(error: "eps 0.01 is infeasible", summary: RunSummary())
        let run = try store.run(id: live.id)
        #expect(run.status == .failed && run.error == "eps 0.01 is infeasible")
    }

    @Test func deadProcessOnThisHostOrStaleHeartbeatReadsAsKilled() throws {
        let store = try RunStore(path: path, create: true)
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let deadPID = Int(exited.processIdentifier)
        let dead = sampleRun(pid: deadPID)
        var elsewhere = sampleRun(pid: 1)
        elsewhere.host = "another-host"
        elsewhere.heartbeatAt = Timestamp.now().adding(seconds: -(RunLiveness.staleAfter + 5))
        var elsewhereAlive = sampleRun(pid: 1)
        elsewhereAlive.host = "another-host"
        let alive = sampleRun()
        for run in [dead, elsewhere, elsewhereAlive, alive] { try store.insert(run) }

        let status = Dictionary(uniqueKeysWithValues: try store.runs().map { ($0.id, $0.status) })
        #expect(status[dead.id] == .killed)
        #expect(status[elsewhere.id] == .killed)
        #expect(status[elsewhereAlive.id] == .running)
        #expect(status[alive.id] == .running)
        #expect(Set(try store.runs(matching: RunFilter(statuses: [.killed])).map(\.id)) == [dead.id, elsewhere.id])
        #expect(
            Set(try store.runs(matching: RunFilter(statuses: [.running], limit: 5)).map(\.id)) == [
                elsewhereAlive.id, alive.id,
            ])
    }

    @Test func heartbeatKeepsALongRunAliveFromTheBackground() throws {
        let store = try RunStore(path: path, create: true)
        var run = sampleRun()
        run.host = "another-host"
        run.heartbeatAt = Timestamp.now().adding(seconds: -(RunLiveness.staleAfter + 60))
        try store.insert(run)
        #expect(try store.run(id: run.id).status == .killed)
        let heartbeat = Heartbeat(store: store, runID: run.id, interval: 0.02)
        let deadline = Date().addingTimeInterval(10)
        while try store.run(id: run.id).status != .running, Date() < deadline { usleep(10_000) }
        heartbeat.stop()
        #expect(try store.run(id: run.id).status == .running)
    }

    @Test func filtersByExperimentTagTimeAndLimitNewestFirst() throws {
        let store = try RunStore(path: path, create: true)
        let start = Timestamp(iso8601: "2026-01-01T00:00:00Z")!
        var runs = [RunRecord]()
        for index in 0..<6 {
            var run = sampleRun(
                experiment: index % 2 == 0 ? "even" : "odd", createdAt: start.adding(seconds: Double(index) * 3600),
                status: .finished)
            run.tags = [Tag(key: "index", value: String(index)), Tag(key: "sweep", value: "a")]
            runs.append(run)
        }
        try store.importRuns(runs.map { CompleteRun(run: $0, rounds: [RoundRecord(t: 0)]) })

        #expect(try store.runs().map(\.id) == runs.reversed().map(\.id))
        #expect(
            try store.runs(matching: RunFilter(experiment: "odd")).map(\.id) == [runs[5].id, runs[3].id, runs[1].id])
        #expect(try store.runs(matching: RunFilter(tags: [Tag(key: "index", value: "2")])).map(\.id) == [runs[2].id])
        #expect(try store.runs(matching: RunFilter(tags: [Tag(key: "sweep", value: "b")])).isEmpty)
        #expect(
            try store.runs(matching: RunFilter(since: start.adding(seconds: 3600 * 4))).map(\.id) == [
                runs[5].id, runs[4].id,
            ])
        #expect(try store.runs(matching: RunFilter(until: start.adding(seconds: 3600))).map(\.id) == [runs[0].id])
        #expect(try store.runs(matching: RunFilter(limit: 2)).map(\.id) == [runs[5].id, runs[4].id])
        #expect(
            try store.runs(matching: RunFilter(limit: 1))[0].tags == [
                Tag(key: "index", value: "5"), Tag(key: "sweep", value: "a"),
            ])
    }

    @Test func prefixesResolveLikeGit() throws {
        let store = try RunStore(path: path, create: true)
        let a = "aaaa1111-0000-4000-8000-000000000000", b = "aaaa2222-0000-4000-8000-000000000000"
        for id in [a, b] { try store.insert(sampleRun(id: id, status: .finished)) }
        #expect(try store.resolve("aaaa1") == a)
        #expect(try store.resolve("AAAA2222") == b)
        #expect(try store.resolve(a) == a)
        #expect(#expect(throws: StoreError.self) { try store.resolve("aaaa") }?.code == .ambiguousRun)
        #expect(#expect(throws: StoreError.self) { try store.resolve("b") }?.code == .unknownRun)
        #expect(#expect(throws: StoreError.self) { try store.resolve("a*") }?.code == .unknownRun)
        #expect(#expect(throws: StoreError.self) { try store.resolve("") }?.code == .unknownRun)
    }

    @Test func deleteRemovesEverythingOfTheRunOnly() throws {
        let store = try RunStore(path: path, create: true)
        let gone = sampleRun(status: .finished), kept = sampleRun(status: .finished)
        for run in [gone, kept] {
            var run = run
            run.tags = [Tag(key: "k", value: "v")]
            try store.insertComplete(
                run, rounds: [RoundRecord(t: 0, extra: ["accuracy": 0.9])],
                spectrum: SpectrumRecord(d: [1], z0: [1], zeroTolerance: 0))
        }
        try store.delete(runIDs: [gone.id])
        let connection = try SQLiteConnection(path: path, mode: .existing)
        for table in ["runs", "rounds", "round_metrics", "spectra", "tags"] {
            #expect(
                try connection.scalar("SELECT count(*) FROM \(table) WHERE run_id = ?", [.text(gone.id)])
                    == .integer(0), "\(table)")
            #expect(
                try connection.scalar("SELECT count(*) FROM \(table) WHERE run_id = ?", [.text(kept.id)])
                    == .integer(1), "\(table)")
        }
    }

    @Test func tagsAndNoteCanBeChanged() throws {
        let store = try RunStore(path: path, create: true)
        let run = sampleRun(status: .finished)
        try store.insert(run)
        try store.update(runID: run.id, tags: [Tag(key: "a", value: "1"), Tag(key: "b", value: "2")], note: "first")
        try store.update(runID: run.id, tags: [Tag(key: "a", value: "3")], note: nil)
        try store.removeTags(runID: run.id, keys: ["b", "missing"])
        let read = try store.run(id: run.id)
        #expect(read.tags == [Tag(key: "a", value: "3")] && read.note == "first")
    }

    @Test func importsAreAllOrNothing() throws {
        let store = try RunStore(path: path, create: true)
        let existing = sampleRun(status: .finished)
        try store.insert(existing)
        let fresh = sampleRun(status: .finished)
        let error = #expect(throws: StoreError.self) {
            try store.importRuns([
                CompleteRun(run: fresh, rounds: [RoundRecord(t: 0)]),
                CompleteRun(run: existing, rounds: [RoundRecord(t: 0)]),
            ])
        }
        #expect(error?.code == .conflict)
        #expect(
            try store.runs().map(\.id) == [existing.id], "the first run of the failed import must not be left behind")
    }

    @Test func roundsKeepEveryMetricExactly() throws {
        let store = try RunStore(path: path, create: true)
        let run = sampleRun(status: .finished)
        let rounds = [
            RoundRecord(
                t: 0, c: 0.1 + 0.2, r: .pi, targetNorm: 1e-300, trainMSE: Double.leastNonzeroMagnitude, targetMSE: 0.01,
                testMSE: nil,
                truthMSE: 1 / 3, df: 8.5, gcv: 0.19, rkhsNorm: 3.2, extra: ["accuracy": 0.91, "loss": 1e10]),
            RoundRecord(t: 1, testMSE: -0.0),
        ]
        try store.insertComplete(run, rounds: rounds)
        #expect(try store.rounds(runID: run.id) == rounds)
        #expect(try store.run(id: run.id).roundCount == 2)
    }
}
