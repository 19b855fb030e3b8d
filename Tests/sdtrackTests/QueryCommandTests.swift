import Foundation
import SDStore
import SDTestSupport
import Testing

/// `query best-rounds`, `query curve` and `compare` on databases built here, against answers
/// worked out by hand, and on a real sweep of the paper's toy data.
@Suite struct QueryCommandTests {
    /// Two configurations (lr 0.1, lr 0.2) x two seeds, imported.
    /// lr 0.1: test_mse [0.5, 0.4, 0.45] and [0.7, 0.4, 0.5]: means 0.6, 0.4, 0.475, so t* = 1;
    /// at t* sd 0; at round 0 sd sqrt(0.02), interval 0.6 -/+ 12.7062 sqrt(0.02) / sqrt(2); gain 1/3.
    /// lr 0.2: [0.3, 0.35, 0.4] and [0.5, 0.45, 0.6]: means 0.4, 0.4, 0.5, so t* = 0 (first of a tie), gain 0.
    static let imported = """
        {"run": {"experiment": "mlp", "config": {"model": "mlp", "lr": 0.1, "seed": 1}}}
        {"t": 0, "test_mse": 0.5, "accuracy": 0.8}
        {"t": 1, "test_mse": 0.4, "accuracy": 0.9}
        {"t": 2, "test_mse": 0.45, "accuracy": 0.85}
        {"run": {"experiment": "mlp", "config": {"model": "mlp", "lr": 0.1, "seed": 2}}}
        {"t": 0, "test_mse": 0.7, "accuracy": 0.7}
        {"t": 1, "test_mse": 0.4, "accuracy": 0.8}
        {"t": 2, "test_mse": 0.5, "accuracy": 0.9}
        {"run": {"experiment": "mlp", "config": {"model": "mlp", "lr": 0.2, "seed": 1}}}
        {"t": 0, "test_mse": 0.3}
        {"t": 1, "test_mse": 0.35}
        {"t": 2, "test_mse": 0.4}
        {"run": {"experiment": "mlp", "config": {"model": "mlp", "lr": 0.2, "seed": 2}}}
        {"t": 0, "test_mse": 0.5}
        {"t": 1, "test_mse": 0.45}
        {"t": 2, "test_mse": 0.6}
        """

