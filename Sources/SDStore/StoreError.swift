import CSQLite

/// A database sdtrack cannot use, or a request it cannot satisfy. `code` says which, for
/// programs; `message` is one line of facts (what is wrong, with the path or run it concerns),
/// never advice for one front end: the command line adds "pass --db ...", a server its HTTP
/// status. `cause` keeps SQLite's own error.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, CaseIterable {
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
        /// No database at the path, for a reader that does not create one.
        case missing
        /// No run matches an ID, or a prefix matches several.
        case unknownRun = "unknown_run"
        case ambiguousRun = "ambiguous_run"
        /// A run given again with other content than the stored one.
        case conflict
        /// A run still running (its process alive) where that is refused, such as deleting it.
        case runInProgress = "run_in_progress"
        /// A tag whose key is not letters, digits, '.', '_' and '-', or that has no '='.
        case invalidTag = "invalid_tag"
        /// A record that cannot be stored as it is (a configuration that is not a JSON object,
        /// a spectrum of the wrong length, rounds given twice).
        case invalidRecord = "invalid_record"
        /// Another process held the database locked for longer than the busy timeout.
        case busy
        /// The disk holding the database is full.
        case diskFull = "disk_full"
        /// Any other SQLite failure.
        case sqlite
    }

    public let code: Code
    public let message: String
    /// The database file concerned, when there is one.
    public let path: String?
    /// SQLite's error, when the failure came from SQLite.
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, path: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.cause = cause
    }

    public var description: String { message }

    /// Turns an SQLite failure on the database at `path` into a typed error.
    static func from(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? SQLiteError else { return StoreError(.sqlite, "\(path): \(error)", path: path) }
        switch error.primaryCode {
        case SQLITE_NOTADB:
            return StoreError(.notSDTrack, "\(path) is not an SQLite database", path: path, cause: error)
        case SQLITE_CORRUPT:
            return StoreError(.corrupt, "\(path) is corrupt (\(error.message))", path: path, cause: error)
        case SQLITE_READONLY:
            return StoreError(.readOnly, "\(path) is read-only", path: path, cause: error)
        case SQLITE_CANTOPEN:
            return StoreError(.cannotOpen, "cannot open \(path) (\(error.message))", path: path, cause: error)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(
                .busy, "\(path) stayed locked by another process for longer than the busy timeout",
                path: path, cause: error)
        case SQLITE_FULL:
            return StoreError(.diskFull, "the disk holding \(path) is full", path: path, cause: error)
        default:
            return StoreError(
                .sqlite, "\(path): \(error.message) (SQLite code \(error.code))", path: path, cause: error)
        }
    }
}
