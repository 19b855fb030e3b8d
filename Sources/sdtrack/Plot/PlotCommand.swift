import ArgumentParser
import SDCharts
import SDJSON
import SDReports
import SDRun
import SDStore

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw figures from the database: SVG, PNG (with rsvg-convert or chromium) or an HTML page.",
        discussion: """
            --json prints the numbers a figure shows (sdtrack.figure/1): panels, series (x, y, and the \
            95% band as low and high), rules, rugs, in the order the SVG draws them. In the SVG each panel \
            carries its plot box and its axes' exact domains (data-box, data-x-domain, data-y-domain), so \
            a drawn point maps back to its value. Colours are Okabe and Ito's (safe for colour-blind \
            readers), and series also differ in dash and marker, so figures survive grayscale printing.
            """,
        subcommands: [
            PlotBestRoundsCommand.self, PlotRunCommand.self, PlotSpectrumCommand.self, PlotFitCommand.self,
        ]
    )
}

/// Where a figure goes; its extension chooses the format.
struct FigureOutputOptions: ParsableArguments {
    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "The file to write: .svg, .png or .html (default: a name after the figure); - writes SVG to stdout.",
            valueName: "file"))
    var output: String?

    @Flag(help: "Print the figure's numbers as JSON (sdtrack.figure/1) instead of 'wrote FILE'.")
    var json = false

    func validate() throws {
        if let output, FigureFile.format(of: output) == nil {
            throw ValidationError("--output '\(output.shortened)': name the file .svg, .png or .html, or give -")
        }
        if json, output == "-" { throw ValidationError("--json and --output - both print to stdout; give a file") }
    }

    /// Writes the figure to --output or `defaultName`, then says where, or prints its numbers.
    func write(_ figure: Figure, defaultName: String) throws {
        let path = output ?? defaultName
        try FigureFile.write(figure, to: path)
        if json {
            guard case .object(let members) = figure.json() else { return }
            print(JSONValue.object([members[0], ("path", .string(path))] + members.dropFirst()).serialized())
        } else if path != "-" {
            print("wrote \(path)")
        }
    }
}

struct PlotBestRoundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best-rounds",
        abstract: "The metric over rounds per group: mean, 95% band over seeds, t*, round 0, collapses.",
        discussion: "Takes the filters and grouping of `sdtrack query best-rounds`; its numbers are that query's."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FigureOutputOptions

    @Flag(help: "Draw every group in one panel instead of a panel per group.")
    var overlay = false

    func run() throws {
        let store = try store.open(create: false, access: .read)
        let report = try BestRoundsReport(try analysis.query(), store: store)
        try output.write(BestRoundsFigure.figure(report, overlay: overlay), defaultName: "best-rounds.svg")
    }
}

/// A run named on the command line, read whole.
struct RunArgument: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Argument(help: "The run's ID or a unique prefix of it.")
    var id: String

    func read() throws -> CompleteRun {
        let store = try store.open(create: false, access: .read)
        return try store.completeRuns(ids: [try store.resolve(id)])[0]
    }
}

struct PlotRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "One run's rounds: c_t, r_t, the errors, df, GCV and the RKHS norm, with the collapse and bounds."
    )

    @OptionGroup var target: RunArgument
    @OptionGroup var output: FigureOutputOptions

    func run() throws {
        let complete = try target.read()
        try output.write(RunFigure.figure(complete), defaultName: "run-\(complete.run.id.prefix(8)).svg")
    }
}

struct PlotSpectrumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectrum",
        abstract: "One run's eigenvalues d_k, label energy z_0[k]^2, and the shrinkage of a round.",
        discussion: """
            An .html output has a slider over the rounds; an SVG or PNG shows --round (default 0; a run \
            that collapsed at round 0 has no rounds, and its figure shows the spectrum alone).
            """
    )

    @OptionGroup var target: RunArgument
    @OptionGroup var output: FigureOutputOptions

    @Option(help: "The round whose shrinkage an SVG or PNG shows.")
    var round: Int?

    func validate() throws {
        if let round, round < 0 { throw ValidationError("--round must be 0 or more, got \(round)") }
        if round != nil, let path = output.output, FigureFile.format(of: path) == .html {
            throw ValidationError("--round chooses the round of an SVG or PNG; an HTML page has a slider instead")
        }
    }

    func run() throws {
        let complete = try target.read()
        let name = "spectrum-\(complete.run.id.prefix(8))"
        if let path = output.output, FigureFile.format(of: path) == .html {
            try output.write(try SpectrumFigure.figure(complete, round: nil), defaultName: name)
        } else {
            // Round 0 unless the run has no rounds (collapsed at once): then the spectrum alone.
            let shown = round ?? (complete.rounds.contains { $0.c != nil } ? 0 : nil)
            try output.write(try SpectrumFigure.figure(complete, round: shown), defaultName: name + ".svg")
        }
    }
}

struct PlotFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "One-dimensional data: the training points, the truth, and f_t of every round up to the collapse.",
        discussion: """
            Predictions are not stored, so the run is computed again from its recorded configuration, after \
            checking that the data have the recorded fingerprint and that every c_t comes out as recorded. \
            A CSV recorded with a relative path is looked up from here; give --data with its path otherwise.
            """
    )

    @OptionGroup var target: RunArgument
    @OptionGroup var output: FigureOutputOptions

    @Option(help: ArgumentHelp("The CSV file the run used, when it is not where the run found it.", valueName: "path"))
    var data: String?

    @Option(
        help:
            "Grid points of each fit, \(Recomputation.gridCounts.lowerBound)...\(Recomputation.gridCounts.upperBound).")
    var grid = Recomputation.defaultGridCount

    func validate() throws {
        guard Recomputation.gridCounts.contains(grid) else {
            throw ValidationError(
                "--grid must be \(Recomputation.gridCounts.lowerBound) to \(Recomputation.gridCounts.upperBound), "
                    + "got \(grid)")
        }
    }

    func run() throws {
        let complete = try target.read()
        try output.write(
            try FitFigure.recomputed(complete, dataPath: data, gridCount: grid),
            defaultName: "fit-\(complete.run.id.prefix(8)).svg")
    }
}
