import Foundation
import SDJSON
import SDStore

/// One run read from a JSON Lines or CSV file, before it is recorded.
struct ImportedRun {
    /// The line that started the run (its header, or its first round), for messages.
    var line: Int
    var id: String?
    var experiment: String?
    var createdAt: Timestamp?
    var config: [(String, JSONValue)] = []
    var tags: [Tag] = []
    var note: String?
    var rounds: [RoundRecord] = []
    /// The line of each round's t, to name both lines of a duplicate.
    var roundLines: [Int: Int] = [:]

    /// Adds a round's metrics: docs/math.md's names go to their columns, others are extra metrics.
    mutating func addRound(t: Int, metrics: [(String, Double)], line: Int, source: String) throws(ImportError) {
        if let first = roundLines[t] {
            throw ImportError(
                source, line: line,
                "round t = \(t) appears twice in one run (first on line \(first)); give each round once")
        }
        var round = RoundRecord(t: t)
        for (name, value) in metrics { round[metricNamed: name] = value }
        rounds.append(round)
        roundLines[t] = line
    }

    /// The whole run to store, with `options`' labels and configuration added (they win over
    /// the file's). Its times, host and version are filled in here (`.filledIn`).
    func completeRun(options: ImportOptions, source: String, now: Timestamp) throws(ImportError) -> CompleteRun {
        var config = Dictionary(self.config, uniquingKeysWith: { $1 })
        for (key, value) in options.config { config[key] = value }
        let id: String
        if let text = self.id {
            guard let uuid = UUID(uuidString: text) else {
                throw ImportError(
                    source, line: line,
                    "run id '\(text.shortened)' is not a UUID; give one like 3f2a8c1e-... or leave it out")
            }
            id = uuid.uuidString.lowercased()
        } else {
            id = UUID().uuidString.lowercased()
        }
        var run = RunRecord(
            id: id, experiment: experiment ?? RunRecord.defaultExperiment, status: .finished, source: .import,
            createdAt: createdAt ?? now, host: RunLiveness.currentHost, pid: nil,
            sdtrackVersion: sdtrackVersion,
            configJSON: JSONValue.object(config.map { ($0.key, $0.value) }).serialized(),
            config: try Self.columns(config, at: "\(source) line \(line): config"), note: note,
            tags: tags)
        run.startedAt = run.createdAt
        run.endedAt = now
        run = options.labelled(run)
        return CompleteRun(run: run, rounds: rounds.sorted { $0.t < $1.t }, provenance: .filledIn)
    }

    /// The configuration keys that name a `ConfigColumn`, checked against its kind; errors
    /// begin with `location` ("runs.jsonl line 3: config", "--config"). A kernel given as an
    /// object (as sdtrack writes it) fills the column with its name.
    static func columns(_ config: [String: JSONValue], at location: String) throws(ImportError) -> RunConfig {
        var columns = RunConfig()
        for column in ConfigColumn.allCases {
            guard var value = config[column.name], !value.isNull else { continue }
            if column == .kernel, case .object = value, let name = value["name"] { value = name }
            guard let field = column.kind.value(of: value) else {
                throw ImportError(
                    "\(location) \(column.name) must be \(column.kind.expected), got \(value.messageText)")
            }
            columns[column] = field
        }
        return columns
    }
}
