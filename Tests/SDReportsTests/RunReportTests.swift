import Foundation
import SDAnalysis
import SDEngine
import SDJSON
import SDRun
import SDSpec
import SDStore
import SDTestSupport
import Testing

@testable import SDReports

/// What `sdtrack run` prints, and its best rounds against those `query best-rounds` finds in
/// the store for the same run.
@Suite struct RunReportTests {
    /// Noisy sine (noise 2) with 30% held out, laplacian gamma 5: the fits chase the noise, so
    /// the zero predictor can beat them on held-out points.
    static func noisySine(seed: UInt64, mode: ModeSpecification) -> RunSpecification {
        RunSpecification(
            data: .init(source: "sine", testFraction: 0.3, seed: seed, pointCount: 30, noise: 2),
            kernel: .init(name: "laplacian", gamma: 5), mode: mode)
    }

    /// An object's keys in order; empty for anything else.
    static func keys(_ value: JSONValue?) -> [String] {
        if case .object(let members)? = value { return members.map(\.0) }
        return []
    }

    static func elements(_ value: JSONValue?) -> [JSONValue]? {
        if case .array(let elements)? = value { return elements }
        return nil
    }

    /// The run's own best round by `metric` as best-rounds finds it from the store: the run's
    /// series alone, analysed as a group of one.
    static func storedBestRound(_ store: RunStore, runID: String, metric: RoundMetric) throws -> (run: Int, group: Int)?
    {
        let series = try store.series(matching: RunFilter(), metrics: [metric.name], groupBy: nil).filter {
            $0.runID == runID
        }
        let group = BestRounds.analyze(series, metric: metric.name, maximize: false).groups.first
        return group.map { ($0.runBestRounds[0], $0.bestRound) }
    }