    static func importedFolder() throws -> URL {
        let folder = try temporaryFolder()
        try write(imported, to: "runs.jsonl", in: folder)
        let result = try sdtrack(["import", "runs.jsonl"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        return folder
    }

    static func close(_ value: Any?, _ expected: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let value = value as? Double else { return false }
        return abs(value - expected) <= tolerance
    }

    @Test func bestRoundsMatchesHandComputedAnswers() throws {
        let folder = try Self.importedFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try sdtrack(["query", "best-rounds", "--json"], in: folder).jsonObject()
        #expect(json["format"] as? String == "sdtrack.best-rounds/1")
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.count == 2)
        let first = groups[0], second = groups[1]
        #expect(first["label"] as? String == "lr=0.1" && second["label"] as? String == "lr=0.2", "sorted by gain")
        #expect(
            first["metric"] as? String == "test_mse" && first["runs"] as? Int == 2 && first["best_round"] as? Int == 1)
        let atBest = try #require(first["at_best"] as? [String: Any]),
            atZero = try #require(first["at_round_0"] as? [String: Any])
        #expect(Self.close(atBest["mean"], 0.4) && Self.close(atBest["sd"], 0) && Self.close(atBest["ci_low"], 0.4))
        let half = 12.706204736174694 * 0.02.squareRoot() / 2.0.squareRoot()
        #expect(Self.close(atZero["mean"], 0.6) && Self.close(atZero["sd"], 0.02.squareRoot()))
        #expect(Self.close(atZero["ci_low"], 0.6 - half) && Self.close(atZero["ci_high"], 0.6 + half))
        #expect(Self.close(first["gain"], 1.0 / 3))
        #expect((first["run_best_rounds"] as? [String: Any])?["values"] as? [Int] == [1, 1])
        #expect(second["best_round"] as? Int == 0 && Self.close(second["gain"], 0))
        #expect(first["bounds_held"] is NSNull && first["gcv_vs_held_out"] is NSNull)

        let table = try sdtrack(["query", "best-rounds"], in: folder)
        #expect(table.status == 0 && table.stdout.contains("lr=0.1") && table.stdout.contains("+33.3%"))
        let csv = try sdtrack(["query", "best-rounds", "--csv"], in: folder).stdout.split(separator: "\n")
        #expect(
            csv.count == 3 && csv[0].hasPrefix("group,metric,runs,best_round")
                && csv[1].hasPrefix("lr=0.1,test_mse,2,1,0.4"))
    }

    @Test func whereGroupByAndMaximize() throws {
        let folder = try Self.importedFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let filtered = try sdtrack(
            ["query", "best-rounds", "--json", "--where", "lr < 0.15 and model = 'mlp'"], in: folder
        ).jsonObject()
        #expect((filtered["groups"] as? [[String: Any]])?.map { $0["runs"] as? Int } == [2])
        // One group of all four runs: means 0.5, 0.4, 0.4875 -> t* = 1.
        let pooled = try sdtrack(["query", "best-rounds", "--json", "--group-by", "model"], in: folder).jsonObject()
        let group = try #require((pooled["groups"] as? [[String: Any]])?.first)
        #expect(
            group["runs"] as? Int == 4 && group["best_round"] as? Int == 1 && group["label"] as? String == "model=mlp")
        // Accuracy, larger is better: means 0.75, 0.85, 0.875 -> t* = 2, gain 0.125 / 0.75.
        let accuracy = try sdtrack(
            ["query", "best-rounds", "--json", "--metric", "accuracy", "--maximize", "--where", "lr = 0.1"], in: folder
        ).jsonObject()
        let best = try #require((accuracy["groups"] as? [[String: Any]])?.first)
        #expect(
            best["best_round"] as? Int == 2 && Self.close(best["gain"], 0.125 / 0.75)
                && best["maximize"] as? Bool == true)
    }

    /// --tag, --since and --until select runs before grouping, like `runs list`.
    @Test func tagAndTimeFiltersSelectRuns() throws {
        let folder = try Self.importedFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(
            "{\"run\": {\"config\": {\"model\": \"mlp\", \"lr\": 0.3, \"seed\": 1}, \"created_at\": "
                + "\"2020-01-01T00:00:00Z\"}}\n{\"t\": 0, \"test_mse\": 1}\n",
            to: "old.jsonl", in: folder)
        #expect(try sdtrack(["import", "old.jsonl", "--tag", "batch=old"], in: folder).status == 0)
        /// The lr of each group selected.
        func rates(_ arguments: [String]) throws -> [Double] {
            let json = try sdtrack(["query", "best-rounds", "--json"] + arguments, in: folder).jsonObject()
            return (json["groups"] as? [[String: Any]] ?? []).compactMap {
                ($0["group"] as? [String: Any])?["lr"] as? Double
            }.sorted()
        }
        #expect(try rates(["--tag", "batch=old"]) == [0.3])
        #expect(try rates(["--since", "2025-01-01"]) == [0.1, 0.2])
        #expect(try rates(["--until", "2025-01-01"]) == [0.3])
        #expect(try rates([]) == [0.1, 0.2, 0.3])
    }

    @Test func curveGivesMeanAndSpreadPerRound() throws {
        let folder = try Self.importedFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try sdtrack(["query", "curve", "--json", "--where", "lr = 0.1"], in: folder).jsonObject()
        #expect(json["format"] as? String == "sdtrack.curve/1")
        let points = try #require((json["groups"] as? [[String: Any]])?.first?["points"] as? [[String: Any]])
        #expect(points.map { $0["t"] as? Int } == [0, 1, 2])
        #expect(
            Self.close(points[2]["mean"], 0.475) && Self.close(points[2]["sd"], 0.00125.squareRoot())
                && points[2]["n"] as? Int == 2)
        let csv = try sdtrack(["query", "curve", "--csv"], in: folder).stdout.split(separator: "\n")
        #expect(csv[0] == "group,metric,t,n,mean,sd,ci_low,ci_high" && csv.count == 7)
        #expect(try sdtrack(["query", "curve"], in: folder).stdout.contains("lr=0.1: test_mse, 2 runs, best round 1"))
    }

    /// docs/math.md 4.5 on the paper's toy data: a small eps makes a few rounds help (t* > 0), a
    /// large eps makes round 0 best. Seeds change nothing on the toy data, so each group's
    /// runs agree exactly.
    @Test func toySweepFindsRoundsHelpOnlyForSmallEps() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for eps in ["0.005", "0.05"] {
            for seed in ["1", "2"] {
                #expect(
                    try sdtrack(
                        ["run", "--gamma", "80", "--eps", eps, "--seed", seed, "--experiment", "toy-sweep"], in: folder
                    ).status == 0)
            }
        }
        let json = try sdtrack(
            ["query", "best-rounds", "--json", "--metric", "truth_mse", "--experiment", "toy-sweep"], in: folder
        ).jsonObject()
        let groups = try #require(json["groups"] as? [[String: Any]])
        let byLabel = Dictionary(uniqueKeysWithValues: groups.map { ($0["label"] as? String ?? "", $0) })
        let small = try #require(byLabel["eps=0.005"]), large = try #require(byLabel["eps=0.05"])
        #expect((small["best_round"] as? Int ?? 0) > 0 && (small["gain"] as? Double ?? 0) > 0)
        #expect(large["best_round"] as? Int == 0)
        #expect(small["runs"] as? Int == 2 && small["bounds_held"] as? Bool == true)
        #expect((small["at_best"] as? [String: Any])?["sd"] as? Double == 0)
    }

    /// Sine runs over seeds collapse at different rounds: the group's curve runs to the
    /// latest collapse, where every run is the zero predictor, so the last point is the mean
    /// of their zero_test_mse. GCV against held-out error is reported for them.
    @Test func curveRunsPastCollapsesAtTheZeroPredictorsError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for seed in ["1", "2", "3"] {
            let result = try sdtrack(
                [
                    "run", "--data", "sine", "--n", "60", "--seed", seed, "--test-fraction", "0.25",
                    "--kernel", "matern52", "--eps", "0.01",
                ], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let runs = try RunStore(path: folder.appendingPathComponent("sdtrack.db").path, create: false).runs()
        let collapses = runs.compactMap(\.summary.collapseRound)
        #expect(collapses.count == 3)
        let json = try sdtrack(["query", "curve", "--json"], in: folder).jsonObject()
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.count == 1, "runs differing only in seed share a group")
        let points = try #require(groups[0]["points"] as? [[String: Any]])
        #expect(points.count == collapses.max()! + 1)
        let zero = runs.compactMap(\.zeroPredictor.testMSE).reduce(0, +) / 3
        #expect(Self.close(points.last?["mean"], zero, 1e-12))
        let best = try sdtrack(["query", "best-rounds", "--json"], in: folder).jsonObject()
        let agreement = try #require((best["groups"] as? [[String: Any]])?.first?["gcv_vs_held_out"] as? [String: Any])
        #expect(agreement["runs"] as? Int == 3)
        #expect(try sdtrack(["query", "best-rounds"], in: folder).stdout.contains("GCV vs held-out: GCV chose"))
    }

    @Test func compareShowsDifferencesAndRounds() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first =
            try sdtrack(["run", "--json", "--gamma", "80", "--eps", "0.01"], in: folder).jsonObject()["run_id"]
            as? String
        let second =
            try sdtrack(["run", "--json", "--gamma", "80", "--eps", "0.05"], in: folder).jsonObject()["run_id"]
            as? String
        let ids = try [#require(first), #require(second)].map { String($0.prefix(8)) }
        let text = try sdtrack(["compare"] + ids + ["--metric", "truth_mse"], in: folder)
        #expect(
            text.status == 0 && text.stdout.contains("differs") && text.stdout.contains("eps")
                && text.stdout.contains("truth_mse"))
        let json = try sdtrack(["compare", "--json"] + ids, in: folder).jsonObject()
        #expect(json["format"] as? String == "sdtrack.compare/1")
        let differences = try #require(json["differences"] as? [[String: Any]])
        #expect(differences.contains { $0["key"] as? String == "eps" })
        let truth = try #require((json["metrics"] as? [String: Any])?["truth_mse"] as? [[Any]])
        #expect(truth.count == 7 && truth[6][2] is NSNull, "the eps 0.05 run collapsed earlier")
    }
}
