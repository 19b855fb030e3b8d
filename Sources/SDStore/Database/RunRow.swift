/// How a `RunRecord` maps onto the runs table: its fields (`RunField.all`) by column name,
/// plus config_json. Columns are read by name, whatever order a SELECT lists them in.
enum RunRow {
    static let columns = RunField.all.map(\.name) + ["config_json"]
    static let columnList = columns.map { "runs.\"\($0)\"" }.joined(separator: ", ")
    static let insertSQL =
        "INSERT INTO runs (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES ("
        + columns.map { _ in "?" }.joined(separator: ", ") + ")"

    /// The values of `insertSQL`'s parameters; `configJSON` is the configuration to store.
    static func values(_ run: RunRecord, configJSON: String) -> [SQLiteValue] {
        RunField.all.map { value($0.value(of: run)) } + [.text(configJSON)]
    }

    /// A field's value as SQLite stores it: a Bool as 0 or 1, a non-finite real as NULL
    /// (kappa is infinite when some eigenvalue is zero).
    static func value(_ value: FieldValue?) -> SQLiteValue {
        switch value {
        case nil: .null
        case .text(let text)?: .text(text)
        case .integer(let integer)?: .integer(Int64(integer))
        case .real(let real)?: real.isFinite ? .real(real) : .null
        case .bool(let bool)?: .integer(bool ? 1 : 0)
        }
    }

    /// Reads the runs a statement that selects `columnList` returns; tags are read separately.
    static func records(_ statement: SQLiteStatement) throws -> [RunRecord] {
        let indices = try RunField.all.map { field in
            guard let index = statement.columnIndex(field.name) else {
                throw StoreError(.sqlite, "the runs query does not select \(field.name)")
            }
            return index
        }
        guard let configIndex = statement.columnIndex("config_json") else {
            throw StoreError(.sqlite, "the runs query does not select config_json")
        }
        var runs = [RunRecord]()
        try RunField.all.withUnsafeBufferPointer { fields in
            while try statement.step() {
                var run = RunRecord(
                    id: "", experiment: "", status: .running, source: .sdtrack,
                    createdAt: Timestamp(millisecondsSince1970: 0), host: "", pid: nil,
                    sdtrackVersion: "", configJSON: statement.string(at: configIndex),
                    config: RunConfig())
                // By index: iterating the fields by value would copy each (and retain its closures).
                for position in fields.indices {
                    guard
                        fields[position].set(
                            fieldValue(statement, indices[position], kind: fields[position].kind),
                            on: &run)
                    else {
                        throw StoreError(.corrupt, "a row of the runs table has an invalid \(fields[position].name)")
                    }
                }
                runs.append(run)
            }
        }
        return runs
    }

    /// The column as a value of `kind`, read without an intermediate `SQLiteValue` (a list of
    /// 10,000 runs reads 400,000 of them). SQLite may hold a whole REAL as INTEGER, and the
    /// reverse in an INTEGER column; both convert.
    private static func fieldValue(_ statement: SQLiteStatement, _ index: Int32, kind: FieldKind) -> FieldValue? {
        switch statement.storageClass(at: index) {
        case .null, .blob: return nil
        case .text: return .text(statement.string(at: index))
        case .integer:
            let integer = statement.int64(at: index)
            return switch kind {
            case .bool: .bool(integer != 0)
            case .real: .real(Double(integer))
            default: .integer(Int(integer))
            }
        case .real:
            let real = statement.double(at: index) ?? .nan
            if kind == .integer, real == real.rounded(), abs(real) < 9e15 { return .integer(Int(real)) }
            return .real(real)
        }
    }
}
