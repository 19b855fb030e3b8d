import Foundation
import SDEngine
import SDStore

/// Reads runs made elsewhere from JSON Lines or CSV (the formats are in the README).
/// Everything is checked before anything is recorded, and errors name the line.
enum ImportReader {
    enum Format: String, CaseIterable {
        case jsonl, csv
    }

    static func read(_ text: String, format: Format, source: String) throws -> [ImportedRun] {
        let runs = switch format {
        case .jsonl: try jsonLines(text, source: source)
        case .csv: [try csv(text, source: source)]
        }
        guard !runs.isEmpty else { throw CLIError("\(source) has no rounds; each line should be a round such as {\"t\": 0, \"test_mse\": 0.1}") }
        for run in runs where run.rounds.isEmpty {
            throw CLIError("\(source) line \(run.line): this run has no rounds; follow its header with lines such as {\"t\": 0, \"test_mse\": 0.1}")
        }
        return runs.map { run in
            var run = run
            run.rounds.sort { $0.t < $1.t }
            return run
        }
    }

    /// A line {"run": {...}} starts a run; every other line is a round of the current run.
    private static func jsonLines(_ text: String, source: String) throws -> [ImportedRun] {
        var runs = [ImportedRun]()
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let content = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty { continue }
            guard let parsed = JSONValue.parse(content), case .object(let members) = parsed else {
                throw CLIError("\(source) line \(line) is not a JSON object; each line must be one object, a run header or a round")
            }
            if let header = parsed["run"] {
                runs.append(try self.header(header, line: line, source: source))
                continue
            }
            if runs.isEmpty { runs.append(ImportedRun(line: line)) }
            guard let tValue = parsed["t"] else {
                throw CLIError("\(source) line \(line) has no \"t\"; a round needs its number t (0, 1, ...), a run header needs \"run\"")
            }
            let t = try roundNumber(tValue, line: line, source: source)
            var metrics = [String: Double]()
            for (name, value) in members where name != "t" {
                if case .null = value { continue }
                guard let number = value.doubleValue, number.isFinite else {
                    let shown = value.doubleValue.map { "\($0)" } ?? value.serialized()  // 1e999 reads as inf, not null
                    throw CLIError("\(source) line \(line): metric '\(name)' is \(shown), not a finite number")
                }
                metrics[name] = number
            }
            try runs[runs.count - 1].addRound(t: t, metrics: metrics, line: line, source: source)
        }
        return runs
    }

    private static func header(_ value: JSONValue, line: Int, source: String) throws -> ImportedRun {
        guard case .object(let fields) = value else {
            throw CLIError("\(source) line \(line): \"run\" must be an object such as {\"experiment\": \"resnet\", \"config\": {...}}")
        }
        var run = ImportedRun(line: line)
        for (key, field) in fields {
            switch (key, field) {
            case ("id", .string(let id)): run.id = id
            case ("experiment", .string(let name)) where !name.isEmpty: run.experiment = name
            case ("note", .string(let note)): run.note = note
            case ("created_at", .string(let text)):
                guard let time = Timestamp(iso8601: text) else {
                    throw CLIError("\(source) line \(line): created_at '\(text)' is not a UTC time such as 2026-11-29T08:00:00Z")
                }
                run.createdAt = time
            case ("config", .object(let config)): run.config = Dictionary(config, uniquingKeysWith: { $1 })
            case ("tags", .object(let tags)):
                run.tags = try tags.sorted { $0.0 < $1.0 }.map { key, value in
                    guard case .string(let text) = value else {
                        throw CLIError("\(source) line \(line): tag '\(key)' must have a string value, got \(value.serialized())")
                    }
                    return try Tag.parse("\(key)=\(text)")
                }
            case ("id", _), ("experiment", _), ("note", _), ("created_at", _), ("config", _), ("tags", _):
                throw CLIError("\(source) line \(line): run field '\(key)' has the wrong type (\(field.serialized())); see the README's import format")
            default:
                throw CLIError("\(source) line \(line): unknown run field '\(key)'; use id, experiment, config, tags, note, created_at")
            }
        }
        return run
    }

    private static func roundNumber(_ value: JSONValue, line: Int, source: String) throws -> Int {
        guard let number = value.doubleValue, number >= 0, number == number.rounded(), number < 1e9 else {
            throw CLIError("\(source) line \(line): t must be a round number 0, 1, 2, ..., got \(value.serialized())")
        }
        return Int(number)
    }

    /// A header row with a column t; every other column is a metric; an empty cell is a
    /// metric that round does not have. One file is one run.
    private static func csv(_ text: String, source: String) throws -> ImportedRun {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw CLIError("\(source) is empty; give a header row such as t,test_mse,accuracy and one row per round")
        }
        let header = CSVTable.fields(of: Substring(headerLine))
        guard let tColumn = header.firstIndex(of: "t") else {
            throw CLIError("\(source) has no column 't'; its header is \(header.joined(separator: ",")); add the round number t")
        }
        if let duplicate = header.first(where: { name in header.filter { $0 == name }.count > 1 }) {
            throw CLIError("\(source) has two columns named '\(duplicate)'")
        }
        var run = ImportedRun(line: 2)
        for (offset, content) in lines.enumerated().dropFirst() where !content.isEmpty {
            let line = offset + 1
            let cells = CSVTable.fields(of: Substring(content))
            guard cells.count == header.count else {
                throw CLIError("\(source) line \(line) has \(cells.count) fields but the header has \(header.count)")
            }
            let t = try roundNumber(Double(cells[tColumn]).map(JSONValue.number) ?? .string(cells[tColumn]), line: line, source: source)
            var metrics = [String: Double]()
            for (column, name) in header.enumerated() where column != tColumn && !cells[column].isEmpty {
                guard let value = Double(cells[column]), value.isFinite else {
                    throw CLIError("\(source) line \(line), column '\(name)': '\(cells[column])' is not a finite number")
                }
                metrics[name] = value
            }
            try run.addRound(t: t, metrics: metrics, line: line, source: source)
        }
        return run
    }
}
