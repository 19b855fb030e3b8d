import ArgumentParser
import Foundation
import SDStore

/// Which database a command uses: --db, else $SDTRACK_DB, else ./sdtrack.db.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The database file (default: $SDTRACK_DB, else ./sdtrack.db).", valueName: "path"))
    var path: String?

    static let defaultPath = "sdtrack.db"

    func validate() throws {
        if let path, path.isEmpty { throw ValidationError("--db needs a file path, got an empty string") }
    }

    var resolvedPath: String {
        if let path { return path }
        if let environment = ProcessInfo.processInfo.environment["SDTRACK_DB"], !environment.isEmpty { return environment }
        return Self.defaultPath
    }

    /// Opens the database; `create` for commands that record, so that reading commands
    /// never leave an empty database behind a mistyped path. An upgrade of an older file
    /// says so on standard error, with the time it took.
    func open(create: Bool) throws -> RunStore {
        var started: Date?
        let store: RunStore
        do {
            store = try RunStore(path: resolvedPath, create: create) { from, to in
                FileHandle.standardError.write(Data("upgrading \(resolvedPath) from schema version \(from) to \(to)...".utf8))
                started = Date()
            }
        } catch {
            if started != nil { FileHandle.standardError.write(Data("\n".utf8)) }  // the error gets a line of its own
            throw error
        }
        if let started { FileHandle.standardError.write(Data(formatted(" %.2f s\n", Date().timeIntervalSince(started)).utf8)) }
        return store
    }
}

/// How new runs are labelled: experiment, tags and a note (`run` and `import`; an
/// import file's own labels give way to these).
struct LabelOptions: ParsableArguments {
    static let defaultExperiment = "default"

    @Option(help: "The experiment the runs belong to (default: \(LabelOptions.defaultExperiment), or an imported file's own).")
    var experiment: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("A key=value tag (repeatable).", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(help: "A free-text note.")
    var note: String?

    func validate() throws {
        if let experiment, experiment.isEmpty { throw ValidationError("--experiment needs a name, got an empty string") }
        _ = try tags
    }

    var tags: [Tag] {
        get throws { try tagArguments.map(Tag.parse) }
    }
}

extension Tag {
    /// Parses `key=value`: the key is letters, digits and . _ - ; the value is any text.
    static func parse(_ argument: String) throws -> Tag {
        guard let equals = argument.firstIndex(of: "=") else {
            throw ValidationError("tag '\(argument)' has no '='; write it as key=value, for example --tag sweep=eps")
        }
        let key = String(argument[..<equals]), value = String(argument[argument.index(after: equals)...])
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw ValidationError("tag key '\(key)' must be letters, digits, '.', '_' or '-'; write the tag as key=value")
        }
        return Tag(key: key, value: value)
    }
}
