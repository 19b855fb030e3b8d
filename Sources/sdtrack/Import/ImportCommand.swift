import ArgumentParser
import Foundation
import SDStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record runs made elsewhere (a network distilled in PyTorch, say) from JSON Lines or CSV.",
        discussion: """
            JSON Lines: an optional header line {"run": {"experiment": ..., "config": {...}, "tags": {...}, \
            "note": ..., "id": UUID, "created_at": ...}} starts a run; each other line is one round, \
            {"t": 0, "test_mse": 0.31, "accuracy": 0.91}. Several headers make several runs. \
            CSV: a header row with a column t, one row per round, one run per file. Metric names that \
            are math.md's (test_mse, train_mse, gcv, df, ...) fill those columns; others are kept by name. \
            The whole file is checked first and recorded in one transaction: all of it or nothing.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The file to import (.jsonl or .csv).")
    var file: String

    @Option(help: "jsonl or csv (default: from the file's extension).")
    var format: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("A configuration key=value (repeatable; overrides the file's).", valueName: "key=value"))
    var configArguments: [String] = []

    @OptionGroup(title: "Recording") var labels: LabelOptions

    @Flag(help: "Print the imported run IDs as JSON.")
    var json = false

    func validate() throws {
        _ = try resolvedFormat()
        for argument in configArguments { _ = try Self.parseConfig(argument) }
    }

    func resolvedFormat() throws -> ImportReader.Format {
        if let format {
            guard let known = ImportReader.Format(rawValue: format) else { throw ValidationError("unknown format '\(format)'; use jsonl or csv") }
            return known
        }
        switch URL(fileURLWithPath: file).pathExtension.lowercased() {
        case "jsonl", "ndjson", "json": return .jsonl
        case "csv": return .csv
        default: throw ValidationError("cannot tell the format of \(file) from its extension; pass --format jsonl or --format csv")
        }
    }

    /// key=value, the value a number when it reads as one, true or false, else a string.
    static func parseConfig(_ argument: String) throws -> (String, JSONValue) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw ValidationError("config '\(argument)' is not key=value; for example --config model=resnet18")
        }
        let text = String(argument[argument.index(after: equals)...])
        let value: JSONValue = if let number = Double(text), number.isFinite {
            .number(number)
        } else if text == "true" || text == "false" {
            .bool(text == "true")
        } else {
            .string(text)
        }
        return (String(argument[..<equals]), value)
    }

    func run() throws {
        let text = try readTextFile(file, expected: "a .jsonl or .csv file of rounds")
        let runs = try ImportReader.read(text, format: try resolvedFormat(), source: file)
        let records = try runs.map { run in (run: try run.record(options: self, source: file), rounds: run.rounds, spectrum: SpectrumRecord?.none) }
        let store = try store.open(create: true)
        try store.insertComplete(records)
        if json {
            print(JSONValue.object([("imported", .array(records.map { .string($0.run.id) }))]).serialized())
        } else {
            for (run, rounds, _) in records {
                print("imported run \(run.id) (\(rounds.count) round\(rounds.count == 1 ? "" : "s"), experiment \(run.experiment)) into \(store.path)")
            }
        }
    }
}
