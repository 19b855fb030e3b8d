import ArgumentParser
import Foundation
import SDEngine

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one self-distillation experiment and print its rounds.",
        discussion: """
            Fits the data with kernel regression at training loss eps, then refits the fit's own \
            predictions round after round until the fit collapses to zero (or --rounds). Every \
            round is computed exactly in the eigenbasis of the Gram matrix.

            Example: sdtrack run --data toy --kernel rbf --gamma 80 --eps 0.01
            """
    )

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Kernel") var kernel: KernelOptions
    @OptionGroup(title: "Mode") var mode: ModeOptions

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func run() throws {
        let dataset = try data.load()
        let settings = DistillationSettings(kernel: kernel.resolve(for: dataset.train.points),
                                            mode: mode.mode, maxRounds: mode.maxRounds)
        let progress = ProgressReporter()
        var run = try Distillation(dataset: dataset, settings: settings, progress: progress.stage)
        progress.finish()
        var rounds = [Round]()
        while let round = run.next() { rounds.append(round) }
        let report = RunReport(config: config(dataset: dataset, settings: settings, eps: run.eps), run: run, rounds: rounds)
        print(json ? report.json().serialized() : report.text())
    }

    private func config(dataset: Dataset, settings: DistillationSettings, eps: Double?) -> [(String, JSONValue)] {
        var kernelObject: [(String, JSONValue)] = [("name", .string(settings.kernel.name))]
        for (name, value) in settings.kernel.parameters { kernelObject.append((name, .number(value))) }
        var fixedC: Double?, epsRelative: Double?
        switch settings.mode {
        case .fixedC(let c): fixedC = c
        case .relativeEps(let ratio): epsRelative = ratio
        case .eps: break
        }
        return [
            ("dataset", .string(dataset.name)),
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
            ("noise", data.data == "sine" ? .number(data.noise ?? DataOptions.defaultNoise) : .null),
            ("kernel", .object(kernelObject)),
            ("mode", .string(settings.mode.name)),
            ("eps", .optional(eps)),
            ("eps_rel", .optional(epsRelative)),
            ("c", .optional(fixedC)),
            ("max_rounds", .int(settings.maxRounds)),
            ("sdtrack_version", .string(SDTrack.version)),
        ]
    }
}
