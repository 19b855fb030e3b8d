import Foundation
import SDJSON
import Testing

/// JSONValue.parse against Foundation's JSONSerialization, an independent reader: the same
/// documents, the same values.
@Suite struct JSONReaderTests {
    static let documents = [
        #"{"K":100,"dataset":"sine","eps":0.001,"kernel":{"gamma":10.0,"name":"rbf"},"noise":null,"standardize":true}"#,
        #"[0.1,"rbf",-3,1e-05,2.5E+3,false,null,[],{}]"#,
        #" { "a" : [ 1 , { "b" : "c" } ] , "d" : "" } "#,
        #"{"escapes":"quote \" backslash \\ slash \/ \b\f\n\r\t","unicode":"\u00e9t\u00e9 \ud83d\ude00 ✓"}"#,
        #""just a string""#, "-0.5", "12345678901234",
    ]

    @Test(arguments: documents) func readsWhatJSONSerializationReads(text: String) throws {
        let parsed = try #require(JSONValue.parse(text))
        let reference = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(Self.same(parsed, reference), "\(text)")
    }

    @Test func refusesWhatIsNotJSON() {
        let bad = [
            "", "{", "[1,]", #"{"a" 1}"#, #"{"a":1}x"#, "tru", #""open"#, #""\x""#, #""\ud800\u0041""#, "+", "0x10",
            "01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity", "\"tab\there\"", "[1 2]", "{\"a\":1,}",
        ]
        for text in bad {
            #expect(JSONValue.parse(text) == nil, "\(text)")
        }
    }

    /// An error names the line and column where the text stops being JSON.
    @Test func errorsSayWhere() {
        #expect(throws: JSONSyntaxError(line: 2, column: 9, expected: "',' or '}'")) {
            try JSONValue.parse(document: "{\"a\": 1,\n \"b\": 2 \"c\": 3}")
        }
        #expect(throws: JSONSyntaxError(line: 1, column: 2, expected: "no leading zero in a number")) {
            try JSONValue.parse(document: "01")
        }
    }

    @Test func wholeNumbersWithoutAFractionAreIntegers() throws {
        let values = try #require(
            JSONValue.parse("[3,3.0,-7,1e2,9223372036854775807,-9223372036854775808,9223372036854775808]"))
        guard case .array(let elements) = values else {
            Issue.record("not an array")
            return
        }
        #expect(elements[0] == .int(3) && elements[1] == .number(3.0) && elements[3] == .number(100))
        if case .int(let integer) = elements[2] { #expect(integer == -7) } else { Issue.record("\(elements[2])") }
        if case .int(let integer) = elements[4] { #expect(integer == Int.max) } else { Issue.record("\(elements[4])") }
        if case .int(let integer) = elements[5] { #expect(integer == Int.min) } else { Issue.record("\(elements[5])") }
        if case .number(let number) = elements[6] {
            #expect(number == 9223372036854775808.0)
        } else {
            Issue.record("\(elements[6])")
        }
        #expect(elements.map(\.intValue) == [3, 3, -7, 100, Int.max, Int.min, nil])
    }

    /// What sdtrack writes, JSONSerialization reads back as the same strings: escapes for the
    /// quote, the backslash and control characters; other characters as they are.
    @Test func writtenStringsReadBack() throws {
        let strings = ["plain", "quote \" backslash \\ slash /", "lines\n\r\ttab \u{01}\u{1F}", "été 😀 ✓", ""]
        let text = JSONValue.array(strings.map(JSONValue.string)).serialized()
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] == strings)
        #expect(text.contains(#"\u0001"#) && text.contains("été 😀 ✓"))
    }

    static func same(_ value: JSONValue, _ reference: Any) -> Bool {
        switch value {
        case .null: return reference is NSNull
        case .bool(let bool): return (reference as? Bool) == bool
        case .int(let integer): return (reference as? NSNumber)?.doubleValue == Double(integer)
        case .number(let number): return (reference as? NSNumber)?.doubleValue == number
        case .string(let string): return (reference as? String) == string
        case .array(let values):
            guard let array = reference as? [Any], array.count == values.count else { return false }
            return zip(values, array).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let object = reference as? [String: Any], object.count == members.count else { return false }
            return members.allSatisfy { key, member in object[key].map { same(member, $0) } ?? false }
        case .raw: return false
        }
    }
}

/// Limits that keep hostile input from crashing the reader.
@Suite struct JSONReaderLimitTests {
    /// 128 levels of nesting read; one more is an error, not a stack overflow (100,000 tried).
    @Test func nestingIsLimited() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(JSONValue.parse(ok) != nil)
        for depth in [129, 100_000] {
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            #expect(throws: JSONSyntaxError(line: 1, column: 129, expected: "at most 128 nested arrays and objects")) {
                try JSONValue.parse(document: text)
            }
        }
    }

    /// A number beyond a Double's range reads as infinity, which a value can be asked about.
    @Test func outOfRangeNumbersAreFound() throws {
        let value = try #require(JSONValue.parse(#"{"a": [1, {"b": 1e400}]}"#))
        #expect(value.containsNonFiniteNumber && !JSONValue.parse(#"{"a": [1e300]}"#)!.containsNonFiniteNumber)
        #expect(JSONValue.number(.infinity).messageText == "inf" && JSONNumber.display(80) == "80")
    }
}
