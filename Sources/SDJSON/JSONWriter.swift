/// How sdtrack writes numbers, in every JSON document and in the stored configurations.
public enum JSONNumber {
    /// 2^53: every whole number of at most this magnitude is exactly a Double.
    public static let largestExactInteger: Double = 9_007_199_254_740_992

    /// The shortest text that reads back as `value` exactly: a whole number of magnitude up to
    /// 2^53 as an integer (`80`, not `80.0`), any other finite value in Swift's shortest
    /// round-trip form (`0.1`, `1e-05`, `1.5e+300`); negative zero as `-0.0`, so that its sign
    /// survives; nil for infinities and NaN, which JSON cannot hold.
    public static func text(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) <= largestExactInteger, !(value == 0 && value.sign == .minus) {
            return String(Int(value))
        }
        return value.description
    }
}

extension JSONNumber {
    /// A number as sdtrack shows it to people (labels, conditions, messages): as JSON writes it
    /// (`80`, `0.5`, `1e-05`), and `inf`, `-inf` or `nan` where JSON has no text.
    public static func display(_ value: Double) -> String { text(value) ?? "\(value)" }
}

extension JSONValue {
    /// Compact JSON (no spaces), members in their order, numbers as `JSONNumber.text`,
    /// non-finite numbers as null.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// `serialized()` as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        // Bytes, not String appends: a best-rounds over 10,000 runs writes close to a megabyte.
        var out = [UInt8]()
        write(to: &out)
        return out
    }

    /// Appends `serialized()`'s bytes to `out`.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .int(let value): out += String(value).utf8
        case .number(let value): out += (JSONNumber.text(value) ?? "null").utf8
        case .string(let value): Self.writeString(value, to: &out)
        case .raw(let json): out += json.utf8
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8259 escapes: the quote, the backslash and control characters; all else as is.
    static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Most strings need no escape (a 10,000-run list is mostly IDs): copied whole.
            guard bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out += #"\""#.utf8
                case UInt8(ascii: "\\"): out += #"\\"#.utf8
                case UInt8(ascii: "\n"): out += #"\n"#.utf8
                case UInt8(ascii: "\r"): out += #"\r"#.utf8
                case UInt8(ascii: "\t"): out += #"\t"#.utf8
                case 0..<0x20:
                    let hex = String(byte, radix: 16)
                    out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// The canonical form of a configuration: object members sorted by key (in Unicode code
    /// point order, as Python's `sort_keys` sorts), a key given twice keeping its last value,
    /// at every depth; array order kept. With `JSONNumber`'s number form this makes equal
    /// configurations equal text, whichever writer made them and in whatever order.
    public var canonical: JSONValue {
        switch self {
        case .array(let values): return .array(values.map(\.canonical))
        case .object(let members):
            var latest = [String: Int]()
            for (index, member) in members.enumerated() { latest[member.0] = index }
            let kept = members.indices.filter { latest[members[$0].0] == $0 }.map { members[$0] }
            return .object(
                kept.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
                    .map { ($0.0, $0.1.canonical) })
        case .raw(let text): return JSONValue.parse(text)?.canonical ?? self
        case .number(let value):
            // A whole number reads back as .int: make it one now, so that a canonical value
            // equals its own text read back.
            if let text = JSONNumber.text(value), let integer = Int(text) { return .int(integer) }
            return self
        default: return self
        }
    }
}
