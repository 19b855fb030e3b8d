import SDTestSupport
import Testing

@testable import SDAnalysis
@testable import SDStore

/// Small groups whose answers are worked out by hand in the comments.
@Suite struct GroupAnalysisTests {
    static func series(
        _ id: String, group: String = "g", test: [Double?] = [], gcv: [Double?] = [], extra: [String: [Double?]] = [:],
        collapse: Int? = nil, zeroTest: Double? = nil, zeroTrain: Double? = nil, bounds: Bool? = nil
    ) -> RunSeries {
        var values = extra
        if !test.isEmpty { values["test_mse"] = test }
        if !gcv.isEmpty { values["gcv"] = gcv }
        return RunSeries(
            runID: id, collapseRound: collapse, boundsHeld: bounds,
            zeroPredictor: ZeroPredictorErrors(trainMSE: zeroTrain, testMSE: zeroTest), group: group, values: values)
    }

    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        a.map { abs($0 - b) <= tolerance } ?? false
    }

    /// Rounds past a collapse count at the zero predictor's error, up to the latest collapse:
    /// run a [0.5, 0.3, 0.4] collapses at 3 (zero 1.0), run b [0.7, 0.5] at 2 (zero 0.9).
    /// Mean curve: t0 0.6, t1 0.4, t2 (0.4 + 0.9)/2 = 0.65, t3 (1.0 + 0.9)/2 = 0.95.
    @Test func collapsedRunsContinueAtTheZeroPredictorsError() throws {
        let (groups, skipped) = BestRounds.analyze(
            [
                Self.series("a", test: [0.5, 0.3, 0.4], collapse: 3, zeroTest: 1.0, bounds: true),
                Self.series("b", test: [0.7, 0.5], collapse: 2, zeroTest: 0.9, bounds: true),
            ], metric: nil, maximize: false)
        #expect(skipped.isEmpty)
        let group = try #require(groups.first)
        #expect(group.metric == "test_mse")
        #expect(group.curve.count == 4)
        for (point, expected) in zip(group.curve, [0.6, 0.4, 0.65, 0.95]) {
            #expect(Self.close(point.summary.mean, expected), "t\(point.t)")
        }
        #expect(group.bestRound == 1)
        // sd at t1: deviations -0.1, +0.1 -> sqrt(0.02 / 1); interval 0.4 -/+ t(0.975, 1) sd / sqrt 2.
        let sd = 0.02.squareRoot()
        #expect(Self.close(group.atBest.standardDeviation, sd))
        #expect(Self.close(group.atBest.interval?.upperBound, 0.4 + 12.706204736174694 * sd / 2.0.squareRoot(), 1e-9))
        #expect(Self.close(group.gain, (0.6 - 0.4) / 0.6))
        #expect(group.runBestRounds == [1, 1] && group.collapseRounds == [3, 2] && group.boundsHeldEverywhere == true)
    }

    /// A run stopped by its round cap has no value after its last round, so the group's curve
    /// ends there: [0.5, 0.4, 0.45, 0.5] and [0.6, 0.5] compare over rounds 0 and 1 only.
    @Test func cappedRunsEndTheCurveAtTheirLastRound() throws {
        let group = try #require(
            BestRounds.analyze(
                [
                    Self.series("a", test: [0.5, 0.4, 0.45, 0.5]), Self.series("b", test: [0.6, 0.5]),
                ], metric: "test_mse", maximize: false
            ).groups.first)
        #expect(group.curve.map(\.summary.mean).count == 2 && Self.close(group.curve[1].summary.mean, 0.45))
        #expect(group.bestRound == 1 && group.collapseRounds.isEmpty && group.boundsHeldEverywhere == nil)
    }

    /// A collapsed run beside a capped one: a [0.2] collapses at 1 (zero 0.8), b [0.3, 0.25, 0.2]
    /// is capped at round 2. Curve: 0.25, (0.8 + 0.25)/2 = 0.525, (0.8 + 0.2)/2 = 0.5: best 0.
    @Test func collapsedAndCappedRunsTogether() throws {
        let group = try #require(
            BestRounds.analyze(
                [
                    Self.series("a", test: [0.2], collapse: 1, zeroTest: 0.8, bounds: true),
                    Self.series("b", test: [0.3, 0.25, 0.2], bounds: false),
                ], metric: nil, maximize: false
            ).groups.first)
        for (point, expected) in zip(group.curve, [0.25, 0.525, 0.5]) {
            #expect(Self.close(point.summary.mean, expected))
        }
        #expect(group.curve.count == 3 && group.bestRound == 0 && Self.close(group.gain, 0))
        #expect(group.runBestRounds == [0, 2] && group.boundsHeldEverywhere == false)
    }

    /// Larger is better: accuracy means 0.85, 0.925, 0.89 -> t* = 1, gain 0.075 / 0.85.
    @Test func maximizingAnImportedMetric() throws {
        let group = try #require(
            BestRounds.analyze(
                [
                    Self.series("a", extra: ["accuracy": [0.9, 0.95, 0.93]]),
                    Self.series("b", extra: ["accuracy": [0.8, 0.9, 0.85]]),
                ], metric: "accuracy", maximize: true
            ).groups.first)
        #expect(group.bestRound == 1 && Self.close(group.gain, 0.075 / 0.85))
        #expect(group.runBestRounds == [1, 1])
    }

    /// GCV [3, 2, 1] picks round 2 where the held-out best is round 1 (test [3, 1, 2]): it
    /// loses 2 - 1 = 1, relatively 1 / 1. The second run agrees. Over both: 1 of 2, 0.5, 0.5.
    @Test func gcvAgainstHeldOut() throws {
        let group = try #require(
            BestRounds.analyze(
                [
                    Self.series("a", test: [3, 1, 2], gcv: [3, 2, 1]),
                    Self.series("b", test: [1, 2, 3], gcv: [1, 2, 3]),
                ], metric: nil, maximize: false
            ).groups.first)
        #expect(group.gcvAgreement == GCVAgreement(runs: 2, agreeing: 1, meanTestMSELost: 0.5, meanRelativeLoss: 0.5))
        let combined = GCVAgreement.combined([
            group.gcvAgreement!, GCVAgreement(runs: 2, agreeing: 2, meanTestMSELost: 0, meanRelativeLoss: 0),
        ])
        #expect(combined == GCVAgreement(runs: 4, agreeing: 3, meanTestMSELost: 0.25, meanRelativeLoss: 0.25))
    }

    @Test func defaultMetricGroupingAndSkipping() throws {
        let (groups, skipped) = BestRounds.analyze(
            [
                Self.series("a", group: "with-test", test: [0.2, 0.1], gcv: [0.3, 0.2]),
                Self.series("b", group: "gcv-only", gcv: [0.3, 0.4]),
                Self.series("c", group: "gcv-only", gcv: [0.5, 0.45]),
                Self.series("d", group: "no-round-0", gcv: [nil, 0.4]),
            ], metric: nil, maximize: false)
        #expect(skipped == ["no-round-0"])
        let byGroup = Dictionary(uniqueKeysWithValues: groups.map { ($0.group, $0) })
        #expect(byGroup["with-test"]?.metric == "test_mse" && byGroup["gcv-only"]?.metric == "gcv")
        #expect(byGroup["gcv-only"]?.runIDs == ["b", "c"] && byGroup["gcv-only"]?.bestRound == 0)
        // Sorted by gain: with-test gains 50%, gcv-only 0%.
        #expect(groups.map(\.group) == ["with-test", "gcv-only"])
    }

    @Test func meanOfEqualValuesIsExact() throws {
        let summary = try #require(Summary([0.1, 0.1, 0.1]))
        #expect(summary.mean == 0.1 && summary.standardDeviation == 0)
    }
}
