import Foundation
import SDAnalysis
import SDJSON
import SDStore
import SDTestSupport
import Testing

@testable import SDReports

/// best-rounds, curve and compare over a store whose answers are worked out by hand.
///
/// Group A (eps 0.01), three runs that collapse at round 3 (zero predictor: test 1, train 2):
///
///     test_mse   a0 [1, 0.5, 0.75]   a1 [1.25, 0.75, 0.875]   a2 [0.75, 0.25, 0.625]   then 1 from t = 3
///     gcv        a0 [3, 2, 1]        a1 [3, 1, 2]             a2 [3, 1, 2]             then 2 from t = 3
///
/// Mean test curve t0..t3: 1, 0.5, 0.75, 1 (t3: all zero predictors); sd: deviations
/// (0, 0.25, -0.25) at t0 and t1 give sqrt(0.125 / 2) = 0.25; (0, 0.125, -0.125) at t2 give
/// 0.125; 0 at t3. t* = 1, gain (1 - 0.5) / 1 = 50%. Each run's best round is 1. GCV picks
/// round 2 in a0 (test 0.75 against its best 0.5: loses 0.25, relatively 0.5) and round 1 in
/// a1 and a2: agrees in 2 of 3, mean loss 0.25 / 3, relative 0.5 / 3.
///
/// Group B (eps 0.02), two runs capped at round 1: test b0 [2, 1.5], b1 [3, 2.5]. Means 2.5,
/// 2; sd sqrt((0.25 + 0.25) / 1) = sqrt(0.5) at both rounds; t* = 1, gain 0.5 / 2.5 = 20%.
///
/// The 95% intervals are mean -+ t(0.975, n - 1) sd / sqrt(n): for A (n = 3) half-widths
/// q2 * 0.25 / sqrt(3) at t0 and t1, for B (n = 2) q1 * sqrt(0.5) / sqrt(2) = q1 / 2.
@Suite struct QueryReportTests {
    static let a = [
        "a0000000-0000-4000-8000-000000000000", "a1000000-0000-4000-8000-000000000000",
        "a2000000-0000-4000-8000-000000000000",
    ]
    static let b = ["b0000000-0000-4000-8000-000000000000", "b1000000-0000-4000-8000-000000000000"]

    static func fill(_ store: RunStore) throws {
        let tests: [[Double?]] = [[1, 0.5, 0.75], [1.25, 0.75, 0.875], [0.75, 0.25, 0.625]]
        let gcvs: [[Double?]] = [[3, 2, 1], [3, 1, 2], [3, 1, 2]]
        var runs = [CompleteRun]()
        for (index, id) in a.enumerated() {
            runs.append(
                CompleteRun(
                    run: finishedRun(
                        id: id, config: #"{"dataset":"toy","eps":0.01,"seed":\#(index)}"#,
                        minute: index, eps: 0.01, collapse: 3, boundsHeld: true, zeroTest: 1,
                        zeroTrain: 2),
                    rounds: rounds(test: tests[index], gcv: gcvs[index])))
        }
        for (index, (id, test)) in zip(b, [[2, 1.5], [3, 2.5]] as [[Double?]]).enumerated() {
            runs.append(
                CompleteRun(
                    run: finishedRun(
                        id: id, config: #"{"dataset":"toy","eps":0.02,"seed":\#(index)}"#,
                        minute: 10 + index, eps: 0.02),
                    rounds: rounds(test: test)))
        }
        try store.importRuns(runs)
    }

    /// t(0.975, 1) and t(0.975, 2) from scipy.
    static func scipyQuantiles() throws -> (q1: Double, q2: Double) {
        try requirePython(modules: ["scipy"])
        let result = try python([
            "-c", "from scipy.stats import t; print(repr(float(t.ppf(0.975, 1))), repr(float(t.ppf(0.975, 2))))",
        ])
        let numbers = result.stdout.split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard result.status == 0, numbers.count == 2 else {
            throw TestSupportError("scipy said: \(result.stdout) \(result.stderr)")
        }
        return (numbers[0], numbers[1])
    }

    static func number(_ value: JSONValue?) -> Double? { value?.doubleValue }

    static func array(_ value: JSONValue?) -> [JSONValue]? {
        if case .array(let elements)? = value { return elements }
        return nil
    }

