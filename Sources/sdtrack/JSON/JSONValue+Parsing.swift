extension JSONValue {
    /// The JSON document in `text` (RFC 8259), or nil when it is not one. Numbers written
    /// without a fraction or exponent that fit an Int are `.int`, others `.number`.
    ///
    /// sdtrack's one JSON reader: import files, group keys, stored configurations. Unlike
    /// JSONSerialization on Linux it keeps booleans and numbers apart, and it needs no
    /// dynamic cast at every step (a best-rounds over 500 groups once read its labels for
    /// longer than it analysed the groups).
    static func parse(_ text: String) -> JSONValue? {
        var reader = JSONReader(bytes: Array(text.utf8))
        guard let value = reader.value() else { return nil }
        reader.skipSpace()
        return reader.index == reader.bytes.count ? value : nil
    }
}

private struct JSONReader {
    let bytes: [UInt8]
    var index = 0

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    /// Skips space, then `byte` if it is next.
    mutating func consume(_ byte: Unicode.Scalar) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: byte) else { return false }
        index += 1
        return true
    }

    mutating func value() -> JSONValue? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members = [(String, JSONValue)]()
            if consume("}") { return .object(members) }
            repeat {
                skipSpace()
                guard let key = string(), consume(":"), let member = value() else { return nil }
                members.append((key, member))
            } while consume(",")
            return consume("}") ? .object(members) : nil
        case UInt8(ascii: "["):
            index += 1
            var elements = [JSONValue]()
            if consume("]") { return .array(elements) }
            repeat {
                guard let element = value() else { return nil }
                elements.append(element)
            } while consume(",")
            return consume("]") ? .array(elements) : nil
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) -> JSONValue? {
        let word = Array(word.utf8)
        guard bytes.count - index >= word.count, Array(bytes[index ..< index + word.count]) == word else { return nil }
        index += word.count
        return value
    }

    private mutating func number() -> JSONValue? {
        let start = index
        while index < bytes.count, "+-.0123456789eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start ..< index], as: UTF8.self)
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || (0x30 ... 0x39).contains(first) else { return nil }
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let integer = Int(text) { return .int(integer) }
        return Double(text).map(JSONValue.number)
    }

    /// A string token, the reader at its opening quote.
    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var scalars = String.UnicodeScalarView()
        var start = index  // the unescaped run being read
        func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[start ..< end], as: UTF8.self).unicodeScalars) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                if scalars.isEmpty { return String(decoding: bytes[start ..< index], as: UTF8.self) }  // no escapes
                flush(index)
                return String(scalars)
            }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            flush(index)
            guard index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard var code = hex4() else { return nil }
                // A surrogate pair: \uD83D\uDE00.
                if (0xD800 ..< 0xDC00).contains(code), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                   bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    guard let low = hex4(), (0xDC00 ..< 0xE000).contains(low) else { return nil }
                    code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                scalars.append(scalar)
            default: return nil
            }
            start = index
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - index >= 4, let code = UInt32(String(decoding: bytes[index ..< index + 4], as: UTF8.self), radix: 16) else {
            return nil
        }
        index += 4
        return code
    }
}
