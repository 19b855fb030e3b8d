import ArgumentParser
import SDSpec
import SDStore

/// How new runs are labelled: experiment, tags and a note (`run` and `import`; an import
/// file's own labels give way to these).
struct LabelOptions: ParsableArguments {
    /// The help of --experiment, in two lines for the 120-column rule.
    static let experimentHelp =
        "The experiment the runs belong to (default: \(RunLabels.defaultExperiment), or the import file's or "
        + "sweep spec's own)."

    @Option(help: ArgumentHelp(experimentHelp))
    var experiment: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("A key=value tag (repeatable).", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(help: "A free-text note.")
    var note: String?

    func validate() throws {
        try validating { try labels.validate() }
    }

    var tags: [Tag] {
        get throws { try tagArguments.map(parseTag) }
    }

    var labels: RunLabels {
        get throws { RunLabels(experiment: experiment ?? RunLabels.defaultExperiment, tags: try tags, note: note) }
    }
}
