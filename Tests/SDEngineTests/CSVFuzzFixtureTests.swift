import SDEngine
import SDTestSupport
import Testing

/// The CSV reader on the fuzzer's kept corpus: a table of finite cells, or one clear error.
@Suite struct CSVFuzzFixtureTests {
    @Test func theKeptCorpusReadsOrIsRefused() throws {
        let fixtures = try fuzzFixtures("csv")
        #expect(fixtures.count >= 10)
        for (name, text) in fixtures {
            do {
                let table = try CSVTable(text: text, source: name)
                let finite = table.cells.allSatisfy { $0.isFinite }
                #expect(finite, "\(name)")
            } catch {
                #expect(!error.message.contains("\n") && error.message.count < 400, "\(name): \(error.message)")
            }
        }
    }
}
