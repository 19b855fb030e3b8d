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

    /// Records whole runs (read by `ImportReader`, or from a sync) in one transaction. A run
    /// already stored with the same content is left "unchanged"; one with other content is a
    /// conflict (`StoreError.conflict`), and then nothing is written.
    public static func record(_ runs: [CompleteRun], into store: RunStore) throws(StoreError) -> Result {
        Result(runs: runs, outcomes: try store.importRuns(runs))
    }

    /// Reads `text` (a file of `format`, called `source` in messages) and records its runs.
    /// (A command line reads first and opens the store after, so that a bad file creates no
    /// database: `ImportReader.read`, then `record`.)
    public static func importText(
        _ text: String, format: ImportFormat, source: String, options: ImportOptions,
        into store: RunStore
    ) throws -> Result {
        try record(ImportReader.read(text, format: format, source: source, options: options), into: store)
    }
}
