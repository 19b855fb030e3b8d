import Foundation
import SDDocuments
import SDEngine
import SDJSON
import SDStore

/// The kinds of file `sdtrack import` reads (their layouts are in the README).
public enum ImportFormat: String, CaseIterable, Sendable {
    /// JSON Lines: optional `{"run": {...}}` headers, then one round per line.
    case jsonl
    /// One run per file: a header row with a column t, one row per round.
    case csv
    /// An sdtrack document: `sdtrack.export/1` (`runs export`) or `sdtrack.record/1`
    /// (`runs show --json`), imported exactly as recorded.
    case json

    /// The format a file's name says: .jsonl and .ndjson, .csv, .json (a document, or JSON
    /// Lines when the text is not one JSON document); nil for others.
    public static func guess(path: String) -> ImportFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "jsonl", "ndjson": .jsonl
        case "csv": .csv
        case "json": .json
        default: nil
        }
    }
}

/// Reads runs made elsewhere. Everything is checked before anything is recorded, and errors
/// name the file and the line (or the place in a document).
public enum ImportReader {
    /// The whole runs in `text`, a file of `format` called `source` in messages, with
    /// `options` applied; `now` is the time filled in for runs whose file gives none.
    public static func read(
        _ text: String, format: ImportFormat, source: String,
        options: ImportOptions = ImportOptions(), now: Timestamp = .now()
    ) throws(ImportError) -> [CompleteRun] {
        switch format {
        case .json:
            // A .json file holds one sdtrack document, or JSON Lines: read as such when its first
            // line is a run header or a round, so that errors name its lines. The document is
            // parsed first (an export is tens of megabytes on one line, and rarely anything else).
            let document: JSONValue
            do {
                document = try JSONValue.parse(document: text)
            } catch {
                if error.line > 1, let first = firstLine(of: text), isJSONLinesLine(first) {
                    return try read(text, format: .jsonl, source: source, options: options, now: now)
                }
                throw ImportError("\(source) is not JSON: \(error)")
            }
            if document["format"] == nil, document["run"] != nil || document["t"] != nil {
                return try read(text, format: .jsonl, source: source, options: options, now: now)
            }
            return try runs(in: document, source: source, options: options)
        case .jsonl, .csv:
            // The options' keys are checked on their own, so that an error names --config, not a line.
            try options.validate()
            let runs = format == .jsonl ? try jsonLines(text, source: source) : [try csv(text, source: source)]
            guard !runs.isEmpty else {
                throw ImportError(
                    "\(source) has no rounds; each line should be a round such as {\"t\": 0, \"test_mse\": 0.1}")
            }
            for run in runs where run.rounds.isEmpty {
                throw ImportError(
                    source, line: run.line,
                    "this run has no rounds; follow its header with lines such as {\"t\": 0, \"test_mse\": 0.1}")
            }
            return try runs.map { (run) throws(ImportError) in
                try run.completeRun(options: options, source: source, now: now)
            }
        }
    }

    /// The first line of `text` that is not blank.
    static func firstLine(of text: String) -> Substring? {
        CSVTable.lines(of: text).first { !$0.allSatisfy(\.isWhitespace) }
    }

    /// Whether `line` is a JSON Lines run header or round (an object with "run" or "t" and no
    /// "format").
    static func isJSONLinesLine(_ line: Substring) -> Bool {
        guard let value = JSONValue.parse(String(line)), value["format"] == nil else { return false }
        return value["run"] != nil || value["t"] != nil
    }

    /// The runs of an sdtrack document, as recorded; `options`' labels win.
    static func runs(in document: JSONValue, source: String, options: ImportOptions) throws(ImportError)
        -> [CompleteRun]
    {
        guard options.config.isEmpty else {
            throw ImportError(
                "--config applies to JSON Lines and CSV files; \(source) is an sdtrack document, whose runs "
                    + "keep their configurations")
        }
        do {
            return try RunDocument.runs(in: document).map { run in
                var run = run
                run.run = options.labelled(run.run)
                return run
            }
        } catch {
            throw ImportError("\(source): \(error)")
        }
    }

    /// A line {"run": {...}} starts a run; every other line is a round of the current run.
    private static func jsonLines(_ text: String, source: String) throws(ImportError) -> [ImportedRun] {
        var runs = [ImportedRun]()
        for (offset, rawLine) in CSVTable.lines(of: text).enumerated() {
            let line = offset + 1
            // The reader skips spaces around the object itself.
            if rawLine.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard rawLine.utf8.count <= CSVTable.longestLine else {
                throw ImportError(
                    "\(source) line \(line) is longer than \(CSVTable.longestLine) bytes, sdtrack's limit for a line")
            }
            let parsed: JSONValue
            do {
                parsed = try JSONValue.parse(document: String(rawLine))
            } catch {
                throw ImportError(
                    "\(source) line \(line) is not JSON (column \(error.column): expected \(error.expected)); "
                        + "each line must be one object, a run header or a round")
            }
            guard case .object(let members) = parsed else {
                throw ImportError(
                    "\(source) line \(line) is not a JSON object; each line must be one object, a run header or a round"
                )
            }
            if let header = parsed["run"] {
                guard parsed["t"] == nil else {
                    throw ImportError(
                        source, line: line,
                        "is both a run header (\"run\") and a round (\"t\"); put the round "
                            + "on a line of its own")
                }
                runs.append(try self.header(header, line: line, source: source))
                continue
            }
            if runs.isEmpty { runs.append(ImportedRun(line: line)) }
            guard let tValue = parsed["t"] else {
                throw ImportError(
                    "\(source) line \(line) has no \"t\"; a round needs its number t (0, 1, ...), "
                        + "a run header needs \"run\"")
            }
            let t = try roundNumber(tValue, line: line, source: source)
            var metrics = [(String, Double)]()
            for (name, value) in members where name != "t" {
                if value.isNull { continue }
                guard let number = value.doubleValue, number.isFinite else {
                    throw ImportError(
                        source, line: line, "metric '\(name.shortened)' is \(value.messageText), not a finite number")
                }
                metrics.append((name, number))
            }
            try runs[runs.count - 1].addRound(t: t, metrics: metrics, line: line, source: source)
        }
        return runs
    }

