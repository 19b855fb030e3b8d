import SDDocuments
import SDImport
import SDTestSupport
import Testing

/// The import readers and the document reader on the fuzzers' kept corpora: runs, or one
/// clear error.
@Suite struct ImportFuzzFixtureTests {
    @Test(arguments: ["import", "documents"])
    func theKeptCorpusReadsOrIsRefused(target: String) throws {
        let fixtures = try fuzzFixtures(target)
        #expect(fixtures.count >= 10)
        for (name, text) in fixtures {
            for format in ImportFormat.allCases {
                do {
                    let runs = try ImportReader.read(text, format: format, source: name, options: ImportOptions())
                    for run in runs { _ = RunDocument.show(run).serialized() }
                } catch {
                    #expect(!error.description.contains("\n"), "\(name) as \(format): \(error.description)")
                }
            }
        }
    }
}

/// Import lines are bounded as data lines are: at most 1 MiB each.
@Suite struct ImportLineLimitTests {
    @Test(arguments: [ImportFormat.jsonl, .csv])
    func aLineLongerThanTheLimitIsRefused(format: ImportFormat) {
        let long = String(repeating: "1", count: 1 << 20)
        let text = format == .jsonl ? #"{"t": 0, "loss": \#(long)}"# : "t,loss\n0,\(long)\n"
        do {
            _ = try ImportReader.read(text, format: format, source: "big", options: ImportOptions())
            Issue.record("read a line of over 1 MiB")
        } catch {
            #expect(error.description.contains("is longer than 1048576 bytes"), "\(error.description)")
        }
    }
}
