import ArgumentParser
import SDReports

struct CurveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curve",
        abstract: "The mean and spread of a metric per round for each group: what one plots.",
        discussion: "Per group and round t: runs n, mean, sd and the 95% t-interval of the mean."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let report = try CurveReport(try analysis.query(), store: try store.open(create: false, access: .read))
        switch output.format {
        case .table: print(report.text())
        case .json: print(report.json().serialized())
        case .csv: print(report.csv(), terminator: "")
        }
    }
}
