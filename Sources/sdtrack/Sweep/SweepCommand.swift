import ArgumentParser
import Foundation
import SDEngine
import SDJSON
import SDRun
import SDSpec
import SDStore
import SDSweep

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid of configurations, one decomposition per data, kernel and seed, resumably.",
        discussion: """
            The grid is the product of the values given: in SPEC, a YAML (.yaml, .yml) or JSON file of run \
            options (such as {"data": "sine", "eps": [0.001, 0.01], "seed": "0..9"}, or in YAML one \
            "key: value" a line), and in the options below, each a \
            comma-separated list (whole numbers also as ranges, 0..9). An option given both ways takes \
            the command line's values. The first axis varies slowest: in SPEC, the order of its keys; \
            from the command line, the order of the options below. Runs that differ only in eps, \
            eps-rel, fixed c or rounds share \
            one decomposition. Every run is recorded as an ordinary run, tagged sweep=ID and \
            sweep.point=N; running the same sweep again skips the points already finished and runs \
            failed or killed ones again (--rerun runs all). --shard I/N runs every N-th group, so that \
            N machines split a sweep with no coordinator. Query one sweep with \
            `sdtrack query best-rounds --sweep ID`.
            """
    )

    @Argument(help: "A YAML or JSON file of run options, one value or a list each, and experiment, tags, note.")
    var spec: String?

    @OptionGroup(title: "Grid") var grid: SweepGridOptions
    @OptionGroup(title: "Recording") var store: StoreOptions
    @OptionGroup(title: "Recording") var labels: LabelOptions

    @Option(help: ArgumentHelp("Run only this share of the groups: I of N (1-based), e.g. 2/3.", valueName: "I/N"))
    var shard: String?

    @Option(help: "Groups run at once (default: the machine's cores, 1 for sweeps of K > 10,000).")
    var jobs: Int?

    @Flag(help: "Run every point again, finished or not.")
    var rerun = false

    @Flag(help: "Print the grid (points, groups, the sweep's id) and run nothing.")
    var dryRun = false

    @Flag(help: "Print the summary as JSON (sdtrack.sweep/1).")
    var json = false

    /// The cheap checks; the grid itself is built and checked once, in `run()`, before anything
    /// runs (its errors are usage errors all the same).
    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more, got \(jobs)") }
        _ = try shardNumbers()
    }

    func shardNumbers() throws -> (shard: Int, of: Int) {
        guard let shard else { return (1, 1) }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (1...count).contains(index)
        else {
            throw ValidationError("--shard '\(shard.shortened)' must be I/N with 1 <= I <= N, such as 2/3")
        }
        return (index, count)
    }

    /// The spec file's grid with the command line's options and labels over it.
    func specification() throws -> SweepSpecification {
        var specification = SweepSpecification()
        if let spec {
            let text = try validating {
                try readTextFile(spec, expected: "a sweep spec (a YAML or JSON file of run options)")
            }
            specification = try validating { try SweepSpecification(text: text, source: spec) }
        }
        try validating { try grid.apply(to: &specification) }
        // The command line's labels over the spec's.
        if let experiment = labels.experiment { specification.experiment = experiment }
        if let note = labels.note { specification.note = note }
        for tag in try labels.tags {
            specification.tags.removeAll { $0.key == tag.key }
            specification.tags.append(tag)
        }
        guard !specification.options.isEmpty else {
            throw ValidationError("give a SPEC file or run options with values, such as --eps 0.001,0.01 --seed 0..4")
        }
        return specification
    }

    func plan() throws -> SweepPlan {
        let (index, count) = try shardNumbers()
        let specification = try specification()
        return try validating { try SweepPlan(specification, shard: index, of: count) }
    }

    /// Every distinct data set of the plan loads (the files are there and are CSV, the columns
    /// exist, the data fit in memory) before any run: a usage error otherwise, as a bad spec.
    func checkData(_ plan: SweepPlan) throws {
        var checked = Set<String>()
        for group in plan.groups {
            var data = group.points[0].specification.data
            // The seed draws or splits the data; whether they load does not depend on it, but for sine.
            if !data.isSine { data.seed = 0 }
            guard checked.insert("\(data)").inserted else { continue }
            do {
                try KernelProblem.checkMemory(
                    for: try data.load().dataset, solver: group.points[0].specification.solver)
            } catch {
                throw ValidationError("data '\(data.source.shortened)': \(error)")
            }
        }
    }

    func run() throws {
        let plan = try plan()
        try checkData(plan)
        if dryRun {
            print(
                json
                    ? JSONValue.object([
                        ("format", .string("sdtrack.sweep-plan/1")), ("sweep", .string(plan.id)),
                        ("points", .int(plan.pointCount)), ("groups", .int(plan.groups.count)),
                    ]).serialized()
                    : "sweep \(plan.id): \(plan.pointCount) points in \(plan.groups.count) groups "
                        + "(one decomposition each)\(shard.map { ", shard \($0)" } ?? "")")
            return
        }
        let store = try store.open(create: true)
        let lock = try SweepLock(databasePath: store.path, sweep: plan.id)
        defer { withExtendedLifetime(lock) {} }
        // Measured here (tools/sweep-benchmark): one job per core, each with one BLAS thread, beats
        // one job with every core's thread at K = 200 and at K = 2000. Above K = 10,000 a job's
        // matrices take gigabytes: one at a time.
        let largestK = plan.groups.compactMap { $0.points.first?.specification.data.pointCount }.max() ?? 0
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let jobs = jobs ?? (largestK <= 10_000 ? max(1, min(cores, plan.groups.count)) : 1)
        let printer = SweepProgressPrinter(sweep: plan.id)
        let interruption = Interruption { standardError("\n\($0)\n") }
        let started = Date()
        let result = try Sweep(plan: plan, jobs: jobs, rerun: rerun).run(
            store: store, interruption: interruption, report: printer.show)
        printer.finish()
        let seconds = Date().timeIntervalSince(started)
        if json {
            print(summaryJSON(plan, result, seconds: seconds).serialized())
        } else {
            print(
                "sweep \(plan.id): \(result.total) points: \(result.finished) finished, \(result.failed) failed, "
                    + "\(result.skipped) skipped (finished before); \(result.decompositions) decompositions; "
                    + formatted("%.1f s", seconds))
            // The commonest reasons; runs that fail each in its own words would fill the screen.
            let reasons = result.failures.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            for (reason, count) in reasons.prefix(5) { print("  failed \(count)x: \(reason)") }
            if reasons.count > 5 { print("  and \(reasons.count - 5) other reasons (--json lists them all)") }
        }
        if result.failed > 0 {
            throw CLIError("\(result.failed) of the sweep's runs failed (above); fix their options, or leave them")
        }
    }

    func summaryJSON(_ plan: SweepPlan, _ result: SweepProgress, seconds: Double) -> JSONValue {
        .object([
            ("format", .string("sdtrack.sweep/1")), ("sweep", .string(plan.id)), ("shard", .optional(shard)),
            ("points", .int(result.total)), ("finished", .int(result.finished)), ("failed", .int(result.failed)),
            ("skipped", .int(result.skipped)), ("decompositions", .int(result.decompositions)),
            (
                "failures",
                .array(
                    result.failures.sorted { $0.key < $1.key }.map {
                        .object([("reason", .string($0.key)), ("runs", .int($0.value))])
                    })
            ),
            ("seconds", .number(seconds)),
        ])
    }
}

