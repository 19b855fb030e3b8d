import SDAnalysis
import SDJSON
import SDStore

/// `sdtrack query curve`: per group and round, the metric's mean, sd and 95% interval over the
/// group's runs; as tables, JSON ("sdtrack.curve/1") or CSV.
public struct CurveReport: Sendable {
    public static let jsonFormat = "sdtrack.curve/1"

    public let groups: [GroupAnalysis]
    public let labels: GroupLabels

    public init(_ query: RunQuery, store: RunStore) throws {
        (groups, _, labels) = try query.analyze(store)
    }

    static func cells(_ summary: Summary) -> [Double?] {
        [summary.mean, summary.standardDeviation, summary.interval?.lowerBound, summary.interval?.upperBound]
    }

    public func text() -> String {
        groups.map { group in
            var table = TextTable(header: ["t", "n", "mean", "sd", "95% CI low", "95% CI high"])
            for point in group.curve {
                table.append(
                    [String(point.t), String(point.summary.count)] + Self.cells(point.summary).map(TextTable.number))
            }
            let title =
                "\(labels.label(group.group)): \(group.metric), \(group.runIDs.count) runs, best round "
                + "\(group.bestRound)"
            return ([title] + table.lines()).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    public func json() -> JSONValue {
        .object([
            ("format", .string(Self.jsonFormat)),
            (
                "groups",
                .array(
                    groups.map { group in
                        .object(
                            labels.members(of: group.group) + [
                                ("metric", .string(group.metric)), ("runs", .int(group.runIDs.count)),
                                ("best_round", .int(group.bestRound)),
                                (
                                    "points",
                                    .array(
                                        group.curve.map { point in
                                            .object([("t", .int(point.t))] + BestRoundsReport.members(point.summary))
                                        })
                                ),
                            ])
                    })
            ),
        ])
    }

    public func csv() -> String {
        var lines = [csvLine(["group", "metric", "t", "n", "mean", "sd", "ci_low", "ci_high"])]
        for group in groups {
            for point in group.curve {
                lines.append(
                    csvLine(
                        [labels.label(group.group), group.metric, String(point.t), String(point.summary.count)]
                            + Self.cells(point.summary).map(csvNumber)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
