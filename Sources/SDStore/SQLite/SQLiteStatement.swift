import CSQLite
import Foundation

/// A value bound to a statement's parameter or read from a column.
enum SQLiteValue: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// NULL for nil; a non-finite Double is stored as NULL too (SQLite has no NaN).
    static func real(_ value: Double?) -> SQLiteValue {
        guard let value, value.isFinite else { return .null }
        return .real(value)
    }
    static func integer(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
    static func text(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    static func bool(_ value: Bool?) -> SQLiteValue { value.map { .integer($0 ? 1 : 0) } ?? .null }
}

/// A prepared statement, finalized when released.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection
    private let sql: String
    /// Set while a caller of `SQLiteConnection.cached` holds it.
    var isInUse = false
    /// Result column index by name, made on first use.
    private var columnIndices: [String: Int32]?

    init(_ handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    // finalize returns the error of the last step, which `step` has already reported.
    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to parameters 1, 2, ... after resetting the statement.
    func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        try connection.check(sqlite3_reset(handle), sql: sql)
        try connection.check(sqlite3_clear_bindings(handle), sql: sql)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32 =
                switch value {
                case .null: sqlite3_bind_null(handle, index)
                case .integer(let integer): sqlite3_bind_int64(handle, index, integer)
                case .real(let real): sqlite3_bind_double(handle, index, real)
                // By byte count, not up to a NUL: text may hold NUL characters. (SQLite copies
                // the bytes, so the string's own buffer serves; an empty string may have no buffer.)
                case .text(var text):
                    text.isEmpty
                        ? csqlite_bind_text_copy(handle, index, "", 0)
                        : text.withUTF8 { bytes in
                            bytes.withMemoryRebound(to: CChar.self) {
                                csqlite_bind_text_copy(handle, index, $0.baseAddress!, Int32($0.count))
                            }
                        }
                case .blob(let bytes):
                    bytes.withUnsafeBytes { csqlite_bind_blob_copy(handle, index, $0.baseAddress, Int32($0.count)) }
                }
            try connection.check(code, sql: sql)
        }
    }

    /// Ends the current execution, releasing its locks (the bindings stay).
    func reset() {
        // Its code repeats the last step's error, which `step` has already thrown.
        sqlite3_reset(handle)
    }

    /// The index of the result column called `name`, or nil when the statement has none.
    func columnIndex(_ name: String) -> Int32? {
        if let columnIndices { return columnIndices[name] }
        var indices = [String: Int32]()
        for index in 0..<sqlite3_column_count(handle) {
            if let name = sqlite3_column_name(handle, index) { indices[String(cString: name)] = index }
        }
        columnIndices = indices
        return indices[name]
    }

    /// Advances to the next row: true when there is one, false when the statement is done.
    func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code, sql: sql)
        }
    }

    /// The storage class of the column's value in the current row.
    enum StorageClass {
        case null, integer, real, text, blob
    }

    func storageClass(at column: Int32) -> StorageClass {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .real
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    /// The column as an integer (0 for NULL), without building a `SQLiteValue`: for loops
    /// over hundreds of thousands of rows.
    func int64(at column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column as a double, nil for NULL (or text), without building a `SQLiteValue`.
    func double(at column: Int32) -> Double? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_FLOAT, SQLITE_INTEGER: sqlite3_column_double(handle, column)
        default: nil
        }
    }

    /// The column's text (empty for NULL).
    func string(at column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        return String(
            decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The column's bytes as a blob, valid until the next step (empty for NULL).
    func blob(at column: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            start: sqlite3_column_blob(handle, column), count: Int(sqlite3_column_bytes(handle, column)))
    }

    func value(at column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT: return .text(string(at: column))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}

/// The current row of a statement, read by column index.
struct SQLiteRow {
    let statement: SQLiteStatement

    subscript(column: Int32) -> SQLiteValue { statement.value(at: column) }

    func string(_ column: Int32) -> String? {
        if case .text(let text) = self[column] { return text }
        return nil
    }

    func int(_ column: Int32) -> Int? {
        if case .integer(let integer) = self[column] { return Int(integer) }
        return nil
    }

    /// REAL columns; INTEGER values (which SQLite may store for whole numbers) convert.
    func double(_ column: Int32) -> Double? {
        switch self[column] {
        case .real(let real): real
        case .integer(let integer): Double(integer)
        default: nil
        }
    }

    func bool(_ column: Int32) -> Bool? { int(column).map { $0 != 0 } }

    // By column name (the statement maps names to indices once).

    func string(_ name: String) -> String? { statement.columnIndex(name).flatMap(string) }
    func int(_ name: String) -> Int? { statement.columnIndex(name).flatMap(int) }
    func double(_ name: String) -> Double? { statement.columnIndex(name).flatMap(double) }
    func bool(_ name: String) -> Bool? { statement.columnIndex(name).flatMap(bool) }

    func bytes(_ column: Int32) -> [UInt8]? {
        if case .blob(let bytes) = self[column] { return bytes }
        return nil
    }
}

/// An SQLite result code with SQLite's message, and the statement that failed.
struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (SQLITE_BUSY_SNAPSHOT, SQLITE_CORRUPT_INDEX, ...).
    let code: Int32
    let message: String
    var sql: String?

    /// The primary result code (SQLITE_BUSY, SQLITE_CORRUPT, ...).
    var primaryCode: Int32 { code & 0xFF }

    var description: String { "\(message) (SQLite code \(code))" }
}
