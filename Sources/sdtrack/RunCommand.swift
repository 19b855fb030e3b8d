import ArgumentParser
import SDEngine
import SDReports
import SDRun
import SDSpec

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one self-distillation experiment and print its rounds.",
        discussion: """
            Fits the data with kernel regression at training loss eps, then refits the fit's own \
            predictions round after round until the fit collapses to zero (or --rounds). Every \
            round is computed exactly in the eigenbasis of the Gram matrix.

            The run is recorded as it computes (its row first, then each round, then its end) in \
            the database: --db, else $SDTRACK_DB, else ./sdtrack.db. --no-record skips that.

            Example: sdtrack run --data toy --kernel rbf --gamma 80 --eps 0.01
            """
    )

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Kernel") var kernel: KernelOptions
    @OptionGroup(title: "Mode") var mode: ModeOptions
    @OptionGroup(title: "Recording") var store: StoreOptions
    @OptionGroup(title: "Recording") var labels: LabelOptions

    @Option(
        help: ArgumentHelp(
            "How to decompose G: auto (the fastest exact path), tridiagonal, eigenvectors or low-rank "
                + "(docs/math.md section 8)."))
    var solver: SolverChoice = .auto

    @Flag(help: "Do not record the run in the database.")
    var noRecord = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func run() throws {
        let specification = RunSpecification(
            data: data.specification, kernel: kernel.request,
            mode: mode.specification, maxRounds: mode.rounds,
            labels: try labels.labels, solver: solver)
        let progress = ProgressReporter()
        defer { progress.finish() }  // also when the run throws: its error starts a line of its own
        let interruption = Interruption { standardError("\n\($0)\n") }
        let outcome = try Runner.run(
            specification, store: noRecord ? nil : store.open(create: true),
            progress: progress.stage, interruption: interruption)
        progress.finish()
        let report = RunReport(outcome, databasePath: noRecord ? nil : store.resolvedPath)
        print(json ? report.json().serialized() : report.text())
        if let error = outcome.recordingError {
            throw CLIError(
                "the run was computed (above) but its recording failed: \(error.message)\(CLIError.advice(error)); "
                    + "it is stored as failed where the database could still be written")
        }
    }
}
