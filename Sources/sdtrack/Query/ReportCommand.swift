import ArgumentParser
import SDCharts
import SDReports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML file: the best-rounds table, every group's figures, the runs.",
        discussion: """
            Takes the filters and grouping of `sdtrack query best-rounds`. The file has its figures inline \
            (SVG), its style inline, and no network access or external script, so it opens offline in \
            any browser and can be mailed or archived as it is.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var analysis: AnalysisOptions

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output = "report.html"

    @Option(help: "The page's title.")
    var title = "sdtrack report"

    @Option(help: "Draw the figures of this many groups, the first by gain (the table lists every group).")
    var figures = HTMLReport.defaultFigureGroups

    func validate() throws {
        if figures < 0 { throw ValidationError("--figures must be 0 or more, got \(figures)") }
        if FigureFile.format(of: output) != .html || output == "-" {
            throw ValidationError("--output '\(output.shortened)': name the report .html")
        }
    }

    func run() throws {
        let store = try store.open(create: false, access: .read)
        let page = try HTMLReport.page(
            try analysis.query(), store: store, title: title, figureGroups: figures)
        try FigureFile.save(page.document(), to: output)
        print("wrote \(output)")
    }
}
