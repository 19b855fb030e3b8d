import Foundation
import SDDocuments
import SDImport
import SDJSON
import SDStore
import SDTestSupport
import Testing

/// Importing into a real store: inserted, unchanged, or a conflict that writes nothing.
@Suite struct ImporterTests {
    static let first = "3f2a8c1e-0000-4000-8000-00000000a001"
    static let second = "3f2a8c1e-0000-4000-8000-00000000a002"

    /// Two document runs: one with a spectrum, tags and a note; one without a spectrum.
    static func documentRuns() -> [CompleteRun] {
        [
            documentRun(
                id: first, note: "kept", tags: [Tag(key: "sweep", value: "eps"), Tag(key: "who", value: "ana")]),
            documentRun(
                id: second, status: .failed,
                rounds: [RoundRecord(t: 0, testMSE: 0.5), RoundRecord(t: 3, extra: ["loss": 2])],
                spectrum: nil),
        ]
    }

    /// An export imported into an empty store inserts its runs exactly as recorded.
    @Test func aDocumentIsInsertedAsRecorded() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let runs = Self.documentRuns()
        let result = try Importer.importText(
            exportText(runs), format: .json, source: "export.json", options: ImportOptions(),
            into: store)
        #expect(result.outcomes == [.inserted, .inserted] && result.inserted == 2 && result.unchanged == 0)
        #expect(result.runs.map(\.run.id) == [Self.first, Self.second])
        let stored = try store.completeRuns(ids: [Self.first, Self.second])
        #expect(stored.map(\.run) == runs.map(\.run))
        #expect(exportText(stored) == exportText(runs))
    }

    /// The same document again is "unchanged" for every run, and the store is as it was.
    @Test func theSameDocumentAgainChangesNothing() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let text = exportText(Self.documentRuns())
        _ = try Importer.importText(text, format: .json, source: "export.json", options: ImportOptions(), into: store)
        let before = try StoreSnapshot(store)
        let again = try Importer.importText(
            text, format: .json, source: "export.json", options: ImportOptions(), into: store)
        #expect(again.outcomes == [.unchanged, .unchanged] && again.unchanged == 2 && again.inserted == 0)
        #expect(try StoreSnapshot(store).isIdentical(to: before))
        #expect(before.runs.count == 2)
    }

    /// A document whose rounds, fields and spectrum hold -0.0, the smallest subnormal and huge
    /// values imports again as "unchanged". The store keeps them bit for bit, except that a
    /// REAL column holds -0.0 as 0.0 (SQLite stores a whole REAL as an integer): the store
    /// makes it 0.0 on the way in. Spectra are blobs and keep the sign.
    @Test func awkwardDoublesImportAgainAsUnchanged() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        var run = documentRun(
            id: Self.first,
            rounds: [
                RoundRecord(
                    t: 0, c: -0.0, trainMSE: subnormal, testMSE: 1e300,
                    df: 0.1 + 0.2, extra: ["loss": -0.0])
            ],
            spectrum: SpectrumRecord(
                d: [1e300, subnormal, -0.0], z0: [-0.0, 0.1 + 0.2, -1e-300],
                zeroTolerance: subnormal))
        run.run.zeroPredictor.testMSE = -0.0
        let text = exportText([run])
        _ = try Importer.importText(text, format: .json, source: "export.json", options: ImportOptions(), into: store)
        let stored = try store.rounds(runID: Self.first)
        var expected = run.rounds[0]
        expected.c = 0
        expected.extra["loss"] = 0
        #expect(
            stored.count == 1 && stored.first.map { $0.isIdentical(to: expected) } == true,
            "stored \(stored), bits of c: \(String(describing: stored.first?.c?.bitPattern))")
        #expect(try store.spectrum(runID: Self.first).map { $0.isIdentical(to: run.spectrum!) } == true)
        #expect(try store.run(id: Self.first).zeroPredictor.testMSE?.bitPattern == (0.0).bitPattern)
        let again = try Importer.importText(
            text, format: .json, source: "export.json", options: ImportOptions(), into: store)
        #expect(again.outcomes == [.unchanged])
    }

    /// A JSON Lines file with run IDs but no created_at, imported twice, is "unchanged" the
    /// second time: the times, host and version the importer filled in are not compared.
    @Test func jsonLinesWithoutTimesImportTwiceAsUnchanged() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let text = """
            {"run": {"id": "\(Self.first)", "experiment": "resnet", "config": {"seed": 1}, "tags": {"who": "ana"}}}
            {"t": 0, "test_mse": 0.3, "accuracy": 0.9}
            {"t": 1, "test_mse": 0.2, "accuracy": 0.95}
            {"run": {"id": "\(Self.second)"}}
            {"t": 0, "loss": 1}
            """
        let options = ImportOptions(tags: [Tag(key: "source", value: "pytorch")], note: "batch 1")
        let now = Timestamp(iso8601: "2026-11-30T08:00:00Z")!
        func read(at time: Timestamp) throws -> [CompleteRun] {
            try ImportReader.read(text, format: .jsonl, source: "runs.jsonl", options: options, now: time)
        }
        let first = try Importer.record(read(at: now), into: store)
        #expect(first.outcomes == [.inserted, .inserted])
        let before = try StoreSnapshot(store)
        let again = try Importer.record(read(at: now.adding(seconds: 3600)), into: store)
        #expect(again.outcomes == [.unchanged, .unchanged])
        #expect(
            again.runs[0].run.endedAt != before.runs.first { $0.id == Self.first }?.endedAt,
            "the times filled in differ")
        #expect(try StoreSnapshot(store).isIdentical(to: before))
        let stored = try store.run(id: Self.first)
        #expect(
            stored.tags == [Tag(key: "source", value: "pytorch"), Tag(key: "who", value: "ana")]
                && stored.note == "batch 1")
        #expect(stored.roundCount == 2 && stored.source == .import && stored.status == .finished)
    }

    /// The same JSON Lines file with one metric changed is a conflict naming the rounds.
    @Test func jsonLinesWithOtherRoundsConflict() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let header = #"{"run": {"id": "\#(Self.first)"}}"#
        _ = try Importer.importText(
            header + "\n" + #"{"t": 0, "loss": 1}"#, format: .jsonl, source: "a.jsonl",
            options: ImportOptions(), into: store)
        let error = storeError {
            _ = try Importer.importText(
                header + "\n" + #"{"t": 0, "loss": 2}"#, format: .jsonl, source: "b.jsonl",
                options: ImportOptions(), into: store)
        }
        #expect(error?.code == .conflict)
        #expect(error?.message == "run \(Self.first) (rounds) is already in \(store.path) with other content")
    }

    /// The stored copy with one thing changed (a round value, a tag, the note, the status,
    /// the spectrum) makes the document a conflict that names the run and what differs, and
    /// leaves the store as it was.
    @Test func aDocumentDifferingInOneThingIsAConflict() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let original = Self.documentRuns()[0]
        _ = try Importer.importText(
            exportText([original]), format: .json, source: "a.json", options: ImportOptions(), into: store)
        let before = try StoreSnapshot(store)

        var round = original
        round.rounds[1].testMSE = 0.2000000000000001
        var tag = original
        tag.run.tags[1].value = "bo"
        var note = original
        note.run.note = "changed"
        var status = original
        status.run.status = .killed
        var spectrum = original
        spectrum.spectrum!.z0[2] = -0.0
        var noSpectrum = original
        noSpectrum.spectrum = nil
        var extraTag = original
        extraTag.run.tags.append(Tag(key: "zz", value: "1"))
        for (changed, difference) in [
            (round, "rounds"), (tag, "tags"), (note, "note"), (status, "status"),
            (spectrum, "spectrum"), (noSpectrum, "spectrum"), (extraTag, "tags"),
        ] {
            let error = storeError {
                _ = try Importer.importText(
                    exportText([changed]), format: .json, source: "b.json", options: ImportOptions(),
                    into: store)
            }
            #expect(error?.code == .conflict, "\(difference)")
            #expect(
                error?.message == "run \(Self.first) (\(difference)) is already in \(store.path) with other content")
        }
        #expect(try StoreSnapshot(store).isIdentical(to: before))
    }

    /// Several differences are all named.
    @Test func aConflictNamesEveryDifference() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let original = Self.documentRuns()
        _ = try Importer.importText(
            exportText(original), format: .json, source: "a.json", options: ImportOptions(), into: store)
        var changed = original
        changed[0].run.note = nil
        changed[0].run.host = "elsewhere"
        changed[1].run.experiment = "renamed"
        let error = storeError {
            _ = try Importer.importText(
                exportText(changed), format: .json, source: "b.json", options: ImportOptions(), into: store)
        }
        #expect(error?.code == .conflict)
        #expect(
            error?.message == "2 runs are already in \(store.path) with other content: "
                + "\(Self.first) (host, note); \(Self.second) (experiment)")
    }

    /// An import of a new run and a conflicting one writes nothing, not even the new run.
    @Test func aConflictWritesNothingOfTheImport() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let original = Self.documentRuns()[0]
        _ = try Importer.importText(
            exportText([original]), format: .json, source: "a.json", options: ImportOptions(), into: store)
        let before = try StoreSnapshot(store)
        var conflicting = original
        conflicting.run.note = "changed"
        let new = documentRun(id: Self.second)
        let error = storeError {
            _ = try Importer.importText(
                exportText([new, conflicting]), format: .json, source: "b.json", options: ImportOptions(),
                into: store)
        }
        #expect(error?.code == .conflict && error?.message.contains(Self.first) == true)
        #expect(try StoreSnapshot(store).isIdentical(to: before))
        #expect(try store.runs().map(\.id) == [Self.first])
        #expect(throws: StoreError.self) { try store.run(id: Self.second) }
    }

    /// A document that names one run twice is refused, and nothing is written.
    @Test func aRunGivenTwiceIsRefused() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let run = documentRun(id: Self.first)
        let error = storeError {
            _ = try Importer.importText(
                exportText([run, run]), format: .json, source: "a.json", options: ImportOptions(), into: store)
        }
        #expect(error?.code == .invalidRecord && error?.message == "run \(Self.first) is given twice")
        #expect(try store.runs().isEmpty)
    }

    /// A bad tag from the options is refused by the store, before anything is written.
    @Test func aBadOptionTagWritesNothing() throws {
        let store = try temporaryStore()
        defer { removeStore(store) }
        let error = storeError {
            _ = try Importer.importText(
                #"{"t": 0}"#, format: .jsonl, source: "a.jsonl",
                options: ImportOptions(tags: [Tag(key: "a b", value: "x")]), into: store)
        }
        #expect(error?.code == .invalidTag)
        #expect(try store.runs().isEmpty)
    }
}