    /// The run's best round and best-rounds' agree on every metric, counting the zero
    /// predictor from the collapse round on; among a few eps values there is a run whose
    /// held-out best is its collapse round T itself, because f = 0 beats every fit before it.
    @Test func bestRoundAgreesWithBestRoundsQuery() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var collapseIsBest = [(seed: UInt64, ratio: Double, collapse: Int)]()
        for seed: UInt64 in [1, 2, 3] {
            for ratio in [0.2, 0.4, 0.6, 0.8] {
                let outcome = try Runner.run(Self.noisySine(seed: seed, mode: .init(epsRel: ratio)), store: store)
                let report = RunReport(outcome, databasePath: store.path)
                let id = try #require(outcome.runID)
                for metric in [RoundMetric.testMSE, .truthMSE, .gcv] {
                    let own = try #require(report.bestRound(by: metric))
                    let stored = try #require(try Self.storedBestRound(store, runID: id, metric: metric))
                    #expect(own == stored.run && own == stored.group, "seed \(seed), eps-rel \(ratio), \(metric.name)")
                }
                let collapse = try #require(outcome.distillation.collapseRound)
                #expect(collapse == outcome.rounds.count)
                if collapse >= 1, report.bestRound(by: .testMSE) == collapse {
                    // f = 0 beats every round before T: the zero predictor's held-out error is below each.
                    let zero = try #require(outcome.distillation.dataset.zeroPredictorMSE.test)
                    #expect(outcome.rounds.allSatisfy { $0.testMSE! > zero })
                    collapseIsBest.append((seed, ratio, collapse))
                }
            }
        }
        #expect(!collapseIsBest.isEmpty, "no run among the eps values had its collapse round as held-out best")
        // And the JSON and the text say the same round.
        let found = try #require(collapseIsBest.first)
        let report = RunReport(
            try Runner.run(Self.noisySine(seed: found.seed, mode: .init(epsRel: found.ratio)), store: nil),
            databasePath: nil)
        #expect(report.json()["best_round"]?["test_mse"] == .int(found.collapse))
        #expect(report.text().contains("round by test MSE \(found.collapse) (f = 0 from the collapse)"))
    }

    /// A run capped exactly at its collapse round still reports the collapse (and counts the
    /// zero predictor there); one capped a round earlier has no collapse and ends at its last
    /// round. Both agree with best-rounds.
    @Test func cappedRunsAgreeWithBestRounds() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        func toy(_ maxRounds: Int?) -> RunSpecification {
            RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01), maxRounds: maxRounds)
        }
        let full = try Runner.run(toy(nil), store: nil)
        let collapse = try #require(full.distillation.collapseRound)
        #expect(collapse >= 2)
        let atCap = try Runner.run(toy(collapse), store: store),
            beforeCap = try Runner.run(toy(collapse - 1), store: store)
        #expect(atCap.distillation.collapseRound == collapse && beforeCap.distillation.collapseRound == nil)
        #expect(beforeCap.rounds.count == collapse - 1)
        for (outcome, label) in [(atCap, "at the collapse"), (beforeCap, "before it")] {
            let report = RunReport(outcome, databasePath: nil)
            for metric in [RoundMetric.truthMSE, .gcv] {
                let stored = try Self.storedBestRound(store, runID: try #require(outcome.runID), metric: metric)
                #expect(
                    report.bestRound(by: metric) == stored?.run && stored?.run == stored?.group,
                    "\(label), \(metric.name)")
            }
        }
        #expect(
            RunReport(atCap, databasePath: nil).bestRound(by: .gcv)
                == RunReport(full, databasePath: nil).bestRound(by: .gcv))
    }

    /// A run that collapses at round 0 (eps at least mean(y^2), r_0 <= 1) has no rounds and
    /// best round 0 by every metric it has, in the report and in best-rounds.
    @Test func collapseAtRoundZeroIsBestAtZero() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Runner.run(Self.noisySine(seed: 1, mode: .init(epsRel: 2)), store: store)
        #expect(outcome.rounds.isEmpty && outcome.distillation.collapseRound == 0 && outcome.distillation.r0! <= 1)
        let report = RunReport(outcome, databasePath: store.path)
        let id = try #require(outcome.runID)
        for metric in [RoundMetric.testMSE, .truthMSE, .gcv] {
            #expect(report.bestRound(by: metric) == 0, "\(metric.name)")
            let stored = try Self.storedBestRound(store, runID: id, metric: metric)
            #expect(stored?.run == 0 && stored?.group == 0, "\(metric.name)")
        }
        #expect(report.json()["best_round"]?.serialized() == #"{"test_mse":0,"truth_mse":0,"gcv":0}"#)
        #expect(report.json()["rounds"] == .array([]) && report.json()["collapse_round"] == .int(0))
        let text = report.text()
        #expect(text.contains("collapse  round 0: r_0 <= 1, so f_0 = 0 and every later round is 0"))
        #expect(
            text.contains(
                "best      round by test MSE 0 (f = 0 from the collapse); by truth MSE 0 (f = 0 from the collapse); "
                    + "by GCV 0 (f = 0 from the collapse) (GCV treats c_0..c_t as fixed)"
            ))
        // toy has no held-out set: no test MSE best round, but truth and GCV.
        let toy = RunReport(
            try Runner.run(
                RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(epsRel: 1.5)), store: nil),
            databasePath: nil)
        #expect(toy.bestRound(by: .testMSE) == nil && toy.bestRound(by: .truthMSE) == 0 && toy.bestRound(by: .gcv) == 0)
    }

    /// A run collapsed at round 0 in a group where every run has a held-out set keeps the
    /// group's metric test_mse (its zero predictor's held-out error counts), not GCV.
    @Test func roundZeroCollapseKeepsTheHeldOutMetric() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        // One absolute eps for every seed, between the smallest and largest training mean(y^2):
        // the seeds at or below it collapse at round 0, the others run.
        let seeds: [UInt64] = [1, 2, 3, 4, 5, 6]
        let meanSquares = try seeds.map { seed in
            let targets = try Self.noisySine(seed: seed, mode: .init()).data.load().dataset.train.targets
            return targets.reduce(0) { $0 + $1 * $1 } / Double(targets.count)
        }
        let eps = (meanSquares.min()! + meanSquares.max()!) / 2
        var outcomes = [RunOutcome]()
        for seed in seeds {
            outcomes.append(try Runner.run(Self.noisySine(seed: seed, mode: .init(eps: eps)), store: store))
        }
        let atZero = outcomes.filter { $0.distillation.collapseRound == 0 }
        #expect(!atZero.isEmpty && atZero.count < outcomes.count)
        let series = try store.series(matching: RunFilter(), metrics: ["test_mse", "gcv"], groupBy: nil)
        #expect(Set(series.map(\.group)).count == 1 && series.count == seeds.count)
        #expect(BestRounds.defaultMetric(for: series) == "test_mse")
        let report = try BestRoundsReport(RunQuery(), store: store)
        #expect(
            report.groups.count == 1 && report.groups.first?.metric == "test_mse"
                && report.groups.first?.runIDs.count == seeds.count)
        // The collapsed run alone is a group of one with the held-out metric, best at round 0.
        let alone = try #require(atZero.first?.runID)
        let own = try store.series(matching: RunFilter(), metrics: ["test_mse", "gcv"], groupBy: nil).filter {
            $0.runID == alone
        }
        #expect(own.first?.values(of: "test_mse")?.isEmpty == true && own.first?.zeroPredictor.testMSE != nil)
        #expect(BestRounds.defaultMetric(for: own) == "test_mse")
        let group = try #require(BestRounds.analyze(own, metric: nil, maximize: false).groups.first)
        #expect(
            group.metric == "test_mse" && group.bestRound == 0 && group.runBestRounds == [0] && group.curve.count == 1)
    }

    /// The JSON layout: format, configuration, round keys, best rounds, bounds, checks, spectrum.
    @Test func jsonLayout() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Runner.run(
            RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01)), store: store)
        let json = RunReport(outcome, databasePath: store.path).json()
        #expect(
            Self.keys(json) == [
                "format", "run_id", "config", "rounds", "collapse_round", "bounds", "checks", "warning", "solver",
                "best_round", "spectrum",
            ])
        #expect(json["format"] == .string("sdtrack.run/2") && RunReport.jsonFormat == "sdtrack.run/2")
        #expect(json["run_id"] == .string(outcome.runID!))
        #expect(
            json["config"] == outcome.configuration
                && json["config"]?.serialized() == outcome.configuration.serialized())
        let rounds = try #require(Self.elements(json["rounds"]))
        #expect(rounds.count == outcome.rounds.count && !rounds.isEmpty)
        for (round, expected) in zip(rounds, outcome.rounds) {
            #expect(
                Self.keys(round) == [
                    "t", "c", "r", "target_norm", "train_mse", "target_mse", "test_mse", "truth_mse", "df", "gcv",
                    "rkhs_norm",
                ])
            #expect(round["t"] == .int(expected.t) && round["c"] == .number(expected.c) && round["test_mse"] == .null)
            #expect(round["truth_mse"] == .optional(expected.truthMSE) && round["gcv"] == .number(expected.gcv))
        }
        #expect(json["collapse_round"] == .optional(outcome.distillation.collapseRound))
        #expect(Self.keys(json["best_round"]) == ["test_mse", "truth_mse", "gcv"])
        #expect(json["best_round"]?["test_mse"] == .null && json["best_round"]?["truth_mse"] != .null)
        #expect(Self.keys(json["bounds"]) == ["lower", "upper", "kappa", "rounds", "held"])
        #expect(
            json["bounds"]?["held"] == .bool(true)
                && json["bounds"]?["rounds"] == .optional(outcome.distillation.collapseRound))
        #expect(json["checks"]?["all_held"] == .bool(true) && json["checks"]?["collapse_bounds"] == .bool(true))
        #expect(json["spectrum"]?["eigenvalues"] == .numbers(outcome.distillation.spectrum.eigenvalues))
        #expect(json["spectrum"]?["z0"] == .numbers(outcome.distillation.spectrum.z0))
        // Without a store the run ID is null.
        let unrecorded = RunReport(
            try Runner.run(RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01)), store: nil),
            databasePath: nil)
        #expect(unrecorded.json()["run_id"] == .null)
    }

    /// The text: data, kernel, mode, the rounds table, collapse, bounds, checks, best and where
    /// it was recorded.
    @Test func textLines() throws {
        let (store, folder) = try freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Runner.run(
            RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01)), store: store)
        let report = RunReport(outcome, databasePath: store.path)
        let lines = report.text().components(separatedBy: "\n")
        let collapse = try #require(outcome.distillation.collapseRound)
        let bounds = try #require(outcome.distillation.collapseBounds)
        #expect(lines[0] == "data      toy: K = 11 training points, p = 1, no held-out set, truth on 101 grid points")
        #expect(lines[1] == "kernel    rbf, gamma = 80")
        #expect(lines[2] == "mode      eps = 0.01")
        #expect(lines[3] == "")
        #expect(cells(lines[4]) == ["t", "c_t", "r_t", "train MSE", "truth MSE", "df", "GCV", "RKHS norm"])
        let first = outcome.rounds[0]
        #expect(
            cells(lines[5]) == [
                "0", TextTable.number(first.c), TextTable.number(first.r), TextTable.number(first.trainMSE),
                TextTable.number(first.truthMSE), TextTable.number(first.degreesOfFreedom),
                TextTable.number(first.gcv), TextTable.number(first.rkhsNorm),
            ])
        let rest = Array(lines.dropFirst(5 + outcome.rounds.count))
        #expect(rest[0] == "")
        #expect(
            rest[1]
                == "collapse  round \(collapse): r_\(collapse) <= 1, so f_\(collapse) = 0 and every later round is 0")
        #expect(
            rest[2]
                == "bounds    ceil(r0 - 1) = \(bounds.lower) <= T = \(collapse) <= ceil(kappa (r0 - 1)) = "
                + "\(bounds.upper.map(String.init) ?? "inf (kappa infinite)"): held"
        )
        #expect(
            rest[3].hasPrefix(
                "checks    all held (c in bracket, c increasing, r decreasing, loss = eps, df decreasing, train MSE "
                    + "increasing, RKHS norm decreasing); max |loss - eps| / eps = "
            ))
        let truth = try #require(report.bestRound(by: .truthMSE)), gcv = try #require(report.bestRound(by: .gcv))
        #expect(rest[4].hasPrefix("solver    tridiagonal: 11 of 11 eigenvalues resolved above "))
        #expect(rest[5].hasPrefix("best      round by truth MSE \(truth)") && rest[5].contains("; by GCV \(gcv)"))
        #expect(rest[5].hasSuffix("(GCV treats c_0..c_t as fixed)"))
        #expect(rest[6] == "recorded  run \(outcome.runID!) in \(store.path)" && rest.count == 7)
    }

    /// eps-rel, fixed c and a capped run word their mode and collapse lines as such; a
    /// held-out set adds its column and its best round.
    @Test func modeAndCollapseWording() throws {
        let relative = RunReport(
            try Runner.run(
                RunSpecification(
                    data: .init(testFraction: 0.2), kernel: .init(name: "rbf", gamma: 80),
                    mode: .init(epsRel: 0.1)), store: nil), databasePath: nil)
        let relativeText = relative.text()
        let eps = try #require(relative.outcome.distillation.eps)
        #expect(relativeText.contains("mode      eps = \(TextTable.number(eps)) (0.1 x mean(y^2))"))
        #expect(
            relativeText.hasPrefix("data      toy: K = 9 training points, p = 1, 2 held out, truth on 101 grid points"))
        #expect(
            cells(relativeText.components(separatedBy: "\n")[4])
                == ["t", "c_t", "r_t", "train MSE", "test MSE", "truth MSE", "df", "GCV", "RKHS norm"])
        #expect(relativeText.contains("best      round by test MSE "))
        let fixed = RunReport(
            try Runner.run(
                RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(fixedC: 0.02), maxRounds: 3),
                store: nil), databasePath: nil)
        let fixedText = fixed.text()
        #expect(
            fixedText.contains("mode      fixed c = 0.02") && !fixedText.contains("collapse  ")
                && !fixedText.contains("bounds    "))
        #expect(
            cells(fixedText.components(separatedBy: "\n")[4]) == [
                "t", "c_t", "train MSE", "truth MSE", "df", "GCV", "RKHS norm",
            ])
        #expect(fixed.json()["bounds"] == .null && fixed.json()["collapse_round"] == .null)
        let capped = RunReport(
            try Runner.run(
                RunSpecification(kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.001), maxRounds: 2),
                store: nil), databasePath: nil)
        let cappedText = capped.text()
        #expect(cappedText.contains("collapse  none within 2 rounds (cap 2)"))
        #expect(cappedText.contains(": not reached (run capped)"))
    }
}
