import SDStore

/// Imports whole runs into a store: all of them in one transaction, or none.
public enum Importer {
    /// What an import did to each run.
    public struct Result: Sendable {
        public let runs: [CompleteRun]
        public let outcomes: [ImportOutcome]

        public init(runs: [CompleteRun], outcomes: [ImportOutcome]) {
            self.runs = runs
            self.outcomes = outcomes
        }

        public var inserted: Int { outcomes.filter { $0 == .inserted }.count }
        public var unchanged: Int { outcomes.filter { $0 == .unchanged }.count }
    }

    /// Reads `text` (a file of `format`, called `source` in messages) and records its runs.
    /// A run already stored with the same content is left "unchanged"; one with other
    /// content is a conflict (`StoreError.conflict`), and then nothing is written.
    public static func importText(
        _ text: String, format: ImportFormat, source: String, options: ImportOptions,
        into store: RunStore
    ) throws -> Result {
        let runs = try ImportReader.read(text, format: format, source: source, options: options)
        return Result(runs: runs, outcomes: try store.importRuns(runs))
    }
}
