import ArgumentParser
import Foundation
import SDImport
import SDJSON
import SDReports
import SDSpec
import SDStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record runs made elsewhere: an sdtrack export, or a network distilled in PyTorch (JSON Lines, CSV).",
        discussion: """
            json: an sdtrack.export/1 document (sdtrack runs export) or an sdtrack.record/1 one (runs show \
            --json): its runs are recorded exactly as they were, with their IDs, times, rounds and spectra. \
            A run already here with the same content is left unchanged; with other content it is a \
            conflict, and nothing is imported. JSON Lines: an optional header line {"run": {"experiment": \
            ..., "config": {...}, "tags": {...}, "note": ..., "id": UUID, "created_at": ...}} starts a run; \
            each other line is one round, {"t": 0, "test_mse": 0.31, "accuracy": 0.91}. CSV: a header row \
            with a column t, one row per round, one run per file. Metric names that are docs/math.md's \
            (test_mse, train_mse, gcv, df, ...) fill those columns; others are kept by name. The whole \
            file is checked first and recorded in one transaction: all of it or nothing. FILE - reads \
            standard input.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The file to import (.json, .jsonl or .csv; - for standard input).")
    var file: String

    @Option(help: "json, jsonl or csv (default: from the file's extension; json for standard input).")
    var format: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "A configuration key=value for JSON Lines and CSV (repeatable; overrides the file's).",
            valueName: "key=value"))
    var configArguments: [String] = []

    @OptionGroup(title: "Recording") var labels: LabelOptions

    @Flag(help: "Print what happened to each run as JSON.")
    var json = false

    func validate() throws {
        _ = try resolvedFormat()
        do {
            try ImportOptions(config: try configArguments.map { try ImportOptions.parseConfig($0) }).validate()
        } catch {
            throw ValidationError("\(error); for example --config model=resnet18")
        }
    }

    func resolvedFormat() throws -> ImportFormat {
        if let format {
            guard let known = ImportFormat(rawValue: format) else {
                throw ValidationError("unknown format '\(format.shortened)'; use json, jsonl or csv")
            }
            return known
        }
        if file == "-" { return .json }
        guard let guessed = ImportFormat.guess(path: file) else {
            throw ValidationError(
                "cannot tell the format of \(file) from its extension; pass --format json, jsonl or csv")
        }
        return guessed
    }

    func run() throws {
        let source = file == "-" ? "standard input" : file
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            text = try readTextFile(file, expected: "a .json, .jsonl or .csv file of runs")
        }
        let options = ImportOptions(
            experiment: labels.experiment, tags: try labels.tags, note: labels.note,
            config: try configArguments.map { try ImportOptions.parseConfig($0) })
        // The whole file is read and checked before the database is opened (or created).
        let runs = try ImportReader.read(text, format: try resolvedFormat(), source: source, options: options)
        let store = try store.open(create: true)
        let report = ImportReport(try Importer.record(runs, into: store), path: store.path)
        print(json ? report.json().serialized() : report.text())
    }
}
