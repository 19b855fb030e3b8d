import Foundation
import SDStore
import SDTestSupport

/// A finished run as an import would bring it: a configuration JSON, its columns, and a time
/// `minute` minutes after a fixed start (so that "oldest first" is the order of `minute`).
func finishedRun(
    id: String, config: String, minute: Int, experiment: String = "default", eps: Double? = nil,
    collapse: Int? = nil, boundsHeld: Bool? = nil, zeroTest: Double? = nil, zeroTrain: Double? = nil,
    tags: [SDStore.Tag] = []
) -> RunRecord {
    var columns = RunConfig()
    columns.dataset = "toy"
    columns.k = 11
    columns.testSize = 0
    columns.kernel = "rbf"
    columns.gamma = 80
    columns.mode = "eps"
    columns.eps = eps
    let created = Timestamp(millisecondsSince1970: 1_795_000_000_000 + Int64(minute) * 60_000)
    var run = RunRecord(
        id: id, experiment: experiment, status: .finished, source: .import, createdAt: created,
        host: "test-host", pid: nil, sdtrackVersion: "test", configJSON: config, config: columns,
        tags: tags)
    run.startedAt = created
    run.endedAt = created.adding(seconds: 1)
    run.summary.collapseRound = collapse
    run.summary.boundsHeld = boundsHeld
    run.zeroPredictor = ZeroPredictorErrors(trainMSE: zeroTrain, testMSE: zeroTest)
    return run
}

/// Rounds t = 0, 1, ... with the given test MSE and GCV (nil: none).
func rounds(test: [Double?], gcv: [Double?] = []) -> [RoundRecord] {
    (0..<max(test.count, gcv.count)).map { t in
        RoundRecord(t: t, testMSE: t < test.count ? test[t] : nil, gcv: t < gcv.count ? gcv[t] : nil)
    }
}

/// A store in a fresh folder; the caller removes the folder.
func freshStore() throws -> (store: RunStore, folder: URL) {
    let folder = try temporaryFolder()
    return (try RunStore(path: folder.appendingPathComponent("runs.db").path, create: true), folder)
}

/// The cells of one line of a `TextTable`: columns are two or more spaces apart.
func cells(_ line: String) -> [String] {
    line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
