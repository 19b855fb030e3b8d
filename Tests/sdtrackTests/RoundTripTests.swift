import Foundation
import SDStore
import SDTestSupport
import Testing

/// `runs export` is what `import` reads back: runs recreated in another database exactly, an
/// import repeated changes nothing, and a run with other content is a conflict.
@Suite(.serialized) struct RoundTripTests {
    /// A database with every kind of run: finished with spectra (eps and fixed c, held-out and
    /// truth), failed, killed mid-run, imported from JSON Lines and CSV, with tags and notes.
    static func populatedDatabase(in folder: URL) throws -> [String] {
        let runs: [[String]] = [
            ["run", "--gamma", "80", "--eps", "0.01", "--tag", "sweep=eps", "--note", "the paper's toy run"],
            [
                "run", "--data", "sine", "--n", "60", "--seed", "3", "--test-fraction", "0.25", "--kernel", "ntk",
                "--eps-rel", "0.05", "--experiment", "ntk", "--tag", "a=1", "--tag", "b=two words",
            ],
            [
                "run", "--data", "diabetes", "--standardize", "--kernel", "polynomial", "--fixed-c", "0.05", "--rounds",
                "4",
            ],
            ["run", "--kernel", "linear", "--eps", "0.01", "--note", "infeasible on purpose"],
        ]
        for arguments in runs { _ = try sdtrack(arguments, in: folder) }
        try write(
            """
            {"run": {"experiment": "resnet", "config": {"model": "resnet18", "seed": 1, "lr": 0.1}, "tags": {"who": \
            "ana"}, "note": "pytorch"}}
            {"t": 0, "test_mse": 0.31, "accuracy": 0.912}
            {"t": 1, "test_mse": 0.29, "accuracy": 0.925}
            """, to: "resnet.jsonl", in: folder)
        try write("t,test_mse,loss\n0,0.5,2\n1,,1.5\n3,0.25,\n", to: "gappy.csv", in: folder)
        for file in ["resnet.jsonl", "gappy.csv"] {
            let imported = try sdtrack(["import", file], in: folder)
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        // A run killed while it computes: it reads as killed, with the rounds it committed.
        let path = folder.appendingPathComponent("sdtrack.db").path
        let known = Set(try RunStore(path: path, create: false).runs().map(\.id))
        let process = try sdtrackProcess(CrashAndParallelTests.longRun, in: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let killed = try CrashAndParallelTests.waitForNewRun(path: path, known: known)
        try CrashAndParallelTests.waitForRounds(path: path, runID: killed, count: 5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let stored = try RunStore(path: path, create: false).runs()
        #expect(Set(stored.map(\.status)) == [.finished, .failed, .killed])
        #expect(stored.filter { $0.source == .import }.count == 2 && stored.count == 7)
        return stored.map(\.id)
    }

    @Test func exportImportExportIsIdenticalAndRepeatsChangeNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ids = try Self.populatedDatabase(in: folder)
        let first = try sdtrack(["runs", "export"] + ids, in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        try write(first.stdout, to: "export.json", in: folder)

        let imported = try sdtrack(["import", "export.json", "--db", "other.db", "--json"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(Set(try imported.jsonObject()["imported"] as? [String] ?? []) == Set(ids))
        let second = try sdtrack(["runs", "export", "--db", "other.db"] + ids, in: folder)
        #expect(second.stdout == first.stdout, "the export of the imported runs differs from the original export")
        #expect(!first.stdout.contains(#""spectrum":null,"# + #""t""#))
        #expect(first.stdout.contains(#""status":"killed""#) && first.stdout.contains(#""status":"failed""#))

        // Again: every run unchanged, and nothing in the database moved.
        let again = try sdtrack(["import", "export.json", "--db", "other.db"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.split(separator: "\n").count == ids.count)
        #expect(again.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("unchanged run ") }, "\(again.stdout)")
        #expect(try sdtrack(["runs", "export", "--db", "other.db"] + ids, in: folder).stdout == first.stdout)
        // And into the database it came from.
        let home = try sdtrack(["import", "export.json"], in: folder)
        #expect(
            home.status == 0 && home.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("unchanged run ") },
            "\(home.stdout) \(home.stderr)")
    }

    /// A run already stored with other content is named, with what differs, and nothing of the
    /// import is written.
    @Test func otherContentIsAConflictAndNothingIsWritten() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for arguments in [["run", "--gamma", "80", "--eps", "0.01"], ["run", "--gamma", "80", "--eps", "0.02"]] {
            #expect(try sdtrack(arguments + ["--db", "a.db"], in: folder).status == 0)
        }
        let ids = try RunStore(path: folder.appendingPathComponent("a.db").path, create: false).runs().map(\.id)
        let export = try sdtrack(["runs", "export", "--db", "a.db"] + ids, in: folder).stdout
        try write(export, to: "export.json", in: folder)
        #expect(try sdtrack(["import", "export.json", "--db", "b.db", "--tag", "copy=1"], in: folder).status == 0)

        // The same runs with a note changed, plus a run b.db does not have.
        #expect(try sdtrack(["runs", "tag", ids[0], "--note", "edited", "--db", "a.db"], in: folder).status == 0)
        #expect(try sdtrack(["run", "--db", "a.db"], in: folder).status == 0)
        let all = try RunStore(path: folder.appendingPathComponent("a.db").path, create: false).runs().map(\.id)
        try write(
            try sdtrack(["runs", "export", "--db", "a.db"] + all, in: folder).stdout, to: "edited.json", in: folder)
        let before = try sdtrack(["runs", "list", "--db", "b.db", "--json"], in: folder).stdout
        let conflict = try sdtrack(["import", "edited.json", "--db", "b.db", "--tag", "copy=1"], in: folder)
        #expect(conflict.status == 1 && conflict.stdout.isEmpty)
        #expect(
            conflict.stderr.hasPrefix(
                "Error: run \(ids[0]) (note, labels_edited_at) is already in b.db with other content"),
            "\(conflict.stderr)")
        #expect(try sdtrack(["runs", "list", "--db", "b.db", "--json"], in: folder).stdout == before)
    }

    /// A bad tag key inside an import file is the file's error, named with its line: exit 1,
    /// not a usage error.
    @Test func aBadTagInAnImportFileNamesTheFileAndLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(
            #"{"t": 0, "loss": 1}"# + "\n" + #"{"run": {"tags": {"two words": "x"}}}"# + "\n" + #"{"t": 0}"#,
            to: "runs.jsonl", in: folder)
        let result = try sdtrack(["import", "runs.jsonl"], in: folder)
        #expect(result.status == 1)
        #expect(
            result.stderr == "Error: runs.jsonl line 2: tag key 'two words' is not letters, digits, '.', '_' and '-'\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("sdtrack.db").path))
    }
}
