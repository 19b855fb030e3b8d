import CSQLite
import Foundation

/// One connection to an SQLite database: the only type that opens, closes and runs SQL
/// through the C API. Every return code is checked where it is returned and becomes a
/// `SQLiteError`. Statements are prepared once per connection and kept (`cached`). Not
/// thread-safe: one thread at a time (`Database` hands connections out).
final class SQLiteConnection {
    enum OpenMode {
        /// Read and write; create the file when it does not exist.
        case create
        /// Read and write an existing file.
        case existing
        /// Read an existing file that this process may not write (nor its folder, where WAL
        /// needs its -shm file): SQLite's `immutable` mode, without locks. Only for a file
        /// that nobody writes meanwhile: one the reader cannot write is mostly one nobody can.
        case immutable
    }

    enum TransactionKind: String {
        /// Takes the write lock at BEGIN, so a writer waits (busy timeout) at the start
        /// instead of failing with SQLITE_BUSY when it upgrades a read in WAL mode.
        case immediate = "IMMEDIATE"
        case deferred = "DEFERRED"
    }

    let path: String
    private let handle: OpaquePointer
    /// Prepared statements by SQL text, reused by `run`, `forEachRow`, `rows` and `scalar`.
    private var statements = [String: SQLiteStatement]()

    init(path: String, mode: OpenMode) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX
        var name = path
        switch mode {
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .existing: flags |= SQLITE_OPEN_READWRITE
        case .immutable:
            flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
            // A URI's path is percent-encoded: '?', '#' and '%' in a file name must not end it.
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            name = "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
        }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(name, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteError(
                code: code,
                message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code)))
            sqlite3_close_v2(handle)
            throw error
        }
        self.path = path
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        statements.removeAll()  // finalized before the connection closes
        // close_v2 only fails for a handle that is not a connection; with every statement
        // finalized it closes at once.
        sqlite3_close_v2(handle)
    }

    /// True when SQLite could only open the file for reading (its permissions).
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Waits up to `milliseconds` for another connection's lock instead of failing at once.
    func setBusyTimeout(milliseconds: Int32) throws(SQLiteError) {
        try check(sqlite3_busy_timeout(handle, milliseconds))
    }

    /// Runs one or more statements that take no parameters and return no rows we need.
    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text, sql: sql)
        }
    }

    /// A new statement, finalized when released.
    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql: sql) }
        return SQLiteStatement(statement, connection: self, sql: sql)
    }

    /// Calls `body` with the connection's prepared statement for `sql` (prepared on first
    /// use), reset afterwards so that it holds no lock. A statement already in use (a body
    /// that runs its own SQL again) gets a fresh one.
    func cached<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement: SQLiteStatement
        if let cached = statements[sql], !cached.isInUse {
            statement = cached
        } else {
            statement = try prepare(sql)
            if statements[sql] == nil { statements[sql] = statement }
        }
        statement.isInUse = true
        defer {
            statement.reset()
            statement.isInUse = false
        }
        return try body(statement)
    }

    /// Runs one statement with `values` bound to its parameters, ignoring any rows.
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws {
        try cached(sql) { statement in
            try statement.bind(values)
            while try statement.step() {}
        }
    }

    /// Calls `body` with each row of `sql`.
    func forEachRow(_ sql: String, _ values: [SQLiteValue] = [], _ body: (SQLiteRow) throws -> Void) throws {
        try cached(sql) { statement in
            try statement.bind(values)
            while try statement.step() { try body(SQLiteRow(statement: statement)) }
        }
    }

    /// The rows of `sql`, each turned into a value by `transform`.
    func rows<T>(_ sql: String, _ values: [SQLiteValue] = [], _ transform: (SQLiteRow) throws -> T) throws -> [T] {
        var result = [T]()
        try forEachRow(sql, values) { result.append(try transform($0)) }
        return result
    }

    /// The first column of the first row of `sql`, or nil when there is no row.
    func scalar(_ sql: String, _ values: [SQLiteValue] = []) throws -> SQLiteValue? {
        try cached(sql) { statement in
            try statement.bind(values)
            guard try statement.step() else { return nil }
            return statement.value(at: 0)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func check(_ code: Int32, sql: String? = nil) throws(SQLiteError) {
        if code != SQLITE_OK { throw error(code, sql: sql) }
    }

    func error(_ code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
