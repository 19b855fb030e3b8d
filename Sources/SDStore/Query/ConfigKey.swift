import SDJSON

/// A configuration key named on the command line (`--where`, `--group-by`): one of the runs
/// table's configuration columns, or any key of a run's configuration JSON (dots reach into
/// objects: `kernel.name`). It becomes SQL only as a whitelisted column name or as
/// json_extract with the path bound as a parameter.
public struct ConfigKey: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    /// The runs table's columns a key can name: the experiment and `ConfigColumn`'s.
    public static let columns = ["experiment"] + ConfigColumn.allCases.map(\.name)

    /// nil unless `name` is letters, digits, '_', '-' and dots between them.
    public init?(_ name: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty,
            parts.allSatisfy({ part in
                !part.isEmpty
                    && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            })
        else { return nil }
        self.name = name
    }

    public var description: String { name }

    var isColumn: Bool { Self.columns.contains(name) }

    /// The SQL expression for the key's value and the parameters it binds.
    var sql: (expression: String, values: [SQLiteValue]) { sql(jsonFunction: "json_extract") }

    /// A configuration JSON key's path, bound to `jsonFunction` (`json_extract` for its value,
    /// `json_type` for whether it is there); a column by its quoted name.
    func sql(jsonFunction: String) -> (expression: String, values: [SQLiteValue]) {
        if isColumn { return ("runs.\"\(name)\"", []) }
        let path = "$" + name.split(separator: ".").map { ".\"\($0)\"" }.joined()
        return ("\(jsonFunction)(runs.config_json, ?)", [.text(path)])
    }
}

/// A configuration value in a condition or a group.
public enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case text(String)

    var sqlValue: SQLiteValue {
        switch self {
        case .number(let number): .real(number)
        case .text(let text): .text(text)
        }
    }

    public var description: String {
        switch self {
        case .number(let number): JSONNumber.display(number)
        case .text(let text): text
        }
    }
}

/// `key op value`, with op one of = != < <= > >=.
public struct ConfigCondition: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    public let key: ConfigKey
    public let op: Operator
    public let value: ConfigValue

    public init(key: ConfigKey, op: Operator, value: ConfigValue) {
        self.key = key
        self.op = op
        self.value = value
    }

    /// SQL with every value bound: the operator comes from the enum, the key from ConfigKey.
    var sql: (clause: String, values: [SQLiteValue]) {
        let (expression, values) = key.sql
        return ("\(expression) \(op.rawValue) ?", values + [value.sqlValue])
    }
}
