import ArgumentParser

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer questions across runs: the best number of rounds, and the curves behind it.",
        discussion: """
            Runs are grouped by their whole configuration except the seed (or --group-by), so that \
            a group's runs differ only in seed. Only finished runs count. After a run collapses its \
            model is the zero function, so its metric at every later round is the zero predictor's \
            (held-out MSE = mean of y^2 over the held-out set; GCV and training MSE = mean of y_0^2): \
            the honest value, not a gap. A group's curve ends at the last round every run reached; \
            a group of collapsed runs ends at its latest collapse.
            """,
        subcommands: [BestRoundsCommand.self, CurveCommand.self]
    )
}
