import SDJSON
import SDStore

/// `sdtrack compare`: runs side by side, the configuration keys whose values differ, and
/// each metric round by round; as tables or JSON ("sdtrack.compare/1").
public struct CompareReport: Sendable {
    public static let jsonFormat = "sdtrack.compare/1"

    public let runs: [RunRecord]
    public let rounds: [[RoundRecord]]
    /// The metrics shown.
    public let metrics: [String]

    /// Reads the runs `runIDs` (full IDs) and shows `metrics`, or every metric they have.
    public init(store: RunStore, runIDs: [String], metrics requested: [String]) throws {
        runs = try runIDs.map { try store.run(id: $0) }
        rounds = try runIDs.map { try store.rounds(runID: $0) }
        let available = RunListing.metricNames(rounds.flatMap { $0 })
        for name in requested where !available.contains(name) {
            throw QueryError(
                code: .unknownMetric,
                description:
                    "unknown metric '\(name.shortened)' for these runs; they have \(available.joined(separator: ", "))")
        }
        metrics = requested.isEmpty ? available : requested
    }

    var lastRound: Int { rounds.compactMap { $0.last?.t }.max() ?? -1 }

    func value(_ name: String, run: Int, t: Int) -> Double? {
        rounds[run].first { $0.t == t }?[metricNamed: name]
    }

    public func json() -> JSONValue {
        .object([
            ("format", .string(Self.jsonFormat)),
            ("run_ids", .array(runs.map { .string($0.id) })),
            (
                "differences",
                .array(
                    Self.configDifferences(runs).map { key, values in
                        .object([("key", .string(key)), ("values", .array(values.map(JSONValue.optional)))])
                    })
            ),
            (
                "metrics",
                .object(
                    metrics.map { name in
                        (
                            name,
                            .array(
                                (0...max(lastRound, 0)).map { t in
                                    .array([.int(t)] + runs.indices.map { .optional(value(name, run: $0, t: t)) })
                                })
                        )
                    })
            ),
        ])
    }

    public func text() -> String {
        let names = runs.map { String($0.id.prefix(8)) }
        var lines = [String]()
        let differences = Self.configDifferences(runs)
        if differences.isEmpty {
            lines.append("configurations: identical")
        } else {
            var table = TextTable(header: ["differs"] + names, leftAligned: Set(0...names.count))
            for (key, values) in differences { table.append([key] + values.map { $0 ?? "-" }) }
            lines += table.lines()
        }
        for name in metrics where lastRound >= 0 {
            var table = TextTable(header: ["t"] + names)
            for t in 0...lastRound {
                table.append([String(t)] + runs.indices.map { TextTable.number(value(name, run: $0, t: t)) })
            }
            lines += ["", name] + table.lines()
        }
        return lines.joined(separator: "\n")
    }

    /// Configuration keys (flattened, plus experiment, status and the data's fingerprint)
    /// whose values are not the same in every run, with each run's value (nil where it has none).
    public static func configDifferences(_ runs: [RunRecord]) -> [(String, [String?])] {
        let flattened: [[String: String]] = runs.map { run in
            var values = Dictionary(GroupLabels.flattenJSON(run.configJSON), uniquingKeysWith: { $1 })
            values["experiment"] = run.experiment
            values["status"] = run.status.rawValue
            values[ConfigColumn.dataSHA256.name] = run.config.dataSHA256
            return values
        }
        var keys = [String]()
        for values in flattened { for key in values.keys.sorted() where !keys.contains(key) { keys.append(key) } }
        return keys.compactMap { key in
            let values = flattened.map { $0[key] }
            return Set(values).count > 1 ? (key, values) : nil  // nil (no value) differs from every value
        }
    }
}
