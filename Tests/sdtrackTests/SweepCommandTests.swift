import Foundation
import SDJSON
import SDStore
import SDTestSupport
import Testing

/// `sdtrack sweep` end to end: a whole grid recorded, equal to the same runs made one by one,
/// with one decomposition per (data, kernel, seed); killed and resumed; split in shards; and
/// every bad spec refused before anything runs.
@Suite struct SweepCommandTests {
    /// 3 eps-rel x 4 seeds x 5 bandwidths on small sine data: 60 points, 20 decompositions.
    static let grid = [
        "sweep", "--data", "sine", "--n", "40", "--test-fraction", "0.25", "--eps-rel", "0.05,0.1,0.2",
        "--seed", "0..3", "--bandwidth", "0.1,0.2,0.3,0.4,0.5", "--experiment", "grid",
    ]

    static func summary(_ result: CommandResult) throws -> JSONValue {
        guard result.status == 0, let value = JSONValue.parse(result.stdout) else {
            throw TestSupportError("sweep failed: \(result.stderr)")
        }
        return value
    }

    /// Each point's number, over the finished runs of `store`.
    static func finishedPoints(_ path: String) throws -> [Int] {
        try RunStore(path: path, create: false).runs().filter { $0.status == .finished }.compactMap { run in
            run.tags.first { $0.key == "sweep.point" }.flatMap { Int($0.value) }
        }
    }

