#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Where a text stops being JSON: the line and column (both from 1) and what was expected.
public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable {
    public let line: Int
    public let column: Int
    public let expected: String

    public init(line: Int, column: Int, expected: String) {
        self.line = line
        self.column = column
        self.expected = expected
    }

    public var description: String { "line \(line), column \(column): expected \(expected)" }
}

extension JSONValue {
    /// The JSON document in `text` (RFC 8259), or nil when it is not one.
    public static func parse(_ text: String) -> JSONValue? {
        try? parse(document: text)
    }

    /// The JSON document in `text`, or an error that says where it stops being JSON.
    ///
    /// Numbers follow RFC 8259's grammar exactly (no leading zeros, `+`, bare `.5` or `1.`);
    /// fractions and exponents are converted exactly (correctly rounded, `DecimalToDouble`,
    /// else strtod), so that the shortest round-trip text sdtrack writes reads back as the
    /// same double, bit for bit. A number too large for a Double reads as infinity (callers
    /// refuse it).
    public static func parse(document text: String) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONSyntaxError> = text.withUTF8 { bytes in
            var reader = JSONReader(bytes: bytes)
            do throws(JSONSyntaxError) {
                let value = try reader.value()
                reader.skipSpace()
                guard reader.index == bytes.count else { throw reader.error("the end of the document") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// A recursive-descent reader over UTF-8 bytes.
private struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Arrays and objects open around the value being read.
    var depth = 0
    /// The deepest nesting read: deeper documents are refused, not followed until the stack
    /// overflows. sdtrack's own documents nest four deep; 128 levels need under 512 KB of stack
    /// even in a debug build (a server's threads have less than the main thread's 8 MB).
    static let maximumDepth = 128

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ expected: String) -> JSONSyntaxError {
        var line = 1, lineStart = 0
        for offset in 0..<min(index, bytes.count) where bytes[offset] == UInt8(ascii: "\n") {
            line += 1
            lineStart = offset + 1
        }
        return JSONSyntaxError(line: line, column: index - lineStart + 1, expected: expected)
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Skips space, then `byte` if it is next.
    mutating func consume(_ byte: Unicode.Scalar) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: byte) else { return false }
        index += 1
        return true
    }

    mutating func value() throws(JSONSyntaxError) -> JSONValue {
        skipSpace()
        guard index < bytes.count else { throw error("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try enterNesting()
            defer { depth -= 1 }
            index += 1
            var members = [(String, JSONValue)]()
            // A key given twice means one of two things: refused, not read as the last.
            // (A scan for small objects, a set past 16 keys.)
            var keys: Set<String>?
            if consume("}") { return .object(members) }
            repeat {
                skipSpace()
                let key = try string()
                let repeated: Bool
                if keys != nil {
                    repeated = !keys!.insert(key).inserted
                } else {
                    repeated = members.contains { $0.0 == key }
                    if members.count == 16 { keys = Set(members.map(\.0) + [key]) }
                }
                guard !repeated else {
                    throw error("each key once in an object, but \"\(key.prefix(40))\" is given twice")
                }
                guard consume(":") else { throw error("':' after the key \"\(key.prefix(40))\"") }
                members.append((key, try value()))
            } while consume(",")
            guard consume("}") else { throw error("',' or '}'") }
            return .object(members)
        case UInt8(ascii: "["):
            try enterNesting()
            defer { depth -= 1 }
            index += 1
            var elements = [JSONValue]()
            if consume("]") { return .array(elements) }
            repeat {
                elements.append(try value())
            } while consume(",")
            guard consume("]") else { throw error("',' or ']'") }
            return .array(elements)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    /// One array or object deeper; refused beyond `maximumDepth`.
    private mutating func enterNesting() throws(JSONSyntaxError) {
        guard depth < Self.maximumDepth else { throw error("at most \(Self.maximumDepth) nested arrays and objects") }
        depth += 1
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count, memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else {
            throw error("a value")
        }
        index += count
        return value
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        return index - start
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0 else { throw error("a value") }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
            index = integerStart + 1
            throw error("no leading zero in a number")
        }
        let integerEnd = index
        var fraction = integerEnd..<integerEnd
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            guard digits() > 0 else { throw error("a digit after '.'") }
            fraction = fractionStart..<index
        }
        var exponent = 0, exponentDigits = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            exponentDigits = digits()
            guard exponentDigits > 0 else { throw error("a digit in the exponent") }
            // Beyond 4 digits the value is 0 or infinite anyway; strtod handles it.
            if exponentDigits <= 4 {
                for offset in exponentStart..<index { exponent = exponent * 10 + Int(bytes[offset] - 0x30) }
                if exponentNegative { exponent = -exponent }
            }
        }
        // "-0" is the double -0.0 (as strtod reads it), not the integer 0.
        if fraction.isEmpty, exponentDigits == 0, negative, integerDigits == 1, bytes[integerStart] == 0x30 {
            return .number(-0.0)
        }
        if fraction.isEmpty && exponentDigits == 0,
            let integer = Self.integer(
                UnsafeBufferPointer(rebasing: bytes[integerStart..<integerEnd]), negative: negative)
        {
            return .int(integer)
        }
        if exponentDigits <= 4,
            let value = decimal(
                integer: integerStart..<integerEnd, fraction: fraction, exponent: exponent,
                negative: negative)
        {
            return .number(value)
        }
        return .number(Self.double(UnsafeBufferPointer(rebasing: bytes[start..<index])))
    }

    /// The number by `DecimalToDouble` when its significant digits fit 19 decimal digits and
    /// that method decides it; nil otherwise.
    private func decimal(integer: Range<Int>, fraction: Range<Int>, exponent: Int, negative: Bool) -> Double? {
        var mantissa: UInt64 = 0, significant = 0
        // The integer digits, then the fraction's (two loops: an array of the two ranges would
        // be allocated for every number).
        for offset in integer {
            let digit = UInt64(bytes[offset] &- 0x30)
            if significant == 0 && digit == 0 { continue }  // leading zeros
            significant += 1
            guard significant <= 19 else { return nil }
            mantissa = mantissa &* 10 &+ digit
        }
        for offset in fraction {
            let digit = UInt64(bytes[offset] &- 0x30)
            if significant == 0 && digit == 0 { continue }
            significant += 1
            guard significant <= 19 else { return nil }
            mantissa = mantissa &* 10 &+ digit
        }
        return DecimalToDouble.convert(mantissa: mantissa, exponent10: exponent - fraction.count, negative: negative)
    }

    /// The digits as an Int, nil when it does not fit (then the number reads as a Double).
    /// Accumulated as a negative number, so that Int.min fits too.
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>, negative: Bool) -> Int? {
        var value = 0
        for byte in digits {
            let (scaled, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAgain) = scaled.subtractingReportingOverflow(Int(byte - 0x30))
            guard !overflow, !overflowAgain else { return nil }
            value = next
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }

    /// Swift's conversion, which is the C library's correctly rounded strtod in the C locale
    /// (so '.' is the decimal point whatever the user's locale): for what `DecimalToDouble`
    /// leaves undecided. The token is valid JSON, so it always converts; a value beyond the
    /// largest Double reads as infinity.
    private static func double(_ token: UnsafeBufferPointer<UInt8>) -> Double {
        Double(String(decoding: token, as: UTF8.self)) ?? .nan
    }

    /// A string token, the reader at its opening quote.
    private mutating func string() throws(JSONSyntaxError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("a string in double quotes") }
        index += 1
        var scalars = String.UnicodeScalarView()
        var start = index  // the unescaped run being read
        var escaped = false
        func flush(_ end: Int) {
            scalars.append(
                contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    .unicodeScalars)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                if !escaped {
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                flush(index)
                return String(scalars)
            }
            guard byte == UInt8(ascii: "\\") else {
                guard byte >= 0x20 else { throw error("no control character inside a string (write \\n, \\t, ...)") }
                index += 1
                continue
            }
            escaped = true
            flush(index)
            guard index + 1 < bytes.count else { throw error("an escape after '\\'") }
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
                var code = try hex4()
                // A surrogate pair: \uD83D\uDE00.
                if (0xD800..<0xDC00).contains(code), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("a low surrogate (\\uDC00-\\uDFFF)") }
                    code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("a Unicode scalar, not a lone surrogate") }
                scalars.append(scalar)
            default:
                index -= 1
                throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\'")
            }
            start = index
        }
        throw error("the closing '\"' of a string")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("four hex digits after \\u") }
        var code: UInt32 = 0
        for offset in index..<index + 4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw error("four hex digits after \\u")
            }
            code = code << 4 | UInt32(digit)
        }
        index += 4
        return code
    }
}