    private static func header(_ value: JSONValue, line: Int, source: String) throws(ImportError) -> ImportedRun {
        guard case .object(let fields) = value else {
            throw ImportError(
                source, line: line, "\"run\" must be an object such as {\"experiment\": \"resnet\", \"config\": {...}}")
        }
        var run = ImportedRun(line: line)
        for (key, field) in fields {
            switch (key, field) {
            case ("id", .string(let id)): run.id = id
            case ("experiment", .string(let name)):
                guard !name.isEmpty else { throw ImportError(source, line: line, "experiment must not be empty") }
                run.experiment = name
            case ("note", .string(let note)): run.note = note
            case ("created_at", .string(let text)):
                guard let time = Timestamp(iso8601: text) else {
                    throw ImportError(
                        source, line: line,
                        "created_at '\(text.shortened)' is not a UTC time such as 2026-11-29T08:00:00Z")
                }
                run.createdAt = time
            case ("config", .object(let config)):
                if field.containsNonFiniteNumber {
                    throw ImportError(source, line: line, "config has a number beyond a double's range")
                }
                run.config = config
            case ("tags", .object):
                do {
                    run.tags = try Tag.tags(from: field).sorted { $0.key < $1.key }
                } catch {
                    throw ImportError(source, line: line, error.message)
                }
            case ("id", _), ("experiment", _), ("note", _), ("created_at", _), ("config", _), ("tags", _):
                throw ImportError(
                    source, line: line,
                    "run field '\(key)' has the wrong type (\(field.serialized())); see the README's import format")
            default:
                throw ImportError(
                    source, line: line, "unknown run field '\(key)'; use id, experiment, config, tags, note, created_at"
                )
            }
        }
        return run
    }

    private static func roundNumber(_ value: JSONValue, line: Int, source: String) throws(ImportError) -> Int {
        guard let number = value.doubleValue, number >= 0, number == number.rounded(),
            number <= Double(RoundRecord.largestT)
        else {
            throw ImportError(
                source, line: line, "t must be \(RoundRecord.validTDescription), got \(value.messageText)")
        }
        return Int(number)
    }

    /// A header row with a column t; every other column is a metric; an empty cell is a
    /// metric that round does not have. One file is one run.
    private static func csv(_ text: String, source: String) throws(ImportError) -> ImportedRun {
        let lines = CSVTable.lines(of: text).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw ImportError("\(source) is empty; give a header row such as t,test_mse,accuracy and one row per round")
        }
        let header = CSVTable.fields(of: Substring(headerLine))
        guard let tColumn = header.firstIndex(of: "t") else {
            throw ImportError(
                "\(source) has no column 't'; its header is \((header.joined(separator: ",")).shortened); add the "
                    + "round number t")
        }
        var names = Set<String>()
        if let duplicate = header.first(where: { !names.insert($0).inserted }) {
            throw ImportError("\(source) has two columns named '\((duplicate).shortened)'")
        }
        var run = ImportedRun(line: 2)
        for (offset, content) in lines.enumerated().dropFirst() where !content.isEmpty {
            let line = offset + 1
            guard content.utf8.count <= CSVTable.longestLine else {
                throw ImportError(
                    "\(source) line \(line) is longer than \(CSVTable.longestLine) bytes, sdtrack's limit for a line")
            }
            let cells = CSVTable.fields(of: Substring(content))
            guard cells.count == header.count else {
                throw ImportError("\(source) line \(line) has \(cells.count) fields but the header has \(header.count)")
            }
            let tCell = cells[tColumn]
            let t = try roundNumber(
                CSVTable.number(tCell).map(JSONValue.number) ?? .string(tCell), line: line, source: source)
            var metrics = [(String, Double)]()
            for (column, name) in header.enumerated() where column != tColumn && !cells[column].isEmpty {
                guard let value = CSVTable.number(cells[column]) else {
                    throw ImportError(
                        "\(source) line \(line), column '\((name).shortened)': '\((cells[column]).shortened)' "
                            + "is not a finite decimal number")
                }
                metrics.append((name, value))
            }
            try run.addRound(t: t, metrics: metrics, line: line, source: source)
        }
        return run
    }
}
