import ArgumentParser
import SDAnalysis
import SDStore

struct BestRoundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best-rounds",
        abstract: "The best number of distillation rounds per configuration, with its uncertainty over seeds.",
        discussion: """
            For each group: runs; t*, the best round of the mean curve; the metric at t* and at round 0 \
            (mean, sd, 95% t-interval over runs); the relative gain of t* over round 0; the spread of \
            each run's own best round; collapse rounds; whether math.md's bounds held in every run; \
            and, where runs have a held-out set, how often GCV's best round is the held-out best round \
            and the held-out error lost by trusting GCV. Sorted by gain.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let store = try store.open(create: false)
        let series = try analysis.series(store: store)
        let (groups, skipped) = BestRounds.analyze(series, metric: analysis.metric, maximize: analysis.maximize)
        guard !groups.isEmpty else {
            throw CLIError("no group has \(analysis.metric ?? "test_mse or gcv") at round 0 for every run; pass --metric with a metric the runs have")
        }
        let labels = GroupLabels(groups: groups.map(\.group), groupBy: try analysis.groupKeys())
        let report = BestRoundsReport(groups: groups, skipped: skipped.count, labels: labels)
        switch output.format {
        case .table:
            print(report.text())
            if analysis.metric == nil, groups.contains(where: { $0.metric == "gcv" }), try store.hasTruth() {
                print("metric: GCV where runs have no held-out set; these runs also have the error against the noiseless truth (--metric truth_mse)")
            }
        case .json: print(report.json().serialized())
        case .csv: print(report.csv(), terminator: "")
        }
    }
}
