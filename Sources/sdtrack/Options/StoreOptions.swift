import ArgumentParser
import Foundation
import SDReports
import SDSpec
import SDStore

/// Which database a command uses: --db, else $SDTRACK_DB, else ./sdtrack.db.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp("The database file (default: $SDTRACK_DB, else ./sdtrack.db).", valueName: "path"))
    var path: String?

    static let defaultPath = "sdtrack.db"

    func validate() throws {
        if let path, path.isEmpty { throw ValidationError("--db needs a file path, got an empty string") }
    }

    var resolvedPath: String {
        if let path { return path }
        if let environment = ProcessInfo.processInfo.environment["SDTRACK_DB"], !environment.isEmpty {
            return environment
        }
        return Self.defaultPath
    }

    /// Opens the database; `create` for commands that record, so that reading commands
    /// never leave an empty database behind a mistyped path. An upgrade of an older file
    /// says so on standard error, with the time it took.
    func open(create: Bool) throws -> RunStore {
        var started: Date?
        do {
            let store = try RunStore(path: resolvedPath, create: create) { from, to in
                standardError("upgrading \(resolvedPath) from schema version \(from) to \(to)...")
                started = Date()
            }
            if let started { standardError(formatted(" %.2f s\n", Date().timeIntervalSince(started))) }
            return store
        } catch {
            if started != nil { standardError("\n") }  // the error gets a line of its own
            throw error
        }
    }
}

/// How new runs are labelled: experiment, tags and a note (`run` and `import`; an import
/// file's own labels give way to these).
struct LabelOptions: ParsableArguments {
    @Option(
        help: "The experiment the runs belong to (default: \(RunLabels.defaultExperiment), or an imported file's own).")
    var experiment: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("A key=value tag (repeatable).", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(help: "A free-text note.")
    var note: String?

    func validate() throws {
        try validating { try labels.validate() }
    }

    var tags: [Tag] {
        get throws { try tagArguments.map(parseTag) }
    }

    var labels: RunLabels {
        get throws { RunLabels(experiment: experiment ?? RunLabels.defaultExperiment, tags: try tags, note: note) }
    }
}

/// A tag argument, or a usage error that says how to write one.
func parseTag(_ argument: String) throws -> Tag {
    do {
        return try Tag.parse(argument)
    } catch {
        throw ValidationError(error.message + CLIError.advice(error))
    }
}

/// A time argument: a date, a date-time or an age; or a usage error naming `option`.
func parseTime(_ text: String, option: String) throws -> Timestamp {
    guard let time = Timestamp(dateOrAge: text) else {
        throw ValidationError("\(option) '\(text)' is not a time; give \(Timestamp.dateOrAgeForms)")
    }
    return time
}
