import Foundation
import SDDocuments
import SDJSON
import SDStore
import SDTestSupport
import Testing

/// SDStore's tag, not Swift Testing's.
typealias Tag = SDStore.Tag

/// The smallest subnormal double, 5e-324 (a literal of it draws an underflow warning).
let subnormal = Double.leastNonzeroMagnitude

let recordedTime = Timestamp(millisecondsSince1970: 1_795_000_000_123)

/// A finished run as an sdtrack document carries it: its own times, host, pid and version,
/// a configuration, rounds and a spectrum.
func documentRun(
    id: String, status: RunStatus = .finished, note: String? = nil, tags: [Tag] = [],
    rounds: [RoundRecord] = [
        RoundRecord(t: 0, c: 0.5, trainMSE: 0.25, testMSE: 0.3, df: 4, gcv: 0.4),
        RoundRecord(
            t: 1, c: 0.75, trainMSE: 0.125, testMSE: 0.2, df: 3, gcv: 0.35,
            extra: ["accuracy": 0.9]),
    ],
    spectrum: SpectrumRecord? = SpectrumRecord(d: [2, 1, 0.5], z0: [1, -0.5, 0.25], zeroTolerance: 1e-15)
)
    -> CompleteRun
{
    var config = RunConfig()
    config.dataset = "toy"
    config.k = 3
    config.kernel = "rbf"
    config.gamma = 80
    config.mode = "eps"
    config.eps = 0.01
    config.seed = 0
    var run = RunRecord(
        id: id, experiment: "documented", status: status, source: .sdtrack, createdAt: recordedTime,
        host: "lab-1", pid: 99, sdtrackVersion: "0.2.9",
        configJSON: #"{"K":3,"dataset":"toy","eps":0.01,"kernel":{"gamma":80,"name":"rbf"},"seed":0}"#,
        config: config, note: note, tags: tags)
    run.startedAt = recordedTime.adding(seconds: 1)
    run.endedAt = recordedTime.adding(seconds: 9)
    run.heartbeatAt = run.endedAt
    run.summary.collapseRound = 5
    run.summary.r0 = 2.5
    run.roundCount = rounds.count
    return CompleteRun(run: run, rounds: rounds, spectrum: spectrum)
}

/// The text of an sdtrack.export/1 document of `runs`.
func exportText(_ runs: [CompleteRun]) -> String { RunDocument.export(runs).serialized() }

/// Everything a store holds, to compare before and after an import that must change nothing.
struct StoreSnapshot {
    let runs: [RunRecord]
    let rounds: [[RoundRecord]]
    let spectra: [SpectrumRecord?]

    init(_ store: RunStore) throws {
        runs = try store.runs()
        rounds = try runs.map { try store.rounds(runID: $0.id) }
        spectra = try runs.map { try store.spectrum(runID: $0.id) }
    }

    /// The same runs, rounds bit for bit and spectra bit for bit.
    func isIdentical(to other: StoreSnapshot) -> Bool {
        runs == other.runs && rounds.count == other.rounds.count
            && zip(rounds, other.rounds).allSatisfy { a, b in
                a.count == b.count && zip(a, b).allSatisfy { $0.isIdentical(to: $1) }
            }
            && spectra.count == other.spectra.count
            && zip(spectra, other.spectra).allSatisfy { a, b in
                switch (a, b) {
                case (nil, nil): true
                case (let a?, let b?): a.isIdentical(to: b)
                default: false
                }
            }
    }
}

/// A fresh store in a fresh folder; the folder is removed by `removeStore`.
func temporaryStore() throws -> RunStore {
    let folder = try temporaryFolder()
    return try RunStore(path: folder.appendingPathComponent("runs.db").path, create: true)
}

func removeStore(_ store: RunStore) {
    try? FileManager.default.removeItem(at: URL(fileURLWithPath: store.path).deletingLastPathComponent())
}

/// The StoreError an import throws; nil (and an issue) when it succeeds or throws another error.
func storeError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> StoreError? {
    do {
        try body()
        Issue.record("the import succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("not a StoreError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
