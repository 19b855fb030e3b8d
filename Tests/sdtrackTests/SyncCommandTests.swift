import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// `sdtrack remote` and `sdtrack sync` where no server is needed: remotes, bad input, no token,
/// an unreachable server. Syncs against a real server are the server package's tests.
@Suite struct SyncCommandTests {
    let folder: URL

    init() throws {
        folder = try temporaryFolder()
        #expect(try sdtrack(["run", "--db", "a.db"], in: folder).status == 0)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try sdtrack(arguments + ["--db", "a.db"], in: folder, environment: environment)
    }

    @Test func remotesAreAddedListedAndRemoved() throws {
        #expect(try run(["remote", "add", "team", "http://127.0.0.1:8337/"]).status == 0)
        let list = try run(["remote", "list", "--json"])
        let remotes = try list.jsonObject()["remotes"] as? [[String: Any]]
        #expect(remotes?.first?["url"] as? String == "http://127.0.0.1:8337" && remotes?.first?["pending"] as? Int == 1)
        let again = try run(["remote", "add", "team", "http://127.0.0.1:9"])
        #expect(again.status == 1 && again.stderr.contains("remote team exists already"))
        #expect(try run(["remote", "remove", "team"]).status == 0)
        let gone = try run(["remote", "remove", "team"])
        #expect(gone.status == 1 && gone.stderr.hasPrefix("Error: no remote named 'team'"))
    }

    @Test(arguments: [
        ["remote", "add", "-bad", "http://h"], ["remote", "add", "ok", "ftp://h"], ["remote", "add", "ok", "nohost"],
        ["sync", "ftp://host"], ["sync", "--timeout", "0"], ["sync", "--retries", "-1"],
    ])
    func badInputIsOneUsageLine(arguments: [String]) throws {
        let result = try run(arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
    }

    @Test func withoutARemoteOrTokenSyncSaysWhatToDo() throws {
        let none = try run(["sync"])
        #expect(none.status == 1 && none.stderr.contains("sdtrack remote add NAME URL"), "\(none.stderr)")
        #expect(try run(["remote", "add", "team", "http://127.0.0.1:9"]).status == 0)
        let noToken = try run(["sync"], environment: ["HOME": folder.path, "SDTRACK_TOKEN": ""])
        #expect(noToken.status == 1 && noToken.stderr.contains("SDTRACK_TOKEN_TEAM"), "\(noToken.stderr)")
    }

    @Test func aCredentialsFileOthersMayReadIsRefused() throws {
        let file = folder.appendingPathComponent("credentials")
        try "team sdt_0123456789abcdef_secret\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(try run(["remote", "add", "team", "http://127.0.0.1:9"]).status == 0)
        let environment = ["SDTRACK_CREDENTIALS": file.path, "SDTRACK_TOKEN": ""]
        let open = try run(["sync"], environment: environment)
        #expect(open.status == 1 && open.stderr.contains("chmod 600"), "\(open.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let closed = try run(["sync"], environment: environment)
        #expect(closed.status == 75, "\(closed.stderr)")  // the token is read; port 9 is closed
    }

    /// A refused connection is "offline": exit 75 at once, saying how many runs wait.
    @Test func anUnreachableServerIsOfflineWithThePendingCount() throws {
        #expect(try run(["remote", "add", "team", "http://127.0.0.1:9"]).status == 0)
        let result = try run(["sync"], environment: ["SDTRACK_TOKEN": "sdt_0123456789abcdef_x"])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: http://127.0.0.1:9 is unreachable"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("1 run pending for team\n"), "\(result.stderr)")
        #expect(result.stdout.isEmpty && !result.stderr.contains("sdt_0123456789abcdef_x"))
    }

    /// Two syncs of one database: the second says it waits, and goes on when the first ends.
    @Test func aSecondSyncOfTheSameDatabaseWaitsForTheFirst() throws {
        #expect(try run(["remote", "add", "team", "http://127.0.0.1:9"]).status == 0)
        let lock = folder.appendingPathComponent("a.db.sync-lock").path
        // Another sync, as far as the lock goes: holds it for a second.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); "
                + "print('held', flush=True); time.sleep(1)", lock,
        ]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        _ = output.fileHandleForReading.availableData  // "held"
        let result = try run(["sync"], environment: ["SDTRACK_TOKEN": "sdt_0123456789abcdef_x"])
        holder.waitUntilExit()
        #expect(
            result.stderr.hasPrefix("sync: another sync of a.db is running; waiting for it to finish\n"),
            "\(result.stderr)")
        #expect(result.status == 75, "\(result.stderr)")  // then on as usual: port 9 is closed
    }

    @Test func aDryRunSaysWhatWouldBeSentAndTouchesNothing() throws {
        #expect(try run(["remote", "add", "team", "http://127.0.0.1:9"]).status == 0)
        let result = try run(["sync", "--dry-run", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let pending = try result.jsonObject()["pending"] as? [String: Any]
        #expect(pending?["total"] as? Int == 1 && pending?["new"] as? Int == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.db.sync-lock").path))
    }

    @Test func serveWithoutTheServerBuiltSaysHowToBuildIt() throws {
        let result = try sdtrack(
            ["serve", "--db", "team.db"], in: folder, environment: ["SDTRACK_SERVER": "", "PATH": "/nonexistent"])
        // Beside a debug build of the repository there may be one: then it starts; stop at the check.
        if result.status != 0 {
            #expect(result.stderr.contains("tools/setup serve") || result.stderr.contains("sdtrack-server"))
        }
    }
}
