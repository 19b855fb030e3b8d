import Foundation
import SDTestSupport
import Testing

/// schema/example.py, the documented way to read a database from Python, on a database the
/// built binary wrote; and schema/README.md's copy of it. Needs python3 with numpy (CI
/// installs it): a missing one fails the test, so the example cannot rot unnoticed.
@Suite struct PythonExampleTests {
    static let example = repository.appendingPathComponent("schema/example.py")
    static let readme = repository.appendingPathComponent("schema/README.md")

    @Test func exampleRebuildsRecordedRoundsFromSpectra() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let toy = try sdtrack(["run", "--data", "toy", "--gamma", "80", "--eps", "0.01", "--json"], in: folder)
        #expect(toy.status == 0, "\(toy.stderr)")
        // matern52: rbf's default bandwidth leaves too many numerically zero eigenvalues on
        // 45 sine points for eps-rel 0.05.
        let sine = try sdtrack(
            [
                "run", "--data", "sine", "--n", "60", "--test-fraction", "0.25", "--eps-rel", "0.05",
                "--kernel", "matern52", "--json",
            ], in: folder)
        #expect(sine.status == 0, "\(sine.stderr)")
        let ids = try [toy, sine].map { result in
            try #require(try result.jsonObject()["run_id"] as? String, "no run_id in \(result.stdout)")
        }
        let database = folder.appendingPathComponent("sdtrack.db").path
        #expect(FileManager.default.fileExists(atPath: database))

        try requirePython(modules: ["sqlite3", "numpy"])
        let result = try python([Self.example.path, database])
        #expect(result.status == 0, "example.py failed:\n\(result.stderr)\(result.stdout)")
        for id in ids {
            let prefix = String(id.prefix(8))
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("run \(prefix):") }
            #expect(
                line?.hasSuffix("rebuilt from spectra match; its curves match its rounds") == true,
                "no matching line for run \(prefix) in:\n\(result.stdout)")
        }
    }

    @Test func readmeHoldsTheExampleVerbatim() throws {
        let script = try String(contentsOf: Self.example, encoding: .utf8)
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let blocks = readme.components(separatedBy: "```python\n").dropFirst().map { block in
            block.components(separatedBy: "\n```").first ?? ""
        }
        let copy = try #require(
            blocks.first { $0.hasPrefix("#!/usr/bin/env python3") },
            "schema/README.md has no ```python block starting with example.py's first line")
        let expected = script.hasSuffix("\n") ? String(script.dropLast()) : script
        let differing = zip(
            copy.split(separator: "\n", omittingEmptySubsequences: false),
            expected.split(separator: "\n", omittingEmptySubsequences: false)
        )
        .enumerated().first { $0.element.0 != $0.element.1 }
        // Compared as bytes, and as one Bool so that a failure prints the message, not both texts.
        let identical = Array(copy.utf8) == Array(expected.utf8)
        let where_ = differing.map { " first at line \($0.offset + 1): \($0.element.0)" } ?? " in length"
        #expect(identical, "schema/README.md's copy of example.py differs\(where_); paste the file into it again")
    }
}