/// Runs recorded in one store, exported, imported into another and exported again.
@Suite struct TwoStoreTests {
    /// Records in `store` a finished run (with a spectrum), a failed run, a killed run and a
    /// run imported from JSON Lines, with tags and notes; returns their IDs.
    static func recordRuns(in store: RunStore) throws -> [String] {
        var config = RunConfig()
        config.dataset = "toy"
        config.k = 3
        config.kernel = "rbf"
        config.gamma = 80
        config.mode = "eps"
        config.eps = 0.01
        config.seed = 4
        func running(_ id: String, createdAt: Timestamp) -> RunRecord {
            var run = RunRecord(
                id: id, experiment: "sweep", status: .running, source: .sdtrack, createdAt: createdAt,
                host: RunLiveness.currentHost, pid: Int(ProcessInfo.processInfo.processIdentifier),
                sdtrackVersion: sdtrackVersion,
                configJSON: #"{"seed":4,"dataset":"toy","kernel":{"name":"rbf","gamma":80},"K":3}"#,
                config: config)
            run.startedAt = createdAt
            return run
        }
        var random = TestRandom(seed: 7)
        func value() -> Double { Double(random.next() % 1_000_000) / 999_983 + 1e-9 * Double(random.next() % 1000) }
        let now = Timestamp.now()

        let finished = try LiveRun(
            store: store, run: running("3f2a8c1e-0000-4000-8000-00000000b001", createdAt: now.adding(seconds: -40)))
        try finished.record(
            SpectrumRecord(d: [3, 1.5, 0.1 + 0.2, subnormal], z0: [1, -0.5, 0.25, -1e300], zeroTolerance: 1e-15))
        for t in 0..<5 {
            try finished.record(
                RoundRecord(
                    t: t, c: value(), r: value(), targetNorm: value(), trainMSE: value(),
                    targetMSE: value(), testMSE: value(), truthMSE: value(), df: value(),
                    gcv: value(), rkhsNorm: value()))
        }
        var summary = RunSummary()
        summary.r0 = 2.5
        summary.kappa = 30
        summary.collapseRound = 4
        summary.boundLower = 2
        summary.boundUpper = 45
        summary.boundsHeld = true
        summary.checksHeld = true
        try finished.finish(summary: summary)
        try store.update(
            runID: finished.id, tags: [Tag(key: "sweep", value: "eps"), Tag(key: "who", value: "ana")],
            note: "the good one")

        let failed = try LiveRun(
            store: store, run: running("3f2a8c1e-0000-4000-8000-00000000b002", createdAt: now.adding(seconds: -30)))
        try failed.record(RoundRecord(t: 0, c: value(), trainMSE: value()))
        try failed.fail(error: "eps 0.01 is infeasible: \"c\" has no root", summary: RunSummary())
        try store.update(runID: failed.id, tags: [Tag(key: "why", value: "eps too small")], note: nil)

        var killed = running("3f2a8c1e-0000-4000-8000-00000000b003", createdAt: now.adding(seconds: -20))
        killed.status = .killed
        killed.host = "another-host"
        killed.pid = 12345
        killed.heartbeatAt = now.adding(seconds: -10)
        try store.importRuns([
            CompleteRun(run: killed, rounds: [RoundRecord(t: 0, c: value()), RoundRecord(t: 1, c: value())])
        ])

        let jsonLines = """
            {"run": {"id": "3f2a8c1e-0000-4000-8000-00000000b004", "experiment": "resnet", "config": {"model": \
            "resnet18", "seed": 0}, "created_at": "2026-11-29T08:00:00Z", "tags": {"who": "bo"}}}
            {"t": 0, "test_mse": 0.031, "accuracy": 0.912}
            {"t": 2, "test_mse": 0.030}
            """
        let imported = try Importer.importText(
            jsonLines, format: .jsonl, source: "runs.jsonl",
            options: ImportOptions(
                tags: [Tag(key: "source", value: "pytorch")],
                note: "imported"), into: store)
        #expect(imported.outcomes == [.inserted])
        return try store.runs().map(\.id)
    }

