import SDJSON
import SDTestSupport
import Testing

/// The JSON reader on the fuzzer's kept corpus: no crash; what reads writes back to the same value.
@Suite struct JSONFuzzFixtureTests {
    @Test func theKeptCorpusReadsOrIsRefused() throws {
        let fixtures = try fuzzFixtures("json")
        #expect(fixtures.count >= 10)
        for (name, text) in fixtures {
            guard let value = JSONValue.parse(text) else { continue }
            #expect(JSONValue.parse(value.serialized()) == value, "\(name)")
        }
    }
}