    @Test func aGridIsRecordedWholeAndEqualsTheRunsMadeOneByOne() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = try Self.summary(try sdtrack(Self.grid + ["--json", "--jobs", "2"], in: folder))
        #expect(summary["points"]?.intValue == 60 && summary["finished"]?.intValue == 60)
        #expect(summary["decompositions"]?.intValue == 20)  // 4 seeds x 5 bandwidths
        let path = folder.appendingPathComponent("sdtrack.db").path
        #expect(try Self.finishedPoints(path).sorted() == Array(0..<60))
        // Every point: its number (the options' order in `sweep --help`: seed, bandwidth, eps-rel,
        // the first slowest) and its rounds, equal to the same run made by `sdtrack run`.
        let store = try RunStore(path: path, create: false)
        let runs = try store.runs()
        for (seedIndex, seed) in (0...3).enumerated() {
            for (bandwidthIndex, bandwidth) in [0.1, 0.2, 0.3, 0.4, 0.5].enumerated() {
                for (epsIndex, epsRel) in [0.05, 0.1, 0.2].enumerated() {
                    let point = seedIndex * 15 + bandwidthIndex * 3 + epsIndex
                    let run = try #require(
                        runs.first { $0.tags.contains(Tag(key: "sweep.point", value: String(point))) },
                        "point \(point)")
                    let config = JSONValue.parse(run.configJSON)
                    #expect(
                        config?["eps_rel"]?.doubleValue == epsRel && config?["seed"]?.intValue == seed
                            && config?["kernel"]?["bandwidth"]?.doubleValue == bandwidth, "point \(point)")
                    let alone = try sdtrack(
                        [
                            "run", "--data", "sine", "--n", "40", "--test-fraction", "0.25", "--json", "--no-record",
                            "--eps-rel", "\(epsRel)", "--seed", "\(seed)", "--bandwidth", "\(bandwidth)",
                        ], in: folder)
                    guard case .array(let rounds)? = JSONValue.parse(alone.stdout)?["rounds"] else {
                        throw TestSupportError(alone.stderr)
                    }
                    let recorded = try store.rounds(runID: run.id)
                    #expect(recorded.count == rounds.count, "point \(point)")
                    for (round, expected) in zip(recorded, rounds) {
                        for (value, name) in [(round.c, "c"), (round.testMSE, "test_mse"), (round.gcv, "gcv")] {
                            let other = expected[name]?.doubleValue ?? .nan
                            #expect(abs((value ?? .nan) - other) <= 1e-12 * abs(other), "point \(point) \(name)")
                        }
                    }
                }
            }
        }
        // Again: nothing to do.
        let again = try Self.summary(try sdtrack(Self.grid + ["--json"], in: folder))
        #expect(again["skipped"]?.intValue == 60 && again["finished"]?.intValue == 0)
        #expect(again["decompositions"]?.intValue == 0)
        // The sweep answers as one.
        let best = try sdtrack(
            ["query", "best-rounds", "--sweep", summary["sweep"]!.stringValue!, "--json"], in: folder)
        guard case .array(let groups)? = JSONValue.parse(best.stdout)?["groups"] else {
            throw TestSupportError(best.stderr)
        }
        #expect(groups.count == 15 && groups.allSatisfy { $0["runs"]?.intValue == 4 })
    }

    /// Killed part way (SIGKILL: runs left running; SIGINT: the run in progress failed), then run
    /// again: every point finished once.
    @Test(arguments: [SIGKILL, SIGINT]) func aKilledSweepResumes(signal: Int32) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = [
            "sweep", "--data", "sine", "--n", "300", "--eps-rel", "0.05,0.1,0.2,0.3", "--seed", "0..5", "--jobs", "1",
        ]
        let path = folder.appendingPathComponent("sdtrack.db").path
        let process = try sdtrackProcess(arguments, in: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Until a few runs are there, then the signal.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path),
                let count = try? RunStore(path: path, create: false).runs().count, count >= 5
            {
                break
            }
            usleep(20_000)
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let before = try Self.finishedPoints(path)
        #expect(before.count < 24, "the sweep ended before the signal")
        let summary = try Self.summary(try sdtrack(arguments + ["--json"], in: folder))
        #expect(summary["skipped"]?.intValue == before.count)
        let points = try Self.finishedPoints(path)
        #expect(points.sorted() == Array(0..<24), "\(points.sorted())")
    }

    /// One process at a time runs a sweep on a database.
    @Test func aSecondProcessOfTheSameSweepIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["sweep", "--data", "sine", "--n", "300", "--eps-rel", "0.05,0.1,0.2,0.3", "--seed", "0..5"]
        let first = try sdtrackProcess(arguments + ["--jobs", "1"], in: folder)
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let path = folder.appendingPathComponent("sdtrack.db").path
        while first.isRunning, (try? RunStore(path: path, create: false).runs().isEmpty) ?? true { usleep(10_000) }
        let second = try sdtrack(arguments, in: folder)
        first.waitUntilExit()
        #expect(second.status == 1 && second.stderr.contains("is running on"), "\(second.stderr)")
        #expect(try Self.finishedPoints(path).sorted() == Array(0..<24))
    }

    @Test func shardsCoverTheGridExactlyOnce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var all = [Int]()
        for shard in 1...3 {
            let database = "shard-\(shard).db"
            let summary = try Self.summary(
                try sdtrack(Self.grid + ["--shard", "\(shard)/3", "--json", "--db", database], in: folder))
            #expect(summary["shard"]?.stringValue == "\(shard)/3")
            all += try Self.finishedPoints(folder.appendingPathComponent(database).path)
        }
        #expect(all.sorted() == Array(0..<60))
    }

    @Test func aSpecFileNamesItsExperimentAndTags() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(
            #"{"experiment": "spec", "tags": {"paper": "fig3"}, "data": "toy", "gamma": 80, "eps": [0.01, 0.02], "#
                + #""rounds": 3}"#, to: "sweep.json", in: folder)
        let summary = try Self.summary(try sdtrack(["sweep", "sweep.json", "--json"], in: folder))
        #expect(summary["finished"]?.intValue == 2 && summary["decompositions"]?.intValue == 1)
        let runs = try RunStore(path: folder.appendingPathComponent("sdtrack.db").path, create: false).runs()
        #expect(runs.allSatisfy { $0.experiment == "spec" && $0.tags.contains(Tag(key: "paper", value: "fig3")) })
    }

    /// The same sweep as YAML and as JSON: one sweep id, the same grid.
    @Test func aYAMLSpecIsTheSameSweepAsItsJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(
            """
            ---
            # the toy data, two eps and two caps
            experiment: "spec"   # quoted
            data: toy
            gamma: 80
            eps: [0.01, 0.02]
            rounds:
              - 2
              - 3
            tags:
              paper: fig3
            """, to: "sweep.yaml", in: folder)
        try write(
            #"{"experiment": "spec", "data": "toy", "gamma": 80, "eps": [0.01, 0.02], "rounds": [2, 3], "#
                + #""tags": {"paper": "fig3"}}"#, to: "sweep.json", in: folder)
        let yaml = try Self.summary(try sdtrack(["sweep", "sweep.yaml", "--dry-run", "--json"], in: folder))
        let json = try Self.summary(try sdtrack(["sweep", "sweep.json", "--dry-run", "--json"], in: folder))
        #expect(yaml == json && yaml["points"]?.intValue == 4)
        // Windows line endings, a byte-order mark, an apostrophe in plain text before a comment.
        try write(
            "\u{FEFF}experiment: spec\r\ndata: toy\r\ngamma: 80\r\neps: [0.01, 0.02]\r\nrounds: [2, 3]\r\n"
                + "tags:\r\n  paper: fig3\r\n", to: "windows.yaml", in: folder)
        #expect(try Self.summary(try sdtrack(["sweep", "windows.yaml", "--dry-run", "--json"], in: folder)) == json)
        try write("data: toy\nnote: it's the toy # a comment\neps: 0.01", to: "note.yaml", in: folder)
        #expect(try sdtrack(["sweep", "note.yaml", "--dry-run"], in: folder).status == 0)
        for (text, message) in [
            ("eps: &a [0.1]", "line 1: '&a [0.1]': anchors"), ("eps:\n\t- 0.1", "line 2: a tab"),
            ("tags:\n  a:\n    b: c", "line 2: 'a' nests deeper"), ("eps [0.1]", "line 1: expected 'key: value'"),
            ("eps: 0.1\neps: 0.2", "line 2: 'eps' is given twice"),
        ] {
            try write(text, to: "bad.yml", in: folder)
            let result = try sdtrack(["sweep", "bad.yml"], in: folder)
            #expect(result.status == 64 && result.stderr.contains("bad.yml \(message)"), "\(result.stderr)")
        }
    }

    @Test(arguments: [
        (#"{"epsilon": [0.1]}"#, [String](), "unknown key 'epsilon'"),
        (#"{"eps": []}"#, [], "eps: an empty list gives an empty grid"),
        (#"{"eps": [0.1, -1]}"#, [], "eps must be"),
        (#"{"seed": "5..1"}"#, [], "empty range"),
        (#"{"data": "nowhere.csv", "eps": 0.1}"#, [], "no such file 'nowhere.csv'"),
        (#"{"data": "sweep.json", "eps": 0.1}"#, [], "data 'sweep.json'"),
        (#"{"data": "toy", "eps": 0.1, "target": "y"}"#, [], "apply to CSV files"),
        (#"{"eps": [0.1,}"#, [], "sweep.json"),
        (#"{"eps": 0.1}"#, ["--kernel", "rbf,nope"], "kernel"),
        (#"{"eps": 0.1}"#, ["--shard", "4/3"], "--shard '4/3' must be I/N"),
        (#"{"eps": 0.1}"#, ["--seed=-2"], "a seed is a whole number >= 0"),
        (#"{"eps": 0.1}"#, ["--seed", "0..3,2"], "seed gives 2 twice"),
        (#"{"eps": 0.1}"#, ["--rounds=-9000000000000000000..9000000000000000000"], "more than 100000 values"),
    ])
    func aBadSpecIsOneLineAndStartsNothing(spec: String, arguments: [String], message: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(spec, to: "sweep.json", in: folder)
        let result = try sdtrack(["sweep", "sweep.json"] + arguments, in: folder)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").first?.contains(message) == true, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("sdtrack.db").path))
    }
}
