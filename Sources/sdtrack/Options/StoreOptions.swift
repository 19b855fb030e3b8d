import ArgumentParser
import Foundation
import SDJSON
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
    /// never leave an empty database behind a mistyped path; `.read` access for commands that
    /// only read, which then read a database they may not write. An upgrade of an older file
    /// says so on standard error, with the time it took.
    func open(create: Bool, access: RunStore.Access = .readWrite) throws -> RunStore {
        var started: Date?
        do {
            // A command reads once, or records one run: one connection does (reads .sharingWriter).
            let store = try RunStore(path: resolvedPath, create: create, reads: .sharingWriter, access: access) {
                from, to in
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
