import Foundation
import SDSchema
import SDTestSupport
import Testing

@testable import SDStore

/// The curves table (v004): a finished run's metrics, one float64 blob per metric, equal to
/// its rows in `rounds` and `round_metrics`; written when a run finishes or is imported, and
/// filled in for older runs when a file is upgraded.
@Suite struct CurvesTests {
    let path: String

    init() throws {
        path = try temporaryFolder().appendingPathComponent("curves.db").path
    }

    /// metric -> values, read back from the blobs without RoundTable.
    static func curves(_ connection: SQLiteConnection, runID: String) throws -> [String: [Double]] {
        var result = [String: [Double]]()
        try connection.forEachRow("SELECT metric, curve FROM curves WHERE run_id = ?", [.text(runID)]) { row in
            result[row.string(0)!] = Float64Blob.decode(row.bytes(1)!)
        }
        return result
    }

    /// Equal element by element, NaN equal to NaN.
    static func same(_ a: [Double]?, _ b: [Double]) -> Bool {
        guard let a, a.count == b.count else { return false }
        return zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test func finishingARunWritesItsCurvesFromItsRounds() throws {
        let store = try RunStore(path: path, create: true)
        let live = try LiveRun(store: store, run: sampleRun())
        try live.record(RoundRecord(t: 0, c: 0.1, trainMSE: 0.01, gcv: 0.2))
        try live.record(RoundRecord(t: 1, c: 0.2, gcv: 0.3))
        try live.record(RoundRecord(t: 2, c: 0.4, trainMSE: 0.05))
        #expect(try Self.curves(store.database.connection, runID: live.id).isEmpty, "a running run has none")
        try live.finish(summary: RunSummary())

        let curves = try Self.curves(store.database.connection, runID: live.id)
        #expect(Set(curves.keys) == ["c", "train_mse", "gcv"], "metrics without any value have no curve")
        #expect(curves["c"] == [0.1, 0.2, 0.4])
        #expect(Self.same(curves["train_mse"], [0.01, .nan, 0.05]))
        #expect(curves["gcv"] == [0.2, 0.3], "a curve runs until its last value")

        let failed = try LiveRun(store: store, run: sampleRun())
        try failed.record(RoundRecord(t: 0, gcv: 1))
        try failed.fail(error: "stopped", summary: RunSummary())
        #expect(try Self.curves(store.database.connection, runID: failed.id).isEmpty, "only finished runs have curves")
    }

    @Test func importsHaveCurvesOfImportedMetricsAndDeletingARunDeletesThem() throws {
        let store = try RunStore(path: path, create: true)
        let run = sampleRun(status: .finished)
        try store.insertComplete(
            run,
            rounds: [
                RoundRecord(t: 0, testMSE: 2, extra: ["accuracy": 0.5]),
                RoundRecord(t: 1, testMSE: 1, extra: ["accuracy": 0.75]),
            ])
        let curves = try Self.curves(store.database.connection, runID: run.id)
        #expect(curves == ["test_mse": [2, 1], "accuracy": [0.5, 0.75]])
        try store.delete(runIDs: [run.id])
        #expect(try store.database.connection.scalar("SELECT count(*) FROM curves") == .integer(0))
    }

    /// Runs with values missing at random: what queries read from `curves` is what `rounds`
    /// and `round_metrics` hold, round by round, for every run and metric.
    @Test func curvesReadBackAsTheRoundsHoldThem() throws {
        let store = try RunStore(path: path, create: true)
        var generator = TestRandom(seed: 7)
        func maybe(_ value: Double) -> Double? { Bool.random(using: &generator) ? value : nil }
        for _ in 0..<30 {
            let rounds = (0..<Int.random(in: 1...12, using: &generator)).map { t in
                RoundRecord(
                    t: t, c: maybe(Double(t) + 0.5), testMSE: maybe(1 / Double(t + 1)), gcv: maybe(Double(t) * 0.1),
                    extra: maybe(0.9).map { ["accuracy": $0] } ?? [:])
            }
            try store.insertComplete(sampleRun(status: .finished), rounds: rounds)
        }
        let metrics = ["accuracy", "c", "gcv", "test_mse", "df"]
        let curves = try RoundTable.curves(store.database.connection, metrics: metrics)
        let runs = try store.runs(matching: RunFilter(limit: nil))
        #expect(runs.count == 30)
        for run in runs {
            let rounds = try store.rounds(runID: run.id)  // RunStore's own read of the rounds
            for (index, metric) in metrics.enumerated() {
                var expected = [Double](repeating: .nan, count: rounds.count)
                for round in rounds {
                    let value = round[metricNamed: metric]
                    expected[round.t] = value ?? .nan
                }
                while expected.last?.isNaN == true { expected.removeLast() }  // a curve ends at its last value
                let stored = curves.rows[run.id].map { Array(curves.values(metricIndex: index, row: $0)) } ?? []
                #expect(Self.same(stored, expected), "\(run.id) \(metric)")
            }
        }
    }

    /// A file from before v004 gets the curves of its finished runs when it is opened.
    @Test func upgradeFillsInTheCurvesOfRunsFinishedBefore() throws {
        let old = try Database(path: path, create: true, migrations: Array(Schema.migrations.prefix(3).map(\.sql)))
        for (id, status) in [("a", "finished"), ("b", "running")] {
            try old.connection.run(
                """
                INSERT INTO runs (run_id, status, source, created_at, host, sdtrack_version, config_json)
                VALUES (?, ?, 'sdtrack', '2026-01-01T00:00:00.000Z', 'h', '0.2.0', '{}')
                """, [.text(id), .text(status)])
            for (t, gcv) in [(0, 0.5), (1, 0.25)] {
                try old.connection.run(
                    "INSERT INTO rounds (run_id, t, gcv) VALUES (?, ?, ?)", [.text(id), .integer(t), .real(gcv)])
                try old.connection.run(
                    "INSERT INTO round_metrics (run_id, t, name, value) VALUES (?, ?, 'loss', ?)",
                    [.text(id), .integer(t), .real(gcv * 2)])
            }
        }
        let upgraded = try Database(path: path, create: false)
        #expect(try Self.curves(upgraded.connection, runID: "a") == ["gcv": [0.5, 0.25], "loss": [1, 0.5]])
        #expect(try Self.curves(upgraded.connection, runID: "b").isEmpty)
    }
}
