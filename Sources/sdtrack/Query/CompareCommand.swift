import ArgumentParser
import Foundation
import SDStore

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Runs side by side: how their configurations differ, and their metrics round by round.",
        discussion: "Example: sdtrack compare 3f2a 9c41 --metric test_mse"
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "Two or more run IDs or unique prefixes.")
    var ids: [String]

    @Option(help: ArgumentHelp("A metric to show (repeatable; default: every metric the runs have).", valueName: "metric"))
    var metric: [String] = []

    @Flag(help: "Print JSON instead of the tables.")
    var json = false

    static let jsonFormat = "sdtrack.compare/1"

    func validate() throws {
        if ids.count < 2 { throw ValidationError("give at least two run IDs to compare (see sdtrack runs list)") }
    }

    func run() throws {
        let store = try store.open(create: false)
        let runIDs = try ids.map { try store.resolve($0) }
        let runs = try runIDs.map { try store.run(id: $0) }
        let rounds = try runIDs.map { try store.rounds(runID: $0) }
        let available = RoundRecord.columns.filter { name in rounds.joined().contains { $0.value(of: name) != nil } }
            + Set(rounds.joined().flatMap(\.extra.keys)).sorted()
        for name in metric where !available.contains(name) {
            throw CLIError("unknown metric '\(name)' for these runs; they have \(available.joined(separator: ", "))")
        }
        let metrics = metric.isEmpty ? available : metric
        let differences = Self.configDifferences(runs)
        let lastRound = rounds.compactMap { $0.last?.t }.max() ?? -1

        if json {
            print(JSONValue.object([
                ("format", .string(Self.jsonFormat)),
                ("run_ids", .array(runIDs.map(JSONValue.string))),
                ("differences", .array(differences.map { key, values in
                    .object([("key", .string(key)), ("values", .array(values.map { $0.map(JSONValue.string) ?? .null }))])
                })),
                ("metrics", .object(metrics.map { name in
                    (name, .array((0 ... max(lastRound, 0)).map { t in
                        .array([.int(t)] + rounds.map { runRounds in .optional(runRounds.first { $0.t == t }?.value(of: name)) })
                    }))
                })),
            ]).serialized())
            return
        }
        let names = runIDs.map { String($0.prefix(8)) }
        var lines = [String]()
        if differences.isEmpty {
            lines.append("configurations: identical")
        } else {
            var table = TextTable(header: ["differs"] + names, leftAligned: Set(0 ... names.count))
            for (key, values) in differences { table.append([key] + values.map { $0 ?? "-" }) }
            lines += table.lines()
        }
        for name in metrics where lastRound >= 0 {
            var table = TextTable(header: ["t"] + names)
            for t in 0 ... lastRound {
                table.append([String(t)] + rounds.map { TextTable.number($0.first { $0.t == t }?.value(of: name)) })
            }
            lines += ["", name] + table.lines()
        }
        print(lines.joined(separator: "\n"))
    }

    /// Configuration keys (flattened, plus experiment and status) whose values are not the
    /// same in every run, with each run's value (nil where it has none).
    static func configDifferences(_ runs: [RunRecord]) -> [(String, [String?])] {
        let flattened: [[String: String]] = runs.map { run in
            var values = Dictionary(uniqueKeysWithValues: GroupLabels.flattenJSON(run.configJSON))
            values["experiment"] = run.experiment
            values["status"] = run.status.rawValue
            values["data_sha256"] = run.config.dataSHA256
            return values
        }
        var keys = [String]()
        for values in flattened { for key in values.keys.sorted() where !keys.contains(key) { keys.append(key) } }
        return keys.compactMap { key in
            let values = flattened.map { $0[key] }
            return Set(values.map { $0 ?? "\u{0}" }).count > 1 ? (key, values) : nil
        }
    }
}

extension RoundRecord {
    /// A metric by name: a math.md column or an extra metric.
    func value(of name: String) -> Double? {
        if let index = RoundRecord.columns.firstIndex(of: name) { return columnValues[index] }
        return extra[name]
    }
}
