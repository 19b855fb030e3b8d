import Foundation
import SDDocuments
import SDJSON
import SDStore

/// Runs as a client's database has them: recorded through the store as `sdtrack run` records them
/// (row, spectrum, rounds, end), read back whole, and turned into push documents.
struct ClientRuns {
    let folder: URL
    let store: RunStore

    init() throws {
        folder = try temporaryFolder()
        store = try RunStore(path: folder.appendingPathComponent("client.db").path, create: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// A finished run of the toy configuration with `seed`: four rounds whose GCV is smallest at
    /// round 1 (shifted a little by the seed), and a spectrum.
    @discardableResult
    func record(seed: Int, experiment: String = "sync-test", tags: [Tag] = []) throws -> CompleteRun {
        var config = RunConfig()
        config.dataset = "toy"
        config.k = 3
        config.kernel = "rbf"
        config.gamma = 80
        config.mode = "eps"
        config.eps = 0.01
        config.seed = seed
        let id = UUID().uuidString.lowercased()
        let created = Timestamp(millisecondsSince1970: 1_780_000_000_000 + Int64(seed) * 1000)
        var run = RunRecord(
            id: id, experiment: experiment, status: .running, source: .sdtrack, createdAt: created,
            host: "client-host", pid: 4242, sdtrackVersion: sdtrackVersion,
            configJSON:
                #"{"dataset":"toy","eps":0.01,"kernel":{"gamma":80,"name":"rbf"},"mode":"eps","seed":\#(seed)}"#,
            config: config, tags: tags)
        run.startedAt = created
        run.heartbeatAt = created
        try store.insert(run)
        try store.record(
            SpectrumRecord(d: [3, 2, 1], z0: [0.5, -0.25, 0.125], zeroTolerance: 1e-12), runID: id)
        let jitter = Double(seed) * 0.001
        for (t, gcv) in [0.5, 0.3, 0.4, 0.6].enumerated() {
            try store.record(
                RoundRecord(
                    t: t, c: 0.01 * Double(t + 1), r: 5 - Double(t), trainMSE: 0.01 * Double(t + 1),
                    truthMSE: gcv / 2 + jitter, df: 3 - Double(t) * 0.5, gcv: gcv + jitter,
                    rkhsNorm: 1 / Double(t + 1)),
                runID: id, at: created.adding(seconds: Double(t + 1)))
        }
        try store.end(runID: id, status: .finished, summary: RunSummary(), at: created.adding(seconds: 10))
        return try store.completeRuns(ids: [id])[0]
    }
}

/// An `sdtrack.push/1` body of these runs, as a client sends it.
func pushBody(_ runs: [CompleteRun]) -> JSONValue {
    .object([
        ("format", .string("sdtrack.push/1")),
        ("items", .array(runs.map { .object([("run", .object(RunDocument.fields(of: $0)))]) })),
    ])
}

/// An `sdtrack.push/1` body of raw items.
func pushBody(items: [JSONValue]) -> JSONValue {
    .object([("format", .string("sdtrack.push/1")), ("items", .array(items))])
}

/// The outcomes of a push-result document, in order.
func outcomes(_ answer: HTTPAnswer) -> [String] {
    guard case .array(let results)? = answer.json?["results"] else { return [] }
    return results.map { $0["outcome"]?.stringValue ?? "?" }
}

/// What `print(value.serialized())` writes: the command line's `--json` output.
func printed(_ value: JSONValue) -> String { value.serialized() + "\n" }
