import ArgumentParser
import SDReports
import SDStore

struct BestRoundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best-rounds",
        abstract: "The best number of distillation rounds per configuration, with its uncertainty over seeds.",
        discussion: """
            For each group: runs; t*, the best round of the mean curve; the metric at t* and at round 0 \
            (mean, sd, 95% t-interval over runs); the relative gain of t* over round 0; the spread of \
            each run's own best round; collapse rounds; whether docs/math.md's bounds held in every run; \
            and, where runs have a held-out set, in how many runs GCV's best round is the held-out \
            best round ("GCV agrees"), and the held-out error lost by trusting GCV. Sorted by gain.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let store = try store.open(create: false, access: .read)
        let report = try BestRoundsReport(try analysis.query(), store: store)
        switch output.format {
        case .table: print(report.text())
        case .json: print(report.json().serialized())
        case .csv: print(report.csv(), terminator: "")
        }
    }
}
