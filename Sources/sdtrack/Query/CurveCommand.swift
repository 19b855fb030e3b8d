import ArgumentParser
import SDAnalysis
import SDStore

struct CurveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curve",
        abstract: "The mean and spread of a metric per round for each group: what one plots.",
        discussion: "Per group and round t: runs n, mean, sd and the 95% t-interval of the mean."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FormatOptions

    static let jsonFormat = "sdtrack.curve/1"

    func run() throws {
        let store = try store.open(create: false)
        let (groups, _) = BestRounds.analyze(try analysis.series(store: store), metric: analysis.metric, maximize: analysis.maximize)
        guard !groups.isEmpty else {
            throw CLIError("no group has \(analysis.metric ?? "test_mse or gcv") at round 0 for every run; pass --metric with a metric the runs have")
        }
        let labels = GroupLabels(groups: groups.map(\.group), groupBy: try analysis.groupKeys())
        func cells(_ summary: Summary) -> [Double?] {
            [summary.mean, summary.standardDeviation, summary.interval?.lowerBound, summary.interval?.upperBound]
        }
        switch output.format {
        case .table:
            var blocks = [String]()
            for group in groups {
                var table = TextTable(header: ["t", "n", "mean", "sd", "95% CI low", "95% CI high"])
                for point in group.curve {
                    table.append([String(point.t), String(point.summary.count)] + cells(point.summary).map(TextTable.number))
                }
                let marker = "best round \(group.bestRound)"
                blocks.append(([labels.label(group.group) + ": \(group.metric), \(group.runIDs.count) runs, \(marker)"] + table.lines()).joined(separator: "\n"))
            }
            print(blocks.joined(separator: "\n\n"))
        case .json:
            print(JSONValue.object([
                ("format", .string(Self.jsonFormat)),
                ("groups", .array(groups.map { group in
                    .object([
                        ("group", .raw(group.group)), ("label", .string(labels.label(group.group))), ("metric", .string(group.metric)),
                        ("runs", .int(group.runIDs.count)), ("best_round", .int(group.bestRound)),
                        ("points", .array(group.curve.map { point in
                            .object([("t", .int(point.t)), ("n", .int(point.summary.count)), ("mean", .number(point.summary.mean)),
                                     ("sd", .optional(point.summary.standardDeviation)),
                                     ("ci_low", .optional(point.summary.interval?.lowerBound)),
                                     ("ci_high", .optional(point.summary.interval?.upperBound))])
                        })),
                    ])
                })),
            ]).serialized())
        case .csv:
            var lines = [csvLine(["group", "metric", "t", "n", "mean", "sd", "ci_low", "ci_high"])]
            for group in groups {
                for point in group.curve {
                    lines.append(csvLine([labels.label(group.group), group.metric, String(point.t), String(point.summary.count)]
                        + cells(point.summary).map(csvNumber)))
                }
            }
            print(lines.joined(separator: "\n"))
        }
    }
}
