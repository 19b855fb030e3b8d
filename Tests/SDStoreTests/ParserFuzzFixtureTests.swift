import SDStore
import SDTestSupport
import Testing

/// The --where and time parsers on the fuzzers' kept corpora: a result or one clear error.
@Suite struct ParserFuzzFixtureTests {
    @Test func theWhereCorpusParsesOrIsRefused() throws {
        let fixtures = try fuzzFixtures("where")
        #expect(fixtures.count >= 10)
        for (name, text) in fixtures {
            do {
                _ = try WhereClause.parse(text)
            } catch {
                #expect(!error.description.contains("\n") && error.description.count < 400, "\(name)")
            }
        }
    }

    @Test func theTimeCorpusReadsBackOrIsRefused() throws {
        let fixtures = try fuzzFixtures("time")
        #expect(fixtures.count >= 10)
        let now = Timestamp(millisecondsSince1970: 1_795_000_000_000)
        for (name, text) in fixtures {
            for time in [Timestamp(iso8601: text), Timestamp(dateOrAge: text, now: now)].compactMap({ $0 }) {
                #expect(Timestamp(iso8601: time.iso8601) == time, "\(name)")
            }
        }
    }
}
