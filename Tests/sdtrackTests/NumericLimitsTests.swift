import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// Inputs beyond what double precision can compute with: each is one `Error:` line and exit 1
/// (they used to trap in CollapseBounds or ConstraintRoot, or fail in SQLite), and a recorded
/// run is stored failed with the reason.
@Suite struct NumericLimitsTests {
    let folder: URL

    init() throws {
        folder = try temporaryFolder()
        try write("x,y\n1,0.5\n2,1.5\n3,-1\n", to: "labels.csv", in: folder)
        try write("x,y\n1,1e300\n2,2e300\n3,-1e300\n", to: "huge-labels.csv", in: folder)
        try write("x,y\n1e154,1\n2e154,2\n3e154,3\n", to: "huge-features.csv", in: folder)
        try write("a,b,y\n1,0,1\n0,1,2\n", to: "two.csv", in: folder)
        try write("a,b,y\n1e200,0,1\n", to: "far.csv", in: folder)
    }

    static let cases: [(arguments: [String], message: String)] = [
        (["--eps", "1e-320"], "below the smallest normal double"),
        (["--eps", "1e-100"], "too small for these data"),
        (["--data", "sine", "--noise", "1e308"], "label is beyond double range"),
        (["--data", "huge-labels.csv", "--eps-rel", "0.1"], "mean square is beyond double range"),
        (["--data", "huge-features.csv", "--kernel", "linear", "--eps-rel", "0.1"], "Gram matrix overflowed"),
        (["--data", "huge-features.csv", "--kernel", "polynomial", "--eps-rel", "0.1"], "Gram matrix overflowed"),
        (["--data", "huge-features.csv", "--kernel", "ntk", "--eps-rel", "0.1"], "Gram matrix overflowed"),
        (["--data", "two.csv", "--test", "far.csv", "--kernel", "linear"], "held-out error is beyond double range"),
    ]

    @Test(arguments: cases.indices)
    func anInputBeyondDoublePrecisionIsOneErrorAndAFailedRun(index: Int) throws {
        let (arguments, message) = Self.cases[index]
        let result = try sdtrack(["run", "--db", "runs.db"] + arguments, in: folder)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        // Data refused as it loads leave no run; the others are stored failed with the reason.
        let path = folder.appendingPathComponent("runs.db").path
        let runs = FileManager.default.fileExists(atPath: path) ? try RunStore(path: path, create: false).runs() : []
        #expect(runs.count <= 1 && runs.allSatisfy { $0.status == .failed && $0.error?.contains(message) == true })
        if arguments.contains("--kernel") || arguments.first == "--eps" { #expect(runs.count == 1) }
    }

    /// A huge eps with ordinary labels is simply a run that collapses at once.
    @Test func aHugeEpsCollapsesAtRoundZero() throws {
        let result = try sdtrack(["run", "--no-record", "--data", "labels.csv", "--eps", "1e300"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
    }
}

/// A run whose recording fails part way is computed and printed to its end all the same, and
/// stored failed with the reason: never left `running` to read as killed later.
@Suite struct RecordingFailureTests {
    @Test func aRoundTheDatabaseRefusesEndsTheRunFailedAndTheResultsArePrinted() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try sdtrack(["run", "--db", "runs.db", "--rounds", "1"], in: folder).status == 0)
        let path = folder.appendingPathComponent("runs.db").path
        // As a full disk or a constraint would: the third round of the next run cannot be written.
        try SQLiteConnection(path: path, mode: .existing).execute(
            """
            CREATE TRIGGER refuse_round BEFORE INSERT ON rounds WHEN NEW.t = 2
            BEGIN SELECT RAISE(ABORT, 'no room for round 2'); END;
            """)
        let result = try sdtrack(["run", "--db", "runs.db", "--gamma", "80", "--eps", "0.01"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("collapse") && result.stdout.contains("only in part"), "\(result.stdout)")
        #expect(
            result.stderr.hasPrefix("Error: the run was computed (above) but its recording failed: ")
                && result.stderr.contains("no room for round 2"), "\(result.stderr)")
        let run = try RunStore(path: path, create: false).runs().first { $0.roundCount == 2 }
        #expect(run?.status == .failed && run?.error?.hasPrefix("recording failed: ") == true)
    }
}

/// eps a hair above the feasibility limit: c_t is not determined there. The run says so and
/// is stored with the warning.
@Suite struct FeasibilityLimitTests {
    @Test func epsAtTheFeasibilityLimitWarnsAndIsStoredWithTheWarning() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The toy data with a cubic polynomial kernel cannot fit closer than eps = 0.06077.
        let result = try sdtrack(
            ["run", "--db", "runs.db", "--data", "toy", "--kernel", "polynomial", "--eps", "0.06078"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("warning   eps 0.06078 is within 0.01"), "\(result.stdout)")
        let runs = try RunStore(path: folder.appendingPathComponent("runs.db").path, create: false).runs()
        #expect(runs.first?.summary.warning?.contains("not determined to 1e-6") == true)
        let json = try sdtrack(["run", "--no-record", "--data", "toy", "--eps", "0.01", "--json"], in: folder)
        #expect(try json.jsonObject()["warning"] is NSNull)
    }
}

/// K = 200,000 with a kernel of full numerical rank: `auto` tries the low-rank path, which gives
/// up within a few dozen columns, and the dense path's memory (298 GiB) is refused in one line
/// that says both, before any Gram matrix is built.
@Suite struct LargeProblemTests {
    @Test func aFullRankKernelTooLargeForMemoryIsRefusedSayingWhy() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try sdtrack(
            ["run", "--no-record", "--data", "sine", "--n", "200000", "--kernel", "laplacian"], in: folder)
        #expect(result.status == 1, "\(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errors.count == 1 && errors[0].contains("of memory to decompose"), "\(result.stderr)")
        #expect(errors.first?.contains("the low-rank path gave up after") == true, "\(result.stderr)")
    }
}
