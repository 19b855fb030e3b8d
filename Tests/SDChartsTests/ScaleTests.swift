import Testing

@testable import SDCharts

@Suite struct ScaleTests {
    func labels(_ ticks: [Tick]) -> [String] {
        ticks.map {
            switch $0.label {
            case .plain(let text): text
            case .powerOfTen(let exponent): "10^\(exponent)"
            }
        }
    }

    @Test func linearTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        let scale = Scale(kind: .linear, values: [0.013, 0.087], range: 0...100, flipped: false, padded: false)
        #expect(labels(scale.ticks()) == ["0.02", "0.04", "0.06", "0.08"])
        let rounds = Scale(kind: .linear, values: [0, 3], range: 0...100, flipped: false, padded: false)
        #expect(labels(rounds.ticks(integers: true)) == ["0", "1", "2", "3"])
        let large = Scale(kind: .linear, values: [0, 3e12], range: 0...100, flipped: false, padded: false)
        #expect(labels(large.ticks()) == ["0", "1e12", "2e12", "3e12"])
    }

    @Test func logTicksArePowersOfTenThinnedWhenMany() {
        let scale = Scale(kind: .log, values: [1e-13, 1], range: 0...100, flipped: false, padded: false)
        #expect(labels(scale.ticks()) == ["10^-13", "10^-11", "10^-9", "10^-7", "10^-5", "10^-3", "10^-1"])
        let narrow = Scale(kind: .log, values: [0.15, 0.9], range: 0...100, flipped: false, padded: false)
        #expect(labels(narrow.ticks()) == ["0.2", "0.5"])
    }

    @Test func positionsMapTheDomainOntoTheRange() {
        let y = Scale(kind: .linear, values: [0, 10], range: 20...120, flipped: true, padded: false)
        #expect(y.position(0) == 120 && y.position(10) == 20 && y.position(5) == 70)
        let log = Scale(kind: .log, values: [1, 100], range: 0...100, flipped: false, padded: false)
        #expect(abs(log.position(10)! - 50) < 1e-12)
        #expect(log.position(0) == nil && log.position(-1) == nil && log.position(.nan) == nil)
    }

    /// A constant series and no data at all still get a domain of positive width.
    @Test func degenerateDomainsAreWidened() {
        #expect(Scale(kind: .linear, values: [2, 2], range: 0...1, flipped: false, padded: false).domain == 1.5...2.5)
        let log = Scale(kind: .log, values: [5], range: 0...1, flipped: false, padded: false).domain
        #expect(abs(log.lowerBound - 0.5) < 1e-15 && abs(log.upperBound - 50) < 1e-13)
        #expect(Scale(kind: .linear, values: [.nan], range: 0...1, flipped: false, padded: false).domain == 0...1)
    }

    @Test func logIsChosenForTwoDecadesOfPositiveValues() {
        #expect(AxisScale.fitting([1e-3, 0.5]) == .log)
        #expect(AxisScale.fitting([0.1, 0.5]) == .linear)
        #expect(AxisScale.fitting([0, 100]) == .linear)
        #expect(AxisScale.fitting([.nan, 1, 1000]) == .log)
    }

    /// The first 28 styles differ in colour, dash or marker; neighbours in all three.
    @Test func stylesStayDistinct() {
        let styles = (0..<28).map(SeriesStyle.init)
        let keys = Set(styles.map { "\($0.color) \($0.dash) \($0.marker)" })
        #expect(keys.count == 28)
        for (a, b) in zip(styles, styles.dropFirst()) {
            #expect(a.color != b.color && a.dash != b.dash && a.marker != b.marker)
        }
    }
}
