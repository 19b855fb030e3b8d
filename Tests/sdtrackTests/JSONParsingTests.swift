import Foundation
import Testing
@testable import sdtrack

/// JSONValue.parse against Foundation's JSONSerialization, an independent reader: the same
/// documents, the same values.
@Suite struct JSONParsingTests {
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
        for bad in ["", "{", "[1,]", #"{"a" 1}"#, #"{"a":1}x"#, "tru", #""open"#, #""\x""#, #""\ud800\u0041""#, "+", "0x10"] {
            #expect(JSONValue.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func wholeNumbersWithoutAFractionAreIntegers() {
        guard case .array(let values)? = JSONValue.parse("[3,3.0,-7,1e2]") else { Issue.record("not an array"); return }
        #expect(values.map(GroupLabels.show) == ["3", "3", "-7", "100"])
        guard case .int(3) = values[0], case .number(3.0) = values[1] else { Issue.record("\(values)"); return }
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
