/// A JSON value read from an import file. JSONDecoder keeps numbers and booleans apart,
/// which JSONSerialization on Linux does not.
enum ImportValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ImportValue])
    case object([String: ImportValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let string = try? container.decode(String.self) { self = .string(string) }
        else if let array = try? container.decode([ImportValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: ImportValue].self)) }
    }

    /// Command-line text: a number when it parses as one, true/false, else a string.
    init(argument: String) {
        if let number = Double(argument), number.isFinite { self = .number(number) }
        else if argument == "true" || argument == "false" { self = .bool(argument == "true") }
        else { self = .string(argument) }
    }

    /// As sdtrack writes JSON; object keys sorted so that the stored text is stable.
    var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .number(value)
        case .string(let value): .string(value)
        case .array(let values): .array(values.map(\.json))
        case .object(let members): .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) })
        }
    }

    /// How the value reads in an error message.
    var shown: String { json.serialized() }
}
