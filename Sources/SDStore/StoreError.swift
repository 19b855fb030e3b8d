import CSQLite

/// A database that sdtrack cannot use, or a request it cannot satisfy. The message is one
/// line that says what is wrong and what to do; `cause` keeps SQLite's own error.
public struct StoreError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The file cannot be opened or created (a directory, a missing folder, permissions).
        case cannotOpen = "cannot_open"
        /// The file can be read but not written.
        case readOnly = "read_only"
        /// The file is not an SQLite database, or an SQLite database of another program.
        case notSDTrack = "not_sdtrack"
        /// SQLite found the file damaged.
        case corrupt
        /// The database was written by a newer sdtrack with a schema this one does not know.
        case newerSchema = "newer_schema"
        /// No database at the path, for a command that only reads.
        case missing
        /// No run matches an ID, or a prefix matches several.
        case unknownRun = "unknown_run"
        case ambiguousRun = "ambiguous_run"
        /// A request that conflicts with what is recorded (a duplicate run ID, a live run).
        case conflict
        /// Any other SQLite failure.
        case sqlite
    }

    public let code: Code
    public let message: String
    /// SQLite's error, when the failure came from SQLite.
    public let cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    /// Turns an SQLite failure on the database at `path` into the error a user can act on.
    static func from(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? SQLiteError else { return StoreError(.sqlite, "\(path): \(error)", cause: error) }
        switch error.primaryCode {
        case SQLITE_NOTADB:
            return StoreError(.notSDTrack, "\(path) is not an SQLite database; pass --db with another path", cause: error)
        case SQLITE_CORRUPT:
            return StoreError(.corrupt, "\(path) is corrupt (\(error.message)); restore it from a backup, or salvage it with `sqlite3 \(path) .recover`", cause: error)
        case SQLITE_READONLY:
            return StoreError(.readOnly, "\(path) is read-only; check its permissions (and its folder's) or pass --db with another path", cause: error)
        case SQLITE_CANTOPEN:
            return StoreError(.cannotOpen, "cannot open \(path) (\(error.message)); check that its folder exists and is writable, or pass --db", cause: error)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(.sqlite, "\(path) stayed locked by another process for longer than the busy timeout; try again", cause: error)
        case SQLITE_FULL:
            return StoreError(.sqlite, "the disk holding \(path) is full; free space and try again", cause: error)
        default:
            return StoreError(.sqlite, "\(path): \(error.message) (SQLite code \(error.code))", cause: error)
        }
    }
}
