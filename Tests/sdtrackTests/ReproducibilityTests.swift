import Foundation
import SDTestSupport
import Testing

/// README, "Reproducibility": the same input, build, OpenBLAS core and thread count give
/// byte-identical output, on every solver path (K = 1200 with held-out points, so that
/// OpenBLAS's threads and the rounds computed ahead are both at work).
@Suite struct ReproducibilityTests {
    @Test(arguments: ["auto", "tridiagonal", "eigenvectors", "low-rank"])
    func theSameRunTwiceGivesTheSameBytes(solver: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let kernel = solver == "low-rank" || solver == "auto" ? "rbf" : "laplacian"
        let arguments = [
            "run", "--no-record", "--json", "--data", "sine", "--n", "1500", "--test-fraction", "0.2",
            "--kernel", kernel, "--eps-rel", "0.02", "--solver", solver,
        ]
        let first = try sdtrack(arguments, in: folder), second = try sdtrack(arguments, in: folder)
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)")
        #expect(!first.stdout.isEmpty && first.stdout == second.stdout, "\(solver): two runs differ")
        let record = try first.jsonObject()
        let path = (record["solver"] as? [String: Any])?["path"] as? String
        #expect(path == (solver == "auto" ? "low-rank" : solver))
    }
}
