import CSQLite
import Foundation
import SDJSON
import SDSchema

/// An sdtrack database file, opened and brought to the current schema, shared by any number
/// of threads.
///
/// Opening checks before it writes anything: that the file is SQLite, that it is an sdtrack
/// database (its application_id, or a new empty file), and that its schema is not newer than
/// this sdtrack's. Only then does it switch to WAL and apply missing migrations, in one
/// IMMEDIATE transaction so that processes opening a new file together apply them once.
///
/// Threads: writes go through one connection, one transaction at a time (SQLite allows one
/// writer per file anyway, and a second connection would only wait on the busy timeout);
/// reads take connections of their own from a pool, so readers run in parallel with each
/// other and with the writer (WAL), each in one snapshot (`RunStore.Reads` says when a read
/// may use the idle write connection instead). Each connection keeps its prepared statements.
///
/// Every connection waits up to `busyTimeout` for another process's lock, enforces foreign
/// keys, and uses WAL with synchronous = NORMAL: a commit is atomic and the file stays
/// consistent after a crash or power loss, which may lose at most the last commits.
final class Database: @unchecked Sendable {
    static let busyTimeoutMilliseconds: Int32 = 30_000
    /// Idle read connections kept for reuse; more are opened while more threads read at once.
    static let idleReadersKept = 8

    let path: String
    /// The write connection; use it only inside `write` (or in single-threaded tests).
    let connection: SQLiteConnection
    private let writeLock = NSLock()
    private let poolLock = NSLock()
    private var idleReaders = [SQLiteConnection]()
    let reads: RunStore.Reads
    /// How pooled read connections open the file: as the write connection did.
    private let readerMode: SQLiteConnection.OpenMode

    /// `create`: make the file when missing (writers). Otherwise a missing file is a
    /// `.missing` error (readers). `migrations` is the schema's list; tests pass a longer one
    /// to exercise an upgrade. `upgrading` is told (from, to) before the migrations of a file
    /// that had a schema already are applied.
    init(
        path: String, create: Bool, migrations: [String] = Schema.migrations.map(\.sql),
        reads: RunStore.Reads = .pooled, access: RunStore.Access = .readWrite,
        upgrading: ((Int, Int) -> Void)? = nil
    ) throws(StoreError) {
        self.reads = reads
        self.path = path
        // SQLite keeps these in memory or in a temporary file deleted on close: nothing would
        // be recorded, yet every command would say it was.
        if path == ":memory:" || path.isEmpty || path.hasPrefix("file:") {
            throw StoreError(
                .notSDTrack, "'\(path)' is not a file: runs recorded there would be gone when the command ends",
                path: path)
        }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            throw StoreError(.cannotOpen, "\(path) is a directory, not a database file", path: path)
        }
        if !exists && !create {
            throw StoreError(.missing, "no database at \(path)", path: path)
        }
        // Listing and querying need no write: a file this process may not write, or whose
        // folder it may not write (WAL keeps its -shm file there), is read as it is.
        let folder = (path as NSString).deletingLastPathComponent
        let readOnly =
            access == .read && exists
            && (Foundation.access(path, W_OK) != 0 || Foundation.access(folder.isEmpty ? "." : folder, W_OK) != 0)
        do {
            let connection = try Self.connect(path: path, mode: readOnly ? .immutable : create ? .create : .existing)
            try Self.checkIdentity(connection, path: path, knownVersion: migrations.count)
            if connection.isReadOnly && !readOnly {
                throw StoreError(.readOnly, "\(path) is read-only", path: path)
            }
            if readOnly {
                let version = try Self.userVersion(connection)
                if version < migrations.count {
                    throw StoreError(
                        .readOnly,
                        "\(path) is read-only and from an older sdtrack (schema version \(version) of "
                            + "\(migrations.count)): it must be upgraded, by a command that may write it, to be read",
                        path: path)
                }
                readerMode = .immutable
            } else {
                try Self.useWAL(connection)
                try Self.migrate(connection, migrations: migrations, upgrading: upgrading)
                readerMode = .existing
            }
            self.connection = connection
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
            case .integer(let userVersion) = version
        else {
            throw StoreError(.sqlite, "\(path): unexpected answer to the schema queries", path: path)
        }
        if id == 0 && userVersion == 0 && tables == 0 { return }  // new or empty file
        guard id == Int64(Schema.applicationID) else {
            throw StoreError(.notSDTrack, "\(path) is an SQLite database of another program, not sdtrack's", path: path)
        }
        if userVersion > knownVersion {
            throw StoreError(
                .newerSchema,
                "\(path) has schema version \(userVersion), newer than this sdtrack's (\(knownVersion))",
                path: path)
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

    /// What a migration's SQL cannot do (SQL can neither write a float64 blob nor sort a JSON
    /// object's keys), done in its transaction right after it; keyed by the schema version the
    /// migration makes.
    private static let dataSteps: [Int: @Sendable (SQLiteConnection) throws -> Void] = [
        4: Curves.backfill,
        5: CanonicalConfig.backfill,
    ]

    private static func migrate(
        _ connection: SQLiteConnection, migrations: [String],
        upgrading: ((Int, Int) -> Void)?
    ) throws {
        guard try userVersion(connection) < migrations.count else { return }
        try connection.transaction(.immediate) {
            // Another process may have migrated between the check and the lock.
            let current = try userVersion(connection)
            guard current < migrations.count else { return }
            if current > 0 { upgrading?(current, migrations.count) }
            for index in current..<migrations.count {
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

    /// Runs `body` in a write transaction on the write connection, one thread at a time, and
    /// turns SQLite's errors into `StoreError`s.
    func write<T>(_ body: (SQLiteConnection) throws -> T) throws(StoreError) -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        do {
            return try connection.transaction(.immediate) { try body(connection) }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Lets the write-ahead log grow to `pages` pages before SQLite copies it into the database
    /// (its automatic checkpoint, 1,000 pages by default). A writer of many short transactions
    /// (a sweep's runs) checkpoints less often, each page once for many transactions; the log
    /// is still checkpointed and removed when the last connection closes.
    func checkpointEvery(pages: Int) throws(StoreError) {
        writeLock.lock()
        defer { writeLock.unlock() }
        do {
            try connection.execute("PRAGMA wal_autocheckpoint = \(max(1, pages))")
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Runs `body` in a read transaction on a pooled connection, so that it sees one
    /// consistent snapshot while other threads read and write.
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws(StoreError) -> T {
        do {
            let reader = try takeReader()
            defer { returnReader(reader) }
            return try reader.transaction(.deferred) { try body(reader) }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// With `.sharingWriter`, the write connection when no write is under way; else an idle
    /// pooled connection, else a new one.
    private func takeReader() throws -> SQLiteConnection {
        if reads == .sharingWriter, writeLock.try() { return connection }
        if let idle = poolLock.withLock({ idleReaders.popLast() }) { return idle }
        return try Self.connect(path: path, mode: readerMode)
    }

    private func returnReader(_ reader: SQLiteConnection) {
        if reader === connection {
            writeLock.unlock()
            return
        }
        poolLock.withLock {
            if idleReaders.count < Self.idleReadersKept { idleReaders.append(reader) }
        }
    }
}
