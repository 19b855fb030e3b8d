import Foundation
import SDTestSupport
import Testing

/// A recorded run keeps how its spectrum was computed (schema v008), and a low-rank run's
/// r + 1 spectrum components are shown for its K points, not as K = r + 1.
@Suite struct SolverRecordTests {
    @Test func aLowRankRunRecordsItsSolverAndIsShownWithItsK() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try sdtrack(
            [
                "run", "--db", "runs.db", "--data", "sine", "--n", "1500", "--test-fraction", "0.2", "--kernel", "rbf",
                "--json",
            ], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(try run.jsonObject()["run_id"] as? String)
        let record = try sdtrack(["runs", "show", id, "--db", "runs.db", "--json"], in: folder).jsonObject()
        #expect(record["solver"] as? String == "low-rank")
        let rank = try #require(record["solver_rank"] as? Int)
        #expect(rank > 0 && rank < 100)
        #expect((record["solver_error_bound"] as? Double).map { $0 > 0 && $0 < 1e-14 } == true)
        #expect((record["c_sensitivity"] as? Double).map { $0 >= 0 && $0 < 1e-6 } == true)
        #expect(record["blas_core"] is String && record["blas_threads"] is Int)

        let text = try sdtrack(["runs", "show", id, "--db", "runs.db"], in: folder).stdout
        #expect(text.contains("solver      low-rank, \(rank) eigenvalues resolved"), "\(text)")
        #expect(text.contains("components for K = 1200 (low rank"), "\(text)")
        let figure = try sdtrack(["plot", "spectrum", id, "--db", "runs.db", "--json"], in: folder).jsonObject()
        let notes = try #require(figure["notes"] as? [String])
        #expect(
            notes.first?.hasPrefix("K = 1200; ") == true && notes.contains { $0.hasPrefix("low rank:") }, "\(notes)")
    }
}
