import Foundation
import SDStore
import SDTestSupport
import Testing

/// Bad databases, import files and run IDs: one clear `Error:` line, a non-zero exit, and the
/// database exactly as it was.
@Suite struct StoreBadInputTests {
    struct BadInput: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        /// Files to create in the test's folder first: name -> contents.
        var files: [String: String] = [:]
        var status: Int32 = 1
        let message: String
        var testDescription: String { label }
    }

    /// Two runs whose IDs share the prefix aaaa, in the folder's sdtrack.db.
    static let seedRuns = """
        {"run": {"id": "aaaa1111-0000-4000-8000-000000000000"}}
        {"t": 0, "test_mse": 1}
        {"run": {"id": "aaaa2222-0000-4000-8000-000000000000"}}
        {"t": 0, "test_mse": 2}
        """

    static let cases: [BadInput] = [
        BadInput(
            label: "db is a directory", arguments: ["run", "--db", "folder"], files: ["folder/x": ""],
            message: "folder is a directory"),
        BadInput(
            label: "db folder missing", arguments: ["run", "--db", "nowhere/sdtrack.db"],
            message: "cannot open nowhere/sdtrack.db"),
        BadInput(
            label: "db unwritable", arguments: ["run", "--db", "/proc/sdtrack.db"],
            message: "cannot open /proc/sdtrack.db"),
        BadInput(
            label: "db not SQLite", arguments: ["run", "--db", "notes.txt"],
            files: ["notes.txt": String(repeating: "not a database\n", count: 300)],
            message: "notes.txt is not an SQLite database"),
        BadInput(
            label: "db empty option", arguments: ["runs", "list", "--db", ""], status: 64,
            message: "--db needs a file path"),
        BadInput(
            label: "no database to read", arguments: ["runs", "list", "--db", "missing.db"],
            message: "no database at missing.db"),
        BadInput(label: "unknown run", arguments: ["runs", "show", "bbbb"], message: "no run bbbb"),
        BadInput(
            label: "ambiguous prefix", arguments: ["runs", "show", "aaaa"],
            message: "run prefix aaaa matches several runs"),
        BadInput(label: "not a run ID", arguments: ["runs", "export", "zz!"], message: "'zz!' is not a run ID"),
        BadInput(
            label: "delete unknown run", arguments: ["runs", "delete", "aaaa1111", "cccc"], message: "no run cccc"),
        BadInput(
            label: "tag without =", arguments: ["runs", "tag", "aaaa1", "reviewed"], status: 64,
            message: "tag 'reviewed' has no '='"),
        BadInput(
            label: "tag with nothing", arguments: ["runs", "tag", "aaaa1"], status: 64, message: "nothing to change"),
        BadInput(
            label: "unknown status", arguments: ["runs", "list", "--status", "done"], status: 64,
            message: "unknown status 'done'"),
        BadInput(
            label: "bad since", arguments: ["runs", "list", "--since", "last week"], status: 64,
            message: "--since 'last week' is not a time"),
        BadInput(
            label: "import missing t", arguments: ["import", "m.jsonl"],
            files: ["m.jsonl": "{\"t\": 0, \"loss\": 1}\n{\"loss\": 0.5}\n"],
            message: "m.jsonl line 2 has no \"t\""),
        BadInput(
            label: "import duplicate rounds", arguments: ["import", "d.jsonl"],
            files: ["d.jsonl": "{\"t\": 0, \"loss\": 1}\n{\"t\": 1, \"loss\": 0.5}\n{\"t\": 1, \"loss\": 0.4}\n"],
            message: "d.jsonl line 3: round t = 1 appears twice in one run (first on line 2)"),
        BadInput(
            label: "import non-numeric metric", arguments: ["import", "n.jsonl"],
            files: ["n.jsonl": "{\"t\": 0, \"accuracy\": \"high\"}\n"],
            message: "n.jsonl line 1: metric 'accuracy' is \"high\", not a finite number"),
        BadInput(
            label: "import infinite metric", arguments: ["import", "i.jsonl"],
            files: ["i.jsonl": "{\"t\": 0, \"loss\": 1e999}\n"],
            message: "i.jsonl line 1: metric 'loss' is inf, not a finite number"),
        BadInput(
            label: "import non-numeric CSV cell", arguments: ["import", "n.csv"],
            files: ["n.csv": "t,loss\n0,1\n1,abc\n"],
            message: "n.csv line 3, column 'loss': 'abc' is not a finite decimal number"),
        BadInput(
            label: "import CSV without t", arguments: ["import", "n.csv"], files: ["n.csv": "round,loss\n0,1\n"],
            message: "n.csv has no column 't'"),
        BadInput(
            label: "import duplicate CSV rounds", arguments: ["import", "n.csv"],
            files: ["n.csv": "t,loss\n0,1\n0,2\n"],
            message: "round t = 0 appears twice"),
        BadInput(
            label: "import negative t", arguments: ["import", "t.jsonl"],
            files: ["t.jsonl": "{\"t\": -1, \"loss\": 1}\n"],
            message: "t must be a round number 0, 1, 2, ... 999999, got -1"),
        BadInput(
            label: "import not JSON", arguments: ["import", "x.jsonl"], files: ["x.jsonl": "{\"t\": 0}\nt=1 loss=2\n"],
            message: "x.jsonl line 2 is not JSON (column 1: expected a value)"),
        BadInput(
            label: "import header without rounds", arguments: ["import", "h.jsonl"],
            files: ["h.jsonl": "{\"run\": {\"experiment\": \"a\"}}\n{\"t\": 0}\n{\"run\": {\"experiment\": \"b\"}}\n"],
            message: "h.jsonl line 3: this run has no rounds"),
        BadInput(
            label: "import unknown header field", arguments: ["import", "h.jsonl"],
            files: ["h.jsonl": "{\"run\": {\"name\": \"a\"}}\n{\"t\": 0}\n"],
            message: "unknown run field 'name'"),
        BadInput(
            label: "import config of the wrong type", arguments: ["import", "h.jsonl"],
            files: ["h.jsonl": "{\"run\": {\"config\": {\"seed\": \"one\"}}}\n{\"t\": 0}\n"],
            message: "config seed must be a whole number"),
        BadInput(
            label: "import an existing run ID with other rounds", arguments: ["import", "again.jsonl"],
            files: [
                "again.jsonl":
                    "{\"run\": {\"id\": \"aaaa1111-0000-4000-8000-000000000000\"}}\n{\"t\": 0, \"test_mse\": 9}\n"
            ],
            message: "run aaaa1111-0000-4000-8000-000000000000 (rounds) is already in sdtrack.db with other content"),
        BadInput(
            label: "import unknown format", arguments: ["import", "runs.txt"], files: ["runs.txt": "t\n0\n"],
            status: 64,
            message: "cannot tell the format of runs.txt"),
        BadInput(
            label: "import missing file", arguments: ["import", "nope.jsonl"], message: "no such file 'nope.jsonl'"),
    ]

    @Test(arguments: cases)
    func badInputLeavesTheDatabaseUntouched(input: BadInput) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(Self.seedRuns, to: "seed.jsonl", in: folder)
        let seeded = try sdtrack(["import", "seed.jsonl"], in: folder)
        #expect(seeded.status == 0, "\(seeded.stderr)")
        for (name, text) in input.files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let database = folder.appendingPathComponent("sdtrack.db")
        let before = try Data(contentsOf: database)
        let otherFiles = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()

        let result = try sdtrack(input.arguments, in: folder)
        #expect(result.status == input.status, "exit \(result.status): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.hasPrefix("Error: ") && firstLine.contains(input.message), "\(result.stderr)")
        #expect(input.status == 64 || result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try Data(contentsOf: database) == before, "sdtrack.db changed")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == otherFiles, "files appeared")
        let store = try RunStore(path: database.path, create: false)
        #expect(try store.integrityCheck() == ["ok"])
        #expect(try store.runs().count == 2)
    }

    /// A corrupt database and one from a newer sdtrack are refused before anything is written.
    @Test(arguments: ["corrupt", "newer"])
    func damagedOrNewerDatabaseIsRefusedUntouched(kind: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try sdtrack(["run"], in: folder).status == 0)
        let url = folder.appendingPathComponent("sdtrack.db")
        var bytes = try Data(contentsOf: url)
        if kind == "corrupt" {
            for offset in 100..<400 { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 7919) }
        } else {
            bytes[60..<64] = Data([0, 0, 0, 99])  // the header's user_version, big-endian
        }
        try bytes.write(to: url)
        for arguments in [["run"], ["runs", "list"], ["import", "seed.jsonl"]] {
            try write("{\"t\": 0, \"loss\": 1}\n", to: "seed.jsonl", in: folder)
            let result = try sdtrack(arguments, in: folder)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            let expected =
                kind == "corrupt"
                ? "sdtrack.db is corrupt" : "sdtrack.db has schema version 99, newer than this sdtrack's"
            #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(expected), "\(result.stderr)")
            #expect(try Data(contentsOf: url) == bytes, "\(arguments) changed the file")
        }
    }
}