    /// The Student-t quantiles the intervals use are scipy's (to 1e-9).
    @Test func studentQuantilesAgreeWithScipy() throws {
        let (q1, q2) = try Self.scipyQuantiles()
        #expect(isClose(Statistics.studentTQuantile(0.975, degreesOfFreedom: 1), q1, relative: 1e-9))
        #expect(isClose(Statistics.studentTQuantile(0.975, degreesOfFreedom: 2), q2, relative: 1e-9))
        let interval = try #require(Summary([0.5, 0.75, 0.25])?.interval)
        #expect(isClose(interval.upperBound, 0.5 + q2 * 0.25 / 3.0.squareRoot(), relative: 1e-9))
    }

    /// best-rounds as a table: one row per group, sorted by gain, with the figures above.
    @Test func bestRoundsText() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.fill(store)
        let (q1, q2) = try Self.scipyQuantiles()
        let report = try BestRoundsReport(RunQuery(), store: store)
        let lines = report.text().components(separatedBy: "\n")
        #expect(
            cells(lines[0]) == [
                "group", "runs", "metric", "t*", "at t* (95% CI)", "round 0 (95% CI)", "gain",
                "runs' t* median [IQR]", "collapse", "bounds", "GCV agrees",
            ])
        let halfA = TextTable.number(q2 * 0.25 / 3.0.squareRoot()), halfB = TextTable.number(q1 / 2)
        #expect(halfA == "0.621034" && halfB == "6.3531")
        #expect(
            cells(lines[1]) == [
                "eps=0.01", "3", "test_mse", "1", "0.5 ± \(halfA)", "1 ± \(halfA)", "+50.0%", "1 [1-1]", "3",
                "held", "2/3",
            ])
        #expect(
            cells(lines[2]) == [
                "eps=0.02", "2", "test_mse", "1", "2 ± \(halfB)", "2.5 ± \(halfB)", "+20.0%", "1 [1-1]", "-",
                "-", "-",
            ])
        #expect(lines[3] == "")
        #expect(
            lines[4]
                == "GCV vs held-out: GCV chose each run's held-out best round in 2 of 3 runs; trusting it cost "
                + "0.0833 in held-out MSE on average (16.7%)."
        )
        #expect(
            lines[5]
                == "collapse: rounds past a run's collapse count at the zero predictor's error (see `sdtrack query "
                + "--help`)"
        )
        #expect(lines.count == 6 && report.skipped == 0)
    }

    /// best-rounds as JSON: every figure of each group, the overall GCV agreement.
    @Test func bestRoundsJSON() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.fill(store)
        let (q1, q2) = try Self.scipyQuantiles()
        let json = try BestRoundsReport(RunQuery(), store: store).json()
        #expect(json["format"] == .string("sdtrack.best-rounds/1") && json["skipped_groups"] == .int(0))
        let groups = try #require(Self.array(json["groups"]))
        #expect(groups.count == 2)
        let groupA = groups[0], groupB = groups[1]
        #expect(groupA["group"]?.serialized() == #"{"dataset":"toy","eps":0.01}"#)
        #expect(groupA["label"] == .string("eps=0.01") && groupA["metric"] == .string("test_mse"))
        #expect(groupA["maximize"] == .bool(false) && groupA["runs"] == .int(3))
        #expect(groupA["run_ids"] == .array(Self.a.map(JSONValue.string)) && groupA["best_round"] == .int(1))
        let atBest = groupA["at_best"]
        #expect(atBest?["n"] == .int(3) && atBest?["mean"] == .number(0.5) && atBest?["sd"] == .number(0.25))
        let halfA = q2 * 0.25 / 3.0.squareRoot()
        #expect(isClose(Self.number(atBest?["ci_low"]) ?? .nan, 0.5 - halfA, relative: 1e-9))
        #expect(isClose(Self.number(atBest?["ci_high"]) ?? .nan, 0.5 + halfA, relative: 1e-9))
        #expect(groupA["at_round_0"]?["mean"] == .number(1) && groupA["at_round_0"]?["sd"] == .number(0.25))
        #expect(isClose(Self.number(groupA["at_round_0"]?["ci_high"]) ?? .nan, 1 + halfA, relative: 1e-9))
        #expect(groupA["gain"] == .number(0.5))
        #expect(
            groupA["run_best_rounds"]?.serialized() == #"{"values":[1,1,1],"median":1,"q1":1,"q3":1,"min":1,"max":1}"#)
        #expect(
            groupA["collapse_rounds"]?.serialized() == #"{"values":[3,3,3],"median":3,"q1":3,"q3":3,"min":3,"max":3}"#)
        #expect(groupA["bounds_held"] == .bool(true))
        let agreement = groupA["gcv_vs_held_out"]
        #expect(agreement?["runs"] == .int(3) && agreement?["agreeing"] == .int(2))
        #expect(isClose(Self.number(agreement?["mean_test_mse_lost"]) ?? .nan, 0.25 / 3, relative: 1e-15))
        #expect(isClose(Self.number(agreement?["mean_relative_loss"]) ?? .nan, 0.5 / 3, relative: 1e-15))
        #expect(json["gcv_vs_held_out"] == agreement)
        #expect(groupB["label"] == .string("eps=0.02") && groupB["gain"] == .number(0.2))
        #expect(groupB["at_best"]?["mean"] == .number(2) && groupB["at_best"]?["sd"] == .number(0.5.squareRoot()))
        #expect(isClose(Self.number(groupB["at_best"]?["ci_low"]) ?? .nan, 2 - q1 / 2, relative: 1e-9))
        #expect(
            groupB["collapse_rounds"]?.serialized()
                == #"{"values":[],"median":null,"q1":null,"q3":null,"min":null,"max":null}"#)
        #expect(groupB["bounds_held"] == .null && groupB["gcv_vs_held_out"] == .null)
    }

    /// best-rounds as CSV: numbers in JSON's form, empty cells where a figure is missing.
    @Test func bestRoundsCSV() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.fill(store)
        let (q1, q2) = try Self.scipyQuantiles()
        let lines = try BestRoundsReport(RunQuery(), store: store).csv().components(separatedBy: "\n")
        let header =
            "group,metric,runs,best_round,mean_at_best,sd_at_best,ci_low_at_best,ci_high_at_best,"
            + "mean_at_round_0,sd_at_round_0,ci_low_at_round_0,ci_high_at_round_0,gain,run_best_round_median,"
            + "run_best_round_q1,run_best_round_q3,collapse_round_median,bounds_held,gcv_agreeing,"
            + "gcv_mean_test_mse_lost"
        #expect(lines[0] == header)
        #expect(lines.count == 4 && lines[3] == "")
        let rowA = lines[1].components(separatedBy: ","), rowB = lines[2].components(separatedBy: ",")
        #expect(rowA.count == 20 && rowB.count == 20)
        #expect(Array(rowA[0...5]) == ["eps=0.01", "test_mse", "3", "1", "0.5", "0.25"])
        #expect(
            Array(rowA[8...9]) == ["1", "0.25"]
                && Array(rowA[12...19]) == ["0.5", "1", "1", "1", "3", "true", "2/3", "0.08333333333333333"])
        let halfA = q2 * 0.25 / 3.0.squareRoot()
        for (cell, expected) in zip(
            [rowA[6], rowA[7], rowA[10], rowA[11]], [0.5 - halfA, 0.5 + halfA, 1 - halfA, 1 + halfA])
        {
            #expect(isClose(Double(cell) ?? .nan, expected, relative: 1e-9), "\(cell)")
        }
        #expect(Array(rowB[0...5]) == ["eps=0.02", "test_mse", "2", "1", "2", "0.7071067811865476"])
        #expect(Array(rowB[12...19]) == ["0.2", "1", "1", "1", "", "", "", ""])
        #expect(isClose(Double(rowB[7]) ?? .nan, 2 + q1 / 2, relative: 1e-9))
    }

    /// A metric only some groups have at round 0 leaves the others out, and says so:
    /// GCV means for A are 3, 4/3, 5/3, 2 (zero predictor 2 from t = 3), best round 1.
    @Test func groupsWithoutTheMetricAreLeftOut() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.fill(store)
        let report = try BestRoundsReport(RunQuery(metric: "gcv"), store: store)
        #expect(report.skipped == 1 && report.groups.count == 1)
        let group = try #require(report.groups.first)
        #expect(group.metric == "gcv" && group.bestRound == 1 && group.curve.count == 4)
        for (point, expected) in zip(group.curve, [3, 4.0 / 3, 5.0 / 3, 2]) {
            #expect(isClose(point.summary.mean, expected, relative: 1e-15))
        }
        let text = report.text()
        #expect(text.contains("\n1 group left out: some run lacks the metric at round 0\n"))
        // One group: its label shows the summary keys it has.
        #expect(report.labels.label(group.group) == "dataset=toy eps=0.01")
        #expect(report.json()["skipped_groups"] == .int(1))
    }

    /// curve: per group and round, n, mean, sd and the interval; as text, JSON and CSV.
    @Test func curveReport() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.fill(store)
        let (q1, q2) = try Self.scipyQuantiles()
        let report = try CurveReport(RunQuery(), store: store)
        let blocks = report.text().components(separatedBy: "\n\n")
        #expect(blocks.count == 2)
        let linesA = blocks[0].components(separatedBy: "\n"), linesB = blocks[1].components(separatedBy: "\n")
        #expect(linesA[0] == "eps=0.01: test_mse, 3 runs, best round 1" && linesA.count == 6)
        #expect(cells(linesA[1]) == ["t", "n", "mean", "sd", "95% CI low", "95% CI high"])
        let halfA = q2 * 0.25 / 3.0.squareRoot()
        #expect(cells(linesA[2]) == ["0", "3", "1", "0.25", TextTable.number(1 - halfA), TextTable.number(1 + halfA)])
        #expect(
            cells(linesA[3]) == ["1", "3", "0.5", "0.25", TextTable.number(0.5 - halfA), TextTable.number(0.5 + halfA)])
        #expect(
            cells(linesA[4]) == [
                "2", "3", "0.75", "0.125", TextTable.number(0.75 - q2 * 0.125 / 3.0.squareRoot()),
                TextTable.number(0.75 + q2 * 0.125 / 3.0.squareRoot()),
            ])
        #expect(cells(linesA[5]) == ["3", "3", "1", "0", "1", "1"])
        #expect(linesB[0] == "eps=0.02: test_mse, 2 runs, best round 1" && linesB.count == 4)
        #expect(
            cells(linesB[2]) == [
                "0", "2", "2.5", "0.707107", TextTable.number(2.5 - q1 / 2), TextTable.number(2.5 + q1 / 2),
            ])

        let json = report.json()
        #expect(json["format"] == .string("sdtrack.curve/1"))
        let groups = try #require(Self.array(json["groups"]))
        let points = try #require(Self.array(groups.first?["points"]))
        #expect(groups.count == 2 && groups[0]["label"] == .string("eps=0.01") && groups[0]["best_round"] == .int(1))
        #expect(groups[0]["runs"] == .int(3) && groups[0]["metric"] == .string("test_mse"))
        #expect(points.count == 4 && points[3].serialized() == #"{"t":3,"n":3,"mean":1,"sd":0,"ci_low":1,"ci_high":1}"#)
        #expect(
            points[1]["mean"] == .number(0.5)
                && isClose(Self.number(points[1]["ci_high"]) ?? .nan, 0.5 + halfA, relative: 1e-9))

        let csv = report.csv().components(separatedBy: "\n")
        #expect(csv[0] == "group,metric,t,n,mean,sd,ci_low,ci_high" && csv.count == 8 && csv[7] == "")
        #expect(csv[4] == "eps=0.01,test_mse,3,3,1,0,1,1")
        #expect(
            csv[2].hasPrefix("eps=0.01,test_mse,1,3,0.5,0.25,")
                && csv[5].hasPrefix("eps=0.02,test_mse,0,2,2.5,0.7071067811865476,"))
        let low = Double(csv[2].components(separatedBy: ",")[6]) ?? .nan
        #expect(isClose(low, 0.5 - halfA, relative: 1e-9))
    }

    /// compare: the configuration keys that differ, and each metric round by round.
    @Test func compareReport() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.fill(store)
        let report = try CompareReport(store: store, runIDs: [Self.a[0], Self.b[0]], metrics: [])
        #expect(report.metrics == ["test_mse", "gcv"])
        #expect(
            report.json().serialized() == #"{"format":"sdtrack.compare/1","run_ids":["\#(Self.a[0])","\#(Self.b[0])"],"#
                + #""differences":[{"key":"eps","values":["0.01","0.02"]}],"#
                + #""metrics":{"test_mse":[[0,1,2],[1,0.5,1.5],[2,0.75,null]],"gcv":[[0,3,null],[1,2,null],[2,1,"#
                + #"null]]}}"#
        )
        let lines = report.text().components(separatedBy: "\n")
        #expect(lines.count == 14)
        #expect(cells(lines[0]) == ["differs", "a0000000", "b0000000"] && cells(lines[1]) == ["eps", "0.01", "0.02"])
        #expect(lines[2] == "" && lines[3] == "test_mse" && cells(lines[4]) == ["t", "a0000000", "b0000000"])
        #expect(
            cells(lines[5]) == ["0", "1", "2"] && cells(lines[6]) == ["1", "0.5", "1.5"]
                && cells(lines[7]) == ["2", "0.75", "-"])
        #expect(lines[8] == "" && lines[9] == "gcv" && cells(lines[13]) == ["2", "1", "-"])
        // The same run twice: nothing differs; a requested metric only.
        let same = try CompareReport(store: store, runIDs: [Self.a[1], Self.a[1]], metrics: ["gcv"])
        #expect(same.metrics == ["gcv"] && same.text().hasPrefix("configurations: identical\n\ngcv\n"))
        #expect(same.json()["differences"] == .array([]))
        let seeds = try CompareReport(store: store, runIDs: [Self.a[0], Self.a[2]], metrics: ["test_mse"])
        #expect(CompareReport.configDifferences(seeds.runs).map(\.0) == ["seed"])
        let error = #expect(throws: QueryError.self) {
            try CompareReport(store: store, runIDs: [Self.a[0], Self.b[0]], metrics: ["accuracy"])
        }
        #expect(error?.code == .unknownMetric)
        #expect(error?.description == "unknown metric 'accuracy' for these runs; they have test_mse, gcv")
    }

    /// Questions the store cannot answer as asked, each with its code.
    @Test func queryErrors() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = #expect(throws: QueryError.self) { try BestRoundsReport(RunQuery(), store: store) }
        #expect(empty?.code == .noRuns && empty?.description == "no finished runs match in \(store.path)")
        try Self.fill(store)
        // Another experiment's run has df, but only from round 1.
        try store.importRuns([
            CompleteRun(
                run: finishedRun(
                    id: "c0000000-0000-4000-8000-000000000000", config: #"{"dataset":"toy"}"#,
                    minute: 20, experiment: "other"),
                rounds: [RoundRecord(t: 0, testMSE: 1), RoundRecord(t: 1, testMSE: 1, df: 3)])
        ])
        let key = #expect(throws: QueryError.self) { try RunQuery(groupBy: [ConfigKey("lr")!]).series(in: store) }
        #expect(
            key?.code == .unknownConfigKey
                && key?.description == "unknown configuration key 'lr': no run in \(store.path) has it")
        var filter = RunFilter()
        filter.conditions = [ConfigCondition(key: ConfigKey("model.name")!, op: .equal, value: .text("resnet"))]
        #expect(
            (#expect(throws: QueryError.self) { try CurveReport(RunQuery(filter: filter), store: store) })?.code
                == .unknownConfigKey)
        let metric = #expect(throws: QueryError.self) {
            try BestRoundsReport(RunQuery(metric: "accuracy"), store: store)
        }
        #expect(
            metric?.code == .unknownMetric
                && metric?.description == "unknown metric 'accuracy'; recorded metrics are test_mse, df, gcv")
        let noRuns = #expect(throws: QueryError.self) {
            try CurveReport(RunQuery(filter: RunFilter(experiment: "nobody")), store: store)
        }
        #expect(noRuns?.code == .noRuns)
        for experiment in ["default", "other"] {
            let noGroups = #expect(throws: QueryError.self) {
                try BestRoundsReport(RunQuery(filter: RunFilter(experiment: experiment), metric: "df"), store: store)
            }
            #expect(noGroups?.code == .noGroups && noGroups?.description == "no group has df at round 0 for every run")
        }
        // Keys that exist are fine: a column, and a key of the configuration JSON.
        #expect(throws: Never.self) {
            try RunQuery(groupBy: [ConfigKey("eps")!, ConfigKey("dataset")!]).series(in: store)
        }
    }
}
