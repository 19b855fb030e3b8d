/// How a `RunRecord` maps onto the runs table: its fields (`RunField.all`) by column name,
/// plus config_json. Columns are read by name, whatever order a SELECT lists them in.
enum RunRow {
    static let columns = RunField.all.map(\.name) + ["config_json"]
    static let columnList = columns.map { "runs.\"\($0)\"" }.joined(separator: ", ")
    static let insertSQL = "INSERT INTO runs (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES ("
        + columns.map { _ in "?" }.joined(separator: ", ") + ")"

    /// The values of `insertSQL`'s parameters; `configJSON` is the configuration to store.
    static func values(_ run: RunRecord, configJSON: String) -> [SQLiteValue] {
        RunField.all.map { field in
            switch field.value(of: run) {
            case nil: .null
            case .text(let text)?: .text(text)
            case .integer(let integer)?: .integer(Int64(integer))
            case .real(let real)?: .real(real)
            case .bool(let bool)?: .integer(bool ? 1 : 0)
            }
        } + [.text(configJSON)]
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
        while try statement.step() {
            var run = RunRecord(id: "", experiment: "", status: .running, source: .sdtrack,
                                createdAt: Timestamp(millisecondsSince1970: 0), host: "", pid: nil, sdtrackVersion: "",
                                configJSON: statement.string(at: configIndex), config: RunConfig())
            for (field, index) in zip(RunField.all, indices) {
                let value: FieldValue? = switch (statement.value(at: index), field.kind) {
                case (.null, _): nil
                case (.integer(let integer), .bool): .bool(integer != 0)
                case (.integer(let integer), .real): .real(Double(integer))
                case (.integer(let integer), _): .integer(Int(integer))
                case (.real(let real), .integer) where real == real.rounded() && abs(real) < 9e15: .integer(Int(real))
                case (.real(let real), _): .real(real)
                case (.text(let text), _): .text(text)
                case (.blob, _): nil
                }
                guard field.set(value, on: &run) else {
                    throw StoreError(.corrupt, "a row of the runs table has an invalid \(field.name)")
                }
            }
            runs.append(run)
        }
        return runs
    }
}