/// A database the user cannot write is refused by commands that write, before anything
/// happens, and read as it is by commands that only read. File permissions do not bind root, so
/// under root (CI) the commands run as nobody through setpriv.
@Suite struct ReadOnlyDatabaseTests {
    static var asAnotherUser: [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    }

    /// The folder too (0o555): WAL would need to create its -shm file there.
    @Test(arguments: [
        (["run"], false, 0o755), (["import", "seed.jsonl"], false, 0o755),
        (["runs", "tag", "ID", "k=v"], false, 0o755),
        (["runs", "list"], true, 0o755), (["query", "best-rounds"], true, 0o755), (["runs", "list"], true, 0o555),
        (["query", "best-rounds", "--json"], true, 0o555), (["runs", "export", "ID"], true, 0o555),
    ])
    func aReadOnlyDatabaseIsReadButNotWritten(arguments: [String], reads: Bool, folderMode: Int) throws {
        let folder = try temporaryFolder()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try? FileManager.default.removeItem(at: folder)
        }
        #expect(try sdtrack(["run"], in: folder).status == 0)
        try write("{\"t\": 0, \"loss\": 1}\n", to: "seed.jsonl", in: folder)
        let database = folder.appendingPathComponent("sdtrack.db")
        let id = try RunStore(path: database.path, create: false).runs()[0].id
        let arguments = arguments.map { $0 == "ID" ? id : $0 }
        // A copy of the binary in the test's folder: nobody may not reach the build folder.
        let binary = folder.appendingPathComponent("sdtrack-copy")
        try FileManager.default.copyItem(at: try sdtrackBinary(), to: binary)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database.path)
        try FileManager.default.setAttributes([.posixPermissions: folderMode], ofItemAtPath: folder.path)
        let before = try Data(contentsOf: database)

        let result = try sdtrack(arguments, in: folder, prefix: Self.asAnotherUser, binary: binary)
        if reads {
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
            #expect(!result.stdout.isEmpty)
        } else {
            #expect(result.status == 1 && result.stdout.isEmpty, "\(result.stderr)")
            #expect(
                result.stderr
                    == "Error: sdtrack.db is read-only; check its permissions (and its folder's) or pass --db with "
                    + "another path\n")
        }
        #expect(try Data(contentsOf: database) == before)
    }
}
