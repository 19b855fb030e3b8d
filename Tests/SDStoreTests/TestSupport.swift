import Foundation
import SDTestSupport

@testable import SDStore

/// A run record with everything a real sdtrack run fills in.
func sampleRun(
    id: String = UUID().uuidString.lowercased(), experiment: String = "default", createdAt: Timestamp = .now(),
    status: RunStatus = .running, pid: Int? = Int(ProcessInfo.processInfo.processIdentifier)
) -> RunRecord {
    var config = RunConfig()
    config.dataset = "toy"
    config.dataSHA256 = String(repeating: "ab", count: 32)
    config.k = 11
    config.testSize = 0
    config.kernel = "rbf"
    config.gamma = 80
    config.mode = "eps"
    config.eps = 0.01
    config.seed = 0
    var run = RunRecord(
        id: id, experiment: experiment, status: status, source: .sdtrack, createdAt: createdAt,
        host: RunLiveness.currentHost, pid: pid, sdtrackVersion: "test",
        configJSON: #"{"dataset":"toy"}"#, config: config)
    run.startedAt = createdAt
    run.heartbeatAt = createdAt
    return run
}

extension RunStore {
    /// Stores one whole run, as an import does.
    func insertComplete(_ run: RunRecord, rounds: [RoundRecord], spectrum: SpectrumRecord? = nil) throws {
        try importRuns([CompleteRun(run: run, rounds: rounds, spectrum: spectrum)])
    }
}
