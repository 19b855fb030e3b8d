/// A JSON document whose object members keep the order they were written in, so that output
/// is stable byte for byte.
///
/// sdtrack's one JSON model: every format it prints or accepts is read with `parse` and
/// written with `serialized()` (see JSONReader.swift and JSONWriter.swift). Numbers written
/// without a fraction or exponent that fit an Int read as `.int`, all others as `.number`.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// Written in shortest round-trip form (see `JSONNumber`); non-finite values as null.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// Text that is already valid JSON (a stored configuration), written as it is.
    case raw(String)

    public static func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
    public static func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
    public static func optional(_ value: Bool?) -> JSONValue { value.map(JSONValue.bool) ?? .null }
    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }

    /// An object's member named `key` (the last, if repeated); nil for other values.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    /// A number's value, whether written with a fraction or not; nil for other values.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// A whole number's value (`3` or `3.0`), nil for fractions, numbers beyond 2^53 and
    /// other values.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .number(let value) where value == value.rounded() && abs(value) <= JSONNumber.largestExactInteger:
            Int(value)
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether a number anywhere in the value is not finite (a text such as `1e400` reads as
    /// infinity): JSON cannot write it back, so a record holding one would change.
    public var containsNonFiniteNumber: Bool {
        switch self {
        case .number(let value): !value.isFinite
        case .array(let values): values.contains { $0.containsNonFiniteNumber }
        case .object(let members): members.contains { $0.1.containsNonFiniteNumber }
        default: false
        }
    }

    /// The value as a message shows it: its JSON text, except that a number too large for a
    /// Double (`1e999`) shows as inf or -inf, where JSON would write null.
    public var messageText: String {
        if case .number(let value) = self, !value.isFinite { return "\(value)" }
        return serialized()
    }
}

extension JSONValue: Equatable {
    /// Structural equality: object members in order, `.int(3)` equal to `.number(3.0)`, and
    /// `.raw` text compared as it is parsed.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.int, .number), (.number, .int), (.number, .number): lhs.doubleValue == rhs.doubleValue
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.raw(let text), _): JSONValue.parse(text).map { $0 == rhs } ?? false
        case (_, .raw(let text)): JSONValue.parse(text).map { lhs == $0 } ?? false
        default: false
        }
    }
}
