import ArgumentParser
import Foundation
import SDEngine
import SDRecording

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

    @Flag(help: "Do not record the run in the database.")
    var noRecord = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func run() throws {
        let (dataset, sourceFingerprint) = try data.load()
        let settings = DistillationSettings(kernel: kernel.resolve(for: dataset.train.points),
                                            mode: mode.mode, maxRounds: mode.maxRounds)
        let eps = settings.mode.resolvedEps(labels: dataset.train.targets)
        let config = config(dataset: dataset, sourceFingerprint: sourceFingerprint, settings: settings, eps: eps)
        let recorder = noRecord ? nil : try RunRecorder.start(
            store: store.open(create: true), dataset: dataset, settings: settings, eps: eps,
            configJSON: JSONValue.object(config).serialized(), seed: data.seed, noise: noise,
            labels: RunRecorder.Labels(experiment: labels.experiment ?? LabelOptions.defaultExperiment, tags: try labels.tags, note: labels.note),
            sdtrackVersion: SDTrack.version)
        let progress = ProgressReporter()
        var run: Distillation
        do {
            run = try Distillation(dataset: dataset, settings: settings, progress: progress.stage)
        } catch {
            try recorder?.fail(error, run: nil)
            throw error
        }
        progress.finish()
        try recorder?.record(run.spectrum)
        var rounds = [Round]()
        while let round = run.next() {
            rounds.append(round)
            try recorder?.record(round)
        }
        try recorder?.finish(run)
        let report = RunReport(config: config, run: run, rounds: rounds, runID: recorder?.id,
                               databasePath: recorder == nil ? nil : store.resolvedPath)
        print(json ? report.json().serialized() : report.text())
    }

    /// The label noise of synthetic data (sine), nil for measured data.
    private var noise: Double? { data.data == "sine" ? data.noise ?? DataOptions.defaultNoise : nil }

    /// The configuration as asked, and under "resolved" the values the data decided (the
    /// kernel's default length scale, eps from eps-rel), so that runs differing only in seed
    /// share everything outside "resolved" and the seed.
    private func config(dataset: Dataset, sourceFingerprint: String?, settings: DistillationSettings, eps: Double?) -> [(String, JSONValue)] {
        var kernelObject: [(String, JSONValue)] = [("name", .string(settings.kernel.name))]
        for (name, value) in settings.kernel.parameters { kernelObject.append((name.rawValue, .number(value))) }
        return [
            ("dataset", .string(dataset.name)),
            ("source_sha256", .optional(sourceFingerprint)),
            ("features", .array(dataset.featureNames.map(JSONValue.string))),
            ("target", .string(dataset.targetName)),
            ("K", .int(dataset.train.count)),
            ("test_size", .int(dataset.test?.count ?? 0)),
            ("truth_grid_size", .int(dataset.truth?.count ?? 0)),
            ("standardize", .bool(data.standardize)),
            ("test_fraction", .optional(data.testFraction)),
            ("test_file", data.testFile.map(JSONValue.string) ?? .null),
            ("seed", .int(Int(truncatingIfNeeded: data.seed))),
            ("n", data.data == "sine" ? .int(dataset.train.count + (dataset.test?.count ?? 0)) : .null),
            ("noise", .optional(noise)),
            ("kernel", kernel.request),
            ("mode", .string(settings.mode.name)),
            ("eps", .optional(mode.eps)),
            ("eps_rel", .optional(mode.eps == nil && mode.fixedC == nil ? mode.epsRel ?? ModeOptions.defaultEpsRel : nil)),
            ("c", .optional(mode.fixedC)),
            ("max_rounds", .int(settings.maxRounds)),
            ("resolved", .object([("kernel", .object(kernelObject)), ("eps", .optional(eps))])),
            ("sdtrack_version", .string(SDTrack.version)),
        ]
    }
}