    /// Store A's runs exported, imported into an empty store B and exported from B give the
    /// identical text; both exports imported back into A change nothing.
    @Test func exportImportExportIsIdentical() throws {
        let a = try temporaryStore(), b = try temporaryStore()
        defer {
            removeStore(a)
            removeStore(b)
        }
        let ids = try Self.recordRuns(in: a)
        #expect(ids.count == 4)
        let statuses = try a.runs().map(\.status)
        #expect(Set(statuses) == [.finished, .failed, .killed])
        let fromA = exportText(try a.completeRuns(ids: ids))

        let result = try Importer.importText(fromA, format: .json, source: "a.json", options: ImportOptions(), into: b)
        #expect(result.outcomes == Array(repeating: .inserted, count: 4))
        let fromB = exportText(try b.completeRuns(ids: ids))
        #expect(fromB == fromA)
        #expect(try b.runs().map(\.id) == ids)

        let before = try StoreSnapshot(a)
        let back = try Importer.importText(fromB, format: .json, source: "b.json", options: ImportOptions(), into: a)
        #expect(back.outcomes == Array(repeating: .unchanged, count: 4))
        #expect(try StoreSnapshot(a).isIdentical(to: before))
    }

    /// A run still stored as running whose process is gone reads, and is exported, as killed;
    /// that export imported back into the same store is "unchanged", not a conflict.
    @Test func aRunThatReadsAsKilledImportsBackAsUnchanged() throws {
        let a = try temporaryStore()
        defer { removeStore(a) }
        var run = documentRun(id: "3f2a8c1e-0000-4000-8000-00000000c001", status: .running).run
        run.host = "another-host"
        run.roundCount = 0
        run.heartbeatAt = Timestamp.now().adding(seconds: -(RunLiveness.staleAfter + 60))
        try a.insert(run)
        #expect(try a.run(id: run.id).status == .killed)
        let text = exportText(try a.completeRuns(ids: [run.id]))
        #expect(text.contains(#""status":"killed""#))
        let again = try Importer.importText(text, format: .json, source: "a.json", options: ImportOptions(), into: a)
        #expect(again.outcomes == [.unchanged])
    }
}
