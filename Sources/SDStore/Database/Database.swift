import Foundation
import CSQLite
import SDSchema

/// An sdtrack database file, opened and brought to the current schema.
///
/// Opening checks before it writes anything: that the file is SQLite, that it is an sdtrack
/// database (its application_id, or a new empty file), and that its schema is not newer than
/// this sdtrack's. Only then does it switch to WAL and apply missing migrations, in one
/// IMMEDIATE transaction so that processes opening a new file together apply them once.
///
/// Every connection waits up to `busyTimeout` for another writer, enforces foreign keys,
/// and uses WAL with synchronous = NORMAL: a commit is atomic and the file stays
/// consistent after a crash or power loss, which may lose at most the last commits.
final class Database {
    static let busyTimeoutMilliseconds: Int32 = 30_000

    let path: String
    let connection: SQLiteConnection

    /// `create`: make the file when missing (commands that write). Otherwise a missing
    /// file is a `.missing` error (commands that only read). `migrations` is the schema's
    /// list; tests pass a longer one to exercise an upgrade. `upgrading` is told (from, to)
    /// before the migrations of a file that had a schema already are applied.
    init(path: String, create: Bool, migrations: [String] = Schema.migrations.map(\.sql),
         upgrading: ((Int, Int) -> Void)? = nil) throws(StoreError) {
        self.path = path
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            throw StoreError(.cannotOpen, "\(path) is a directory, not a database file; pass --db with a file path such as \(path)/sdtrack.db")
        }
        if !exists && !create {
            throw StoreError(.missing, "no database at \(path); record a run first (sdtrack run) or pass --db / set SDTRACK_DB")
        }
        do {
            connection = try Self.connect(path: path, mode: create ? .create : .existing)
            try Self.checkIdentity(connection, path: path, knownVersion: migrations.count)
            if connection.isReadOnly {
                throw StoreError(.readOnly, "\(path) is read-only; check its permissions (and its folder's) or pass --db with another path")
            }
            try Self.useWAL(connection)
            try Self.migrate(connection, migrations: migrations, upgrading: upgrading)
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Reads only: refuses files that are not sdtrack's, or from a newer sdtrack.
    private static func checkIdentity(_ connection: SQLiteConnection, path: String, knownVersion: Int) throws {
        // Reading the schema is the first access to the file's pages: a non-SQLite or
        // damaged file fails here, before anything is written.
        let tableCount = try connection.scalar("SELECT count(*) FROM sqlite_master")
        let applicationID = try connection.scalar("PRAGMA application_id")
        let version = try connection.scalar("PRAGMA user_version")
        guard case .integer(let tables) = tableCount, case .integer(let id) = applicationID,
              case .integer(let userVersion) = version else {
            throw StoreError(.sqlite, "\(path): unexpected answer to the schema queries")
        }
        if id == 0 && userVersion == 0 && tables == 0 { return }  // new or empty file
        guard id == Int64(Schema.applicationID) else {
            throw StoreError(.notSDTrack, "\(path) is an SQLite database of another program, not sdtrack's; pass --db with another path")
        }
        if userVersion > knownVersion {
            throw StoreError(.newerSchema, "\(path) has schema version \(userVersion), newer than this sdtrack's (\(knownVersion)); upgrade sdtrack to read it")
        }
    }

    /// Switching to WAL needs a moment alone with the file; retried while another process
    /// holds it, since that pragma does not wait on the busy timeout in every case.
    private static func useWAL(_ connection: SQLiteConnection) throws {
        if case .text(let mode) = try connection.scalar("PRAGMA journal_mode"), mode.lowercased() == "wal" { return }
        let deadline = Date().addingTimeInterval(Double(busyTimeoutMilliseconds) / 1000)
        while true {
            do {
                try connection.execute("PRAGMA journal_mode = WAL")
                return
            } catch {
                guard error.primaryCode == SQLITE_BUSY, Date() < deadline else { throw error }
                usleep(10_000)
            }
        }
    }

    /// What a migration's SQL cannot do (SQL has no way to write a float64 blob), done in
    /// its transaction right after it; keyed by the schema version the migration makes.
    private static let dataSteps: [Int: @Sendable (SQLiteConnection) throws -> Void] = [4: Curves.backfill]

    private static func migrate(_ connection: SQLiteConnection, migrations: [String], upgrading: ((Int, Int) -> Void)?) throws {
        guard try userVersion(connection) < migrations.count else { return }
        try connection.transaction(.immediate) {
            // Another process may have migrated between the check and the lock.
            let current = try userVersion(connection)
            guard current < migrations.count else { return }
            if current > 0 { upgrading?(current, migrations.count) }
            for index in current ..< migrations.count {
                try connection.execute(migrations[index])
                try dataSteps[index + 1]?(connection)
                try connection.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }

    private static func userVersion(_ connection: SQLiteConnection) throws -> Int {
        guard case .integer(let version) = try connection.scalar("PRAGMA user_version") else { return 0 }
        return Int(version)
    }

    /// A connection with sdtrack's settings. The pragmas configure the connection only and
    /// touch no page of the file, so they are safe before the file is checked.
    private static func connect(path: String, mode: SQLiteConnection.OpenMode) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, mode: mode)
        try connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        try connection.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        return connection
    }

    /// Runs `body` in a transaction and turns SQLite's errors into `StoreError`s.
    func write<T>(_ body: (SQLiteConnection) throws -> T) throws(StoreError) -> T {
        do {
            return try connection.transaction(.immediate) { try body(connection) }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Runs `body` in a read transaction, so that it sees one consistent snapshot.
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws(StoreError) -> T {
        do {
            return try connection.transaction(.deferred) { try body(connection) }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }
}
