import Foundation
import SDEngine
import SDSchema
import SDTestSupport
import Testing

@testable import SDStore

/// `sdtrack run` records what it computes, and `runs export` gives it back exactly.
@Suite struct RecordingTests {
    @Test func databaseComesFromDbOptionThenEnvironmentThenWorkingFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inFolder = { (name: String) in
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
        }

        #expect(try sdtrack(["run", "--no-record"], in: folder).status == 0)
        #expect(!inFolder("sdtrack.db"), "--no-record must not create a database")
        #expect(try sdtrack(["run"], in: folder).status == 0)
        #expect(inFolder("sdtrack.db"))
        #expect(try sdtrack(["run"], in: folder, environment: ["SDTRACK_DB": "env.db"]).status == 0)
        #expect(
            try sdtrack(["run", "--db", "option.db"], in: folder, environment: ["SDTRACK_DB": "env.db"]).status == 0)
        for name in ["sdtrack.db", "env.db", "option.db"] {
            let runs = try RunStore(path: folder.appendingPathComponent(name).path, create: false).runs()
            #expect(runs.count == 1 && runs[0].status == .finished, "\(name)")
        }
    }

    /// A file from before the curves (schema 3) is upgraded by the next command, which says
    /// so on standard error, and answers from the curves it wrote.
    @Test func olderDatabaseIsUpgradedSayingSo() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try sdtrack(["run"], in: folder).status == 0)
        let connection = try SQLiteConnection(path: folder.appendingPathComponent("sdtrack.db").path, mode: .existing)
        try connection.execute(
            """
            DROP TABLE curves; DROP TABLE remotes; DROP TABLE sync_acks; DROP TABLE server_identity;
            DROP TABLE server_tokens; ALTER TABLE runs DROP COLUMN labels_edited_at;
            ALTER TABLE runs DROP COLUMN warning; ALTER TABLE runs DROP COLUMN solver;
            ALTER TABLE runs DROP COLUMN solver_rank; ALTER TABLE runs DROP COLUMN solver_error_bound;
            ALTER TABLE runs DROP COLUMN c_sensitivity;
            ALTER TABLE runs DROP COLUMN blas_core; ALTER TABLE runs DROP COLUMN blas_threads; PRAGMA user_version = 3;
            """)

        let upgraded = try sdtrack(["query", "best-rounds", "--json"], in: folder)
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        #expect(
            upgraded.stderr.hasPrefix("upgrading sdtrack.db from schema version 3 to \(Schema.version)... "),
            "\(upgraded.stderr)")
        #expect(try upgraded.jsonObject()["groups"].map { ($0 as? [Any])?.count } == 1)
        let again = try sdtrack(["query", "best-rounds"], in: folder)
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
    }

    static let roundTripCases: [[String]] = [
        ["--data", "toy", "--gamma", "80", "--eps", "0.01"],
        [
            "--data", "sine", "--n", "80", "--noise", "0.4", "--seed", "7", "--test-fraction", "0.25", "--kernel",
            "matern32", "--eps-rel", "0.03",
        ],
        [
            "--data", "diabetes", "--standardize", "--test-fraction", "0.2", "--kernel", "ntk", "--fixed-c", "0.05",
            "--rounds", "5",
        ],
    ]

    @Test(arguments: roundTripCases)
    func exportGivesBackWhatTheEngineProduced(arguments: [String]) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ran = try sdtrack(["run", "--json"] + arguments, in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        let report = try ran.jsonObject()
        let id = try #require(report["run_id"] as? String)
        let exported = try sdtrack(["runs", "export", String(id.prefix(8))], in: folder).jsonObject()
        #expect(exported["format"] as? String == "sdtrack.export/1")
        let record = try #require((exported["runs"] as? [[String: Any]])?.first)

        #expect(record["run_id"] as? String == id && record["status"] as? String == "finished")
        #expect(String(describing: report["collapse_round"]!) == String(describing: record["collapse_round"]!))
        let bounds = report["bounds"] as? [String: Any]
        #expect(String(describing: bounds?["held"] ?? NSNull()) == String(describing: record["bounds_held"]!))
        #expect((report["checks"] as? [String: Any])?["all_held"] as? Bool == record["checks_held"] as? Bool)

        // Numbers compared as the text sdtrack wrote (shortest round-trip form: equal text
        // is equal bits), not through a JSON parser.
        let engine = RawJSON(ran.stdout)
        let stored = try #require(
            RawJSON(try sdtrack(["runs", "export", id], in: folder).stdout)["runs"]?.elements.first)
        #expect(stored["config"] == engine["config"])
        #expect(stored["rounds"] == engine["rounds"])
        let engineRounds = try #require(engine["rounds"]?.elements)
        #expect(!engineRounds.isEmpty)
        for key in ["eigenvalues", "z0", "zero_tolerance"] {
            #expect(stored["spectrum"]?[key] == engine["spectrum"]?[key], "\(key)")
        }

        // The CSV export carries the same numbers.
        let csv = try sdtrack(["runs", "export", id, "--format", "csv"], in: folder).stdout.split(separator: "\n")
        let header = csv[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(csv.count == engineRounds.count + 1)
        for (line, round) in zip(csv.dropFirst(), engineRounds) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells[0] == id)
            for (name, cell) in zip(header, cells).dropFirst(1) {
                let value = try #require(round[name]).description
                #expect(cell == (value == "null" ? "" : value), "\(name)")
            }
        }
    }

    /// Everything the issue lists for a run: identity, times, host, pid, version, the
    /// configuration columns and the SHA-256 of the exact data used.
    @Test func runRecordsWhereWhenAndOnWhatItRan() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = Timestamp.now()
        let ran = try sdtrack(
            [
                "run", "--json", "--data", "sine", "--n", "40", "--noise", "0.2", "--seed", "4", "--test-fraction",
                "0.25",
                "--kernel", "matern52", "--eps", "0.01",
            ], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        let id = try #require(try ran.jsonObject()["run_id"] as? String)
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        let run = try RunStore(path: folder.appendingPathComponent("sdtrack.db").path, create: false).run(id: id)
        #expect(run.host == RunLiveness.currentHost && run.pid != nil && run.source == .sdtrack)
        // --version's first line is the version; its second, the OpenBLAS kernels (BLASCoreTests).
        #expect(
            run.sdtrackVersion
                == (try sdtrack(["--version"], in: folder).stdout.split(separator: "\n").first.map(String.init)))
        let started = try #require(run.startedAt), ended = try #require(run.endedAt)
        #expect(
            before.millisecondsSince1970 - 1000 <= run.createdAt.millisecondsSince1970 && started <= ended
                && ended <= Timestamp.now())
        let expected = try Dataset.sine(n: 40, noise: 0.2, seed: 4).splitting(testFraction: 0.25, seed: 4)
        #expect(run.config.dataSHA256 == expected.fingerprint)
        #expect(
            run.config.dataset == "sine" && run.config.k == 30 && run.config.testSize == 10
                && run.config.kernel == "matern52")
        #expect(run.config.mode == "eps" && run.config.eps == 0.01 && run.config.seed == 4 && run.config.noise == 0.2)
        #expect(run.config.lengthScale != nil && run.zeroPredictor.testMSE != nil && run.zeroPredictor.truthMSE != nil)
    }

    @Test func failedRunIsRecordedWithItsError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let failed = try sdtrack(["run", "--kernel", "linear", "--eps", "0.01"], in: folder)
        #expect(failed.status == 1 && failed.stderr.hasPrefix("Error: eps 0.01 is infeasible"))
        let runs = try RunStore(path: folder.appendingPathComponent("sdtrack.db").path, create: false).runs()
        #expect(runs.count == 1 && runs[0].status == .failed && runs[0].roundCount == 0)
        #expect(runs[0].error?.hasPrefix("eps 0.01 is infeasible") == true)
    }

    @Test func listShowTagAndDelete() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try sdtrack(
            ["run", "--json", "--experiment", "sweep", "--tag", "eps=small", "--eps", "0.01", "--gamma", "80"],
            in: folder)
        let second = try sdtrack(["run", "--json", "--eps", "0.2", "--note", "large eps"], in: folder)
        let firstID = try #require(try first.jsonObject()["run_id"] as? String)
        let secondID = try #require(try second.jsonObject()["run_id"] as? String)

        let list = try sdtrack(["runs", "list"], in: folder)
        #expect(
            list.status == 0 && list.stdout.contains(String(firstID.prefix(8))) && list.stdout.contains("eps=small"))
        let listed = try sdtrack(["runs", "list", "--json"], in: folder).jsonObject()
        #expect(listed["format"] as? String == "sdtrack.runs/1")
        #expect((listed["runs"] as? [[String: Any]])?.map { $0["run_id"] as? String } == [secondID, firstID])
        let filtered = try sdtrack(
            ["runs", "list", "--json", "--experiment", "sweep", "--status", "finished", "--since", "1h"], in: folder
        ).jsonObject()
        #expect((filtered["runs"] as? [[String: Any]])?.map { $0["run_id"] as? String } == [firstID])
        let byTag = try sdtrack(["runs", "list", "--json", "--tag", "eps=small"], in: folder).jsonObject()
        #expect((byTag["runs"] as? [[String: Any]])?.count == 1)

        let shown = try sdtrack(["runs", "show", String(secondID.prefix(6))], in: folder)
        #expect(shown.status == 0 && shown.stdout.contains(secondID) && shown.stdout.contains("note        large eps"))
        #expect(shown.stdout.contains("train_mse") && shown.stdout.contains("status      finished"))
        let shownJSON = try sdtrack(["runs", "show", secondID, "--json"], in: folder).jsonObject()
        #expect(shownJSON["format"] as? String == "sdtrack.record/1" && shownJSON["spectrum"] is [String: Any])

        let tagged = try sdtrack(
            ["runs", "tag", firstID, "reviewed=yes", "--remove", "eps", "--note", "checked"], in: folder)
        #expect(tagged.status == 0 && tagged.stdout.contains("reviewed=yes") && !tagged.stdout.contains("eps=small"))

        let deleted = try sdtrack(["runs", "delete", String(firstID.prefix(8))], in: folder)
        #expect(deleted.status == 0 && deleted.stdout.contains("deleted 1 run"))
        let remaining = try sdtrack(["runs", "list", "--json"], in: folder).jsonObject()
        #expect((remaining["runs"] as? [[String: Any]])?.map { $0["run_id"] as? String } == [secondID])
    }

    @Test func importRecordsRunsMadeElsewhere() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(
            """
            {"run": {"experiment": "resnet-sd", "config": {"model": "resnet18", "dataset": "cifar10", "seed": 1, \
            "lr": 0.1}, "tags": {"who": "ana"}, "note": "3 rounds"}}
            {"t": 0, "test_mse": 0.31, "accuracy": 0.912, "train_loss": null}
            {"t": 1, "test_mse": 0.29, "accuracy": 0.925}
            {"t": 2, "test_mse": 0.30, "accuracy": 0.921}
            {"run": {"experiment": "resnet-sd", "config": {"model": "resnet18", "dataset": "cifar10", "seed": 2}}}
            {"t": 0, "test_mse": 0.33}

            """, to: "runs.jsonl", in: folder)
        let imported = try sdtrack(["import", "runs.jsonl", "--tag", "source=pytorch", "--json"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        let ids = try #require(try imported.jsonObject()["imported"] as? [String])
        #expect(ids.count == 2)
        let export = try sdtrack(["runs", "export"] + ids, in: folder).jsonObject()
        let runs = try #require(export["runs"] as? [[String: Any]])
        #expect(runs[0]["experiment"] as? String == "resnet-sd" && runs[0]["source"] as? String == "import")
        #expect(
            runs[0]["dataset"] as? String == "cifar10" && runs[0]["seed"] as? Int == 1
                && runs[0]["note"] as? String == "3 rounds")
        #expect(runs[0]["tags"] as? [String: String] == ["source": "pytorch", "who": "ana"])
        #expect((runs[0]["config"] as? [String: Any])?["lr"] as? Double == 0.1)
        let rounds = try #require(runs[0]["rounds"] as? [[String: Any]])
        #expect(rounds.map { $0["test_mse"] as? Double } == [0.31, 0.29, 0.30])
        #expect(rounds.map { $0["accuracy"] as? Double } == [0.912, 0.925, 0.921])
        #expect(rounds[0]["train_loss"] == nil && runs[0]["spectrum"] is NSNull)

        try write("t,test_mse,accuracy\n0,0.5,0.8\n1,,0.85\n", to: "run.csv", in: folder)
        let csv = try sdtrack(
            ["import", "run.csv", "--experiment", "vgg", "--config", "model=vgg11", "--config", "seed=3"], in: folder)
        #expect(csv.status == 0 && csv.stdout.contains("imported run"), "\(csv.stderr)")
        let listed = try sdtrack(["runs", "list", "--json", "--experiment", "vgg"], in: folder).jsonObject()
        let run = try #require((listed["runs"] as? [[String: Any]])?.first)
        #expect(run["round_count"] as? Int == 2 && run["seed"] as? Int == 3)
    }
}
