import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// The reads behind `sdtrack query`: finished runs only, grouped by configuration without the
/// seed, filtered by --where conditions, with every metric by round.
@Suite struct SeriesTests {
    /// IDs at both ends of the run-ID space and in its middle.
    static let ids = [
        "00000000-0000-4000-8000-000000000000", "80000000-0000-4000-8000-000000000000",
        "ffffffff-0000-4000-8000-000000000000",
    ]

    static func store() throws -> RunStore {
        let folder = try temporaryFolder()
        let store = try RunStore(path: folder.appendingPathComponent("series.db").path, create: true)
        for (index, id) in ids.enumerated() {
            var run = sampleRun(id: id, status: .finished)
            run.configJSON = #"{"lr":\#(index < 2 ? 0.1 : 0.2),"seed":\#(index),"resolved":{"x":\#(index)}}"#
            run.config.seed = index
            let rounds = (0..<3).map { t in
                RoundRecord(
                    t: t, testMSE: Double(index) + Double(t) / 10, gcv: Double(t),
                    extra: ["accuracy": 0.5 + Double(t) / 10])
            }
            try store.insertComplete(run, rounds: rounds)
        }
        try store.insert(sampleRun(status: .running))  // not finished: never in a series
        return store
    }

    @Test func everyFinishedRunWithEveryMetric() throws {
        let series = try Self.store().series(
            matching: RunFilter(), metrics: ["test_mse", "gcv", "accuracy"], groupBy: nil)
        #expect(Set(series.map(\.runID)) == Set(Self.ids))
        for entry in series {
            let index = Double(Self.ids.firstIndex(of: entry.runID)!)
            #expect(entry.values(of: "test_mse") == [index, index + 0.1, index + 0.2])
            #expect(entry.values(of: "gcv") == [0, 1, 2] && entry.values(of: "accuracy") == [0.5, 0.6, 0.7])
        }
    }

    /// A round missing from the table, or a value missing from a round, reads as NaN at its
    /// t; a run without rounds has no values; an imported metric one run lacks is empty.
    @Test func missingRoundsAndValuesAreNaN() throws {
        let store = try Self.store()
        let gappy = sampleRun(status: .finished), empty = sampleRun(status: .finished)
        try store.insertComplete(
            gappy,
            rounds: [RoundRecord(t: 0, testMSE: 1), RoundRecord(t: 1, gcv: 2), RoundRecord(t: 3, testMSE: 4, gcv: 5)])
        try store.insertComplete(empty, rounds: [])
        let series = try store.series(matching: RunFilter(), metrics: ["accuracy", "gcv", "test_mse"], groupBy: nil)
        let byID = Dictionary(uniqueKeysWithValues: series.map { ($0.runID, $0) })
        let test = try #require(byID[gappy.id]?.values(of: "test_mse")),
            gcv = try #require(byID[gappy.id]?.values(of: "gcv"))
        #expect(test.count == 4 && test.first == 1 && test.dropFirst().prefix(2).allSatisfy(\.isNaN) && test.last == 4)
        #expect(
            gcv.count == 4 && gcv.first!.isNaN && gcv.dropFirst().first == 2 && gcv.dropFirst(2).first!.isNaN
                && gcv.last == 5)
        #expect(byID[gappy.id]?.values(of: "accuracy")?.isEmpty == true)
        #expect(byID[empty.id]?.values(of: "test_mse")?.isEmpty == true && byID[empty.id]?.values(of: "df") == nil)
        #expect(byID[Self.ids[2]]?.values(of: "accuracy") == [0.5, 0.6, 0.7])
    }

    @Test func groupsIgnoreSeedAndResolvedValues() throws {
        let store = try Self.store()
        let byDefault = try store.series(matching: RunFilter(), metrics: ["gcv"], groupBy: nil)
        let groups = Dictionary(grouping: byDefault, by: \.group).mapValues { $0.map(\.runID).sorted() }
        #expect(groups.count == 2 && groups.values.contains(Array(Self.ids.prefix(2))))
        let byKey = try store.series(
            matching: RunFilter(), metrics: ["gcv"], groupBy: [ConfigKey("lr")!, ConfigKey("kernel")!])
        #expect(Set(byKey.map(\.group)) == [#"[0.1,"rbf"]"#, #"[0.2,"rbf"]"#])
    }

    @Test func conditionsFilterOnColumnsAndJSONKeys() throws {
        let store = try Self.store()
        let conditions = try WhereClause.parse("lr < 0.15 and kernel = 'rbf' and seed >= 1")
        var filter = RunFilter()
        filter.conditions = conditions
        let series = try store.series(matching: filter, metrics: ["gcv"], groupBy: nil)
        #expect(series.map(\.runID) == [Self.ids[1]])
        #expect(try store.hasConfigKey(ConfigKey("lr")!) && !(try store.hasConfigKey(ConfigKey("momentum")!)))
        #expect(try store.metricNames(matching: RunFilter()) == ["test_mse", "gcv", "accuracy"])
    }

    @Test func whereClausesParseOrFailClearly() throws {
        #expect(
            try WhereClause.parse("eps <= 1e-3 and name == 'it''s'") == [
                ConfigCondition(key: ConfigKey("eps")!, op: .lessOrEqual, value: .number(0.001)),
                ConfigCondition(key: ConfigKey("name")!, op: .equal, value: .text("it's")),
            ])
        for bad in [
            "", "eps", "eps <", "eps < 1 or x = 2", "1; DROP TABLE runs", "eps < 1; DROP TABLE runs", "x = 'open",
        ] {
            #expect(throws: WhereClause.SyntaxError.self, "\(bad)") { try WhereClause.parse(bad) }
        }
    }
}
