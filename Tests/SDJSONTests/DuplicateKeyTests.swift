import SDJSON
import Testing

/// A key given twice in one object is refused, with where: which value was meant is unknown.
@Suite struct DuplicateKeyTests {
    @Test func aKeyGivenTwiceIsASyntaxError() {
        for text in [#"{"t": 0, "t": 1}"#, #"{"a": {"x": 1, "x": 1}}"#] {
            #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(document: text) }
        }
        // Past 16 keys the check keeps a set: a repeat late in a large object is found too.
        let keys = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(document: "{\(keys), \"k3\": 0}") }
        #expect(throws: Never.self) { try JSONValue.parse(document: "{\(keys)}") }
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(document: #"{"t": 0, "t": 1}"#) }
        #expect(error?.expected == #"each key once in an object, but "t" is given twice"#)
        #expect(error?.column == 13)  // after the key: where the reader found it repeated
    }
}