/// `sdtrack run`'s options, each taking a list of values: the sweep's axes from the command line.
struct SweepGridOptions: ParsableArguments {
    @Option(help: "Data sets: built-in names or CSV paths.") var data: String?
    @Option(help: "CSV only: target columns.") var target: String?
    @Option(help: "CSV only: feature columns (one list, not an axis).") var features: String?
    @Option(help: "true, false, or true,false for both.") var standardize: String?
    @Option(help: "Held-out CSV files.") var test: String?
    @Option(help: "Held-out fractions.") var testFraction: String?
    @Option(help: "Seeds, e.g. 0..9.") var seed: String?
    @Option(name: .customLong("n"), help: "sine only: numbers of points.") var pointCount: String?
    @Option(help: "sine only: label noise levels.") var noise: String?
    @Option(help: "Kernels: \(KernelName.list).") var kernel: String?
    @Option(help: "Length scales.") var bandwidth: String?
    @Option(help: "Kernel gammas.") var gamma: String?
    @Option(help: "polynomial: degrees.") var degree: String?
    @Option(help: "polynomial: constant terms.") var coef0: String?
    @Option(help: "ntk: depths.") var depth: String?
    @Option(help: "Training losses eps.") var eps: String?
    @Option(help: "eps as fractions of mean(y^2).") var epsRel: String?
    @Option(help: "Fixed ridge constants c.") var fixedC: String?
    @Option(help: "Round caps.") var rounds: String?

    func apply(to specification: inout SweepSpecification) throws(SweepError) {
        let given: [(SweepOption, String?)] = [
            (.data, data), (.target, target), (.standardize, standardize), (.test, test),
            (.testFraction, testFraction), (.seed, seed), (.n, pointCount), (.noise, noise), (.kernel, kernel),
            (.bandwidth, bandwidth), (.gamma, gamma), (.degree, degree), (.coef0, coef0), (.depth, depth),
            (.eps, eps), (.epsRel, epsRel), (.fixedC, fixedC), (.rounds, rounds),
        ]
        if let features { try specification.add(.features, [.text(features)]) }
        for case let (option, text?) in given {
            try specification.add(option, try SweepSpecification.values(flag: text, option: option))
        }
    }
}
