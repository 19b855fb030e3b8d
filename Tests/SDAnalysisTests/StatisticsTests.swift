import SDTestSupport
import Testing

@testable import SDAnalysis

/// Against values from scipy.stats (t.ppf) and numpy (quantile), computed independently.
@Suite struct StatisticsTests {
    @Test(arguments: [
        (1.0, 12.706204736174694), (2, 4.302652729749462), (4, 2.7764451051977934),
        (9, 2.262157162798205), (29, 2.045229642132703), (200, 1.9718962236339088),
    ])
    func studentTQuantileMatchesScipy(nu: Double, expected: Double) {
        #expect(abs(Statistics.studentTQuantile(0.975, degreesOfFreedom: nu) - expected) < 1e-9 * expected)
        #expect(abs(Statistics.studentTQuantile(0.025, degreesOfFreedom: nu) + expected) < 1e-9 * expected)
    }

    @Test func summaryByHand() throws {
        let summary = try #require(Summary([1, 2, 3, 4]))
        #expect(summary.mean == 2.5 && summary.count == 4)
        let sd = (5.0 / 3).squareRoot()  // sum of squares 5 over n - 1 = 3
        #expect(abs(summary.standardDeviation! - sd) < 1e-15)
        let half = 3.1824463052837078 * sd / 2  // scipy t.ppf(0.975, 3)
        #expect(
            abs(summary.interval!.lowerBound - (2.5 - half)) < 1e-9
                && abs(summary.interval!.upperBound - (2.5 + half)) < 1e-9)
        let single = try #require(Summary([7]))
        #expect(single.mean == 7 && single.standardDeviation == nil && single.interval == nil)
        #expect(Summary([]) == nil)
    }

    @Test func quantilesInterpolateLikeNumpy() {
        let values = [7.0, 1, 3, 5]
        #expect(Statistics.quantile(values, 0.5) == 4)
        #expect(Statistics.quantile(values, 0.25) == 2.5)
        #expect(Statistics.quantile(values, 0.75) == 5.5)
        #expect(Statistics.quantile([3], 0.25) == 3 && Statistics.quantile([], 0.5) == nil)
    }
}
