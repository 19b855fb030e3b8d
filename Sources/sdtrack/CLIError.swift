import SDImport
import SDReports
import SDSpec
import SDStore
import SDSweep

/// A failure at run time that is the user's to fix: printed as `Error: <message>`, exit 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }

    /// The error as the command line says it: the library's facts, and for store and query
    /// errors what to do about them here.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let error as StoreError: CLIError(error.message + advice(error))
        case let error as QueryError: CLIError(error.description + advice(error))
        case let error as SpecificationError: CLIError(error.message(naming: SpecificationOptionNames.option))
        default: error
        }
    }

    static func advice(_ error: StoreError) -> String {
        let path = error.path ?? "the database"
        return switch error.code {
        case .cannotOpen: "; check that its folder exists and is writable, or pass --db with a file path"
        case .readOnly: "; check its permissions (and its folder's) or pass --db with another path"
        case .notSDTrack: "; pass --db with another path"
        case .corrupt: "; restore it from a backup, or salvage it with `sqlite3 \(path) .recover`"
        case .newerSchema: "; upgrade sdtrack to read it"
        case .missing: "; record a run first (sdtrack run) or pass --db / set SDTRACK_DB"
        case .unknownRun: "; see sdtrack runs list"
        case .ambiguousRun: "; give more characters"
        case .conflict: "; give the import other run IDs, or delete those runs first (sdtrack runs delete)"
        case .runInProgress: "; stop it first, or pass --force"
        case .invalidTag: "; write tags as key=value with a key of letters, digits, '.', '_' or '-', such as sweep=eps"
        case .busy: "; try again"
        case .diskFull: "; free space and try again"
        case .invalidRecord, .sqlite: ""
        }
    }

    static func advice(_ error: QueryError) -> String {
        switch error.code {
        case .unknownConfigKey: "; see `sdtrack runs show ID` for a run's configuration"
        case .unknownMetric: ""
        case .noRuns: "; loosen --experiment, --tag, --since or --where (see sdtrack runs list)"
        case .noGroups: "; pass --metric with a metric the runs have"
        }
    }
}

/// The option that sets each field of a run specification: `sdtrack run`'s flag of the sweep
/// option of that field (`SweepOption`, the one list of the run options' names).
enum SpecificationOptionNames {
    static func option(_ field: String) -> String {
        "--" + (SweepOption(rawValue: SweepOption.named(field: field))?.flag ?? field)
    }
}
