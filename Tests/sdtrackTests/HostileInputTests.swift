import Foundation
import SDStore
import SDTestSupport
import Testing

/// Inputs found to crash or quietly change data during the review of 0.3.0: each is one
/// `Error:` line and a non-zero exit, or works, and the database is as it was.
@Suite struct HostileInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        var files: [String: String] = [:]
        var status: Int32 = 1
        let message: String
        var testDescription: String { label }
    }

    static let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)

    static let cases: [Case] = [
        Case(
            label: "a huge t in JSON Lines", arguments: ["import", "t.jsonl"],
            files: ["t.jsonl": #"{"t": 999999999, "loss": 1}"#],
            message: "t.jsonl line 1: t must be a round number 0, 1, 2, ... 999999, got 999999999"),
        Case(
            label: "deeply nested JSON", arguments: ["import", "deep.json"], files: ["deep.json": deep],
            message: "deep.json is not JSON: line 1, column 129: expected at most 128 nested arrays and objects"),
        Case(
            label: "a number beyond a double in a configuration", arguments: ["import", "big.jsonl"],
            files: ["big.jsonl": #"{"run": {"config": {"lr": 1e400}}}"# + "\n" + #"{"t": 0}"#],
            message: "big.jsonl line 1: config has a number beyond a double's range"),
        Case(
            label: "a huge age", arguments: ["runs", "list", "--since", "1e13d"], status: 64,
            message: "--since '1e13d' is not a time"),
        Case(
            label: "an age of a billion days", arguments: ["runs", "list", "--since", "1000000000d"], status: 64,
            message: "--since '1000000000d' is further back than sdtrack counts"),
        Case(
            label: "an age of a billion days in a query",
            arguments: ["query", "best-rounds", "--since", "1000000000d"],
            status: 64, message: "--since '1000000000d' is further back than sdtrack counts"),
        Case(
            label: "an age of a billion days until", arguments: ["query", "best-rounds", "--until", "1000000000d"],
            status: 64, message: "--until '1000000000d' is further back than sdtrack counts"),
        Case(
            label: "a hexadecimal eps", arguments: ["run", "--eps", "0x1p-3"], status: 64,
            message: "The value '0x1p-3' is invalid for '--eps <eps>': a finite decimal number"),
        Case(
            label: "a gamma of nan", arguments: ["run", "--gamma", "nan"], status: 64,
            message: "The value 'nan' is invalid for '--gamma <gamma>': a finite decimal number"),
        Case(
            label: "a hexadecimal age", arguments: ["runs", "list", "--since", "0x10d"], status: 64,
            message: "--since '0x10d' is not a time"),
        Case(
            label: "a configuration key of the wrong kind", arguments: ["import", "r.csv", "--config", "K=ten"],
            files: ["r.csv": "t,loss\n0,1\n"], status: 64, message: "--config K must be a whole number, got \"ten\""),
        Case(
            label: "a tag key given twice", arguments: ["run", "--tag", "a=1", "--tag", "a=2"], status: 64,
            message: "--tag gives the key 'a' twice"),
    ]

    @Test(arguments: cases)
    func refusedWithOneLineAndNoDamage(input: Case) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try sdtrack(["run", "--gamma", "80", "--eps", "0.01"], in: folder).status == 0)
        for (name, text) in input.files { try write(text, to: name, in: folder) }
        let before = try sdtrack(["runs", "export", "--db", "sdtrack.db"] + Self.ids(folder), in: folder).stdout

        let result = try sdtrack(input.arguments, in: folder)
        #expect(result.status == input.status, "\(result.stderr)")
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error: ") && first.contains(input.message), "\(result.stderr)")
        #expect(try sdtrack(["runs", "export"] + Self.ids(folder), in: folder).stdout == before)
    }

    static func ids(_ folder: URL) throws -> [String] {
        try RunStore(path: folder.appendingPathComponent("sdtrack.db").path, create: false).runs().map(\.id)
    }

    /// A tiny eps makes r_0 huge (1e20) and c_t smaller than the rounding of every eigenvalue:
    /// no round changes anything in double precision. The run says so, exits 1, and is stored
    /// failed with the reason (it used to run to its cap with identical, meaningless rounds).
    @Test func aTinyEpsFailsSayingWhy() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try sdtrack(["run", "--gamma", "80", "--eps", "1e-40", "--rounds", "3", "--json"], in: folder)
        #expect(result.status == 1 && result.stdout.isEmpty, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: round 0: c_t = ") && result.stderr.contains("give a larger eps"))
        let runs = try RunStore(path: folder.appendingPathComponent("sdtrack.db").path, create: false).runs()
        #expect(runs.count == 1 && runs[0].status == .failed && runs[0].roundCount == 0)
        #expect(runs[0].error?.contains("too small for these data") == true)
    }

    /// Text with NUL characters, a -0.0 zero tolerance and a run named twice in `runs export`
    /// all survive export -> import -> export, and a second import is unchanged.
    @Test func awkwardRecordsSurviveTheRoundTrip() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try sdtrack(["run", "--gamma", "80", "--eps", "0.01"], in: folder).status == 0)
        let id = try Self.ids(folder)[0]
        // A NUL cannot come through argv (C strings): a note with one comes in a file.
        #expect(try sdtrack(["runs", "tag", id, "--note", "placeholder"], in: folder).status == 0)
        var export = try sdtrack(["runs", "export", id, String(id.prefix(8))], in: folder).stdout
        #expect(export.components(separatedBy: "\"run_id\"").count == 2, "the run is exported once")
        export = export.replacingOccurrences(of: #""note":"placeholder""#, with: #""note":"a\u0000b""#)
        let tolerance = try #require(export.range(of: #""zero_tolerance":[^}]*"#, options: .regularExpression))
        export.replaceSubrange(tolerance, with: #""zero_tolerance":-0.0"#)
        try write(export, to: "export.json", in: folder)
        for _ in 0..<2 {
            let imported = try sdtrack(["import", "export.json", "--db", "b.db"], in: folder)
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        let again = try sdtrack(["import", "export.json", "--db", "b.db"], in: folder)
        #expect(again.stdout.hasPrefix("unchanged run \(id)"), "\(again.stdout) \(again.stderr)")
        let copied = try sdtrack(["runs", "export", id, "--db", "b.db"], in: folder).stdout
        #expect(copied.contains(#""note":"a\u0000b""#) && copied.contains(#""zero_tolerance":0"#))
    }

    /// A running run is not deleted without --force: the store refuses it for every front end.
    @Test func aRunningRunIsNotDeletedWithoutForce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sdtrack.db").path
        let store = try RunStore(path: path, create: true)
        let live = try LiveRun(
            store: store,
            run: RunRecord(
                id: "0a1b2c3d-0000-4000-8000-000000000001", experiment: "default", status: .running, source: .sdtrack,
                createdAt: .now(), host: RunLiveness.currentHost, pid: Int(getpid()), sdtrackVersion: sdtrackVersion,
                configJSON: "{}", config: RunConfig()))
        let refused = try sdtrack(["runs", "delete", "0a1b"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("Error: run \(live.id) is still running (pid \(getpid()) on "))
        #expect(refused.stderr.hasSuffix("; stop it first, or pass --force\n"))
        #expect(try sdtrack(["runs", "delete", "0a1b", "--force"], in: folder).status == 0)
        #expect(try store.runs().isEmpty)
    }
}
