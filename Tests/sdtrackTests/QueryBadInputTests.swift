import Foundation
import SDStore
import SDTestSupport
import Testing

/// Bad queries: one clear `Error:` line, a non-zero exit, and the database as it was. The
/// --where text is parsed and its values bound as parameters, so injection attempts are
/// syntax errors, never SQL.
@Suite struct QueryBadInputTests {
    struct BadQuery: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        var status: Int32 = 1
        let message: String
        var testDescription: String { label }
    }

    static let cases: [BadQuery] = [
        BadQuery(
            label: "unknown metric", arguments: ["query", "best-rounds", "--metric", "accuracy"],
            message: "unknown metric 'accuracy'; recorded metrics are"),
        BadQuery(
            label: "unknown metric in curve", arguments: ["query", "curve", "--metric", "loss"],
            message: "unknown metric 'loss'"),
        BadQuery(
            label: "unknown where key", arguments: ["query", "best-rounds", "--where", "lr = 0.1"],
            message: "unknown configuration key 'lr'"),
        BadQuery(
            label: "unknown group-by key", arguments: ["query", "best-rounds", "--group-by", "eps,optimizer"],
            message: "unknown configuration key 'optimizer'"),
        BadQuery(
            label: "malformed group-by", arguments: ["query", "best-rounds", "--group-by", "eps,,kernel"], status: 64,
            message: "--group-by '' is not a configuration key"),
        BadQuery(
            label: "injection after a value",
            arguments: ["query", "best-rounds", "--where", "eps < 0.01; DROP TABLE runs"], status: 64,
            message: "--where: malformed conditions: unexpected ';'"),
        BadQuery(
            label: "injection as the whole clause",
            arguments: ["query", "best-rounds", "--where", "1; DROP TABLE runs"], status: 64,
            message: "--where: malformed conditions"),
        BadQuery(
            label: "injection in a string",
            arguments: ["query", "best-rounds", "--where", "kernel = 'rbf' OR '1' = '1'"], status: 64,
            message: "expected 'and' or the end, found 'OR'"),
        BadQuery(
            label: "quote breaking out",
            arguments: ["query", "best-rounds", "--where", "kernel = 'x'); DELETE FROM runs; --"], status: 64,
            message: "--where: malformed conditions"),
        BadQuery(
            label: "unclosed string", arguments: ["query", "best-rounds", "--where", "kernel = 'rbf"], status: 64,
            message: "is not closed"),
        BadQuery(
            label: "missing value", arguments: ["query", "best-rounds", "--where", "eps <"], status: 64,
            message: "expected a number or a quoted string after eps <"),
        BadQuery(
            label: "missing comparison", arguments: ["query", "best-rounds", "--where", "eps"], status: 64,
            message: "expected a comparison"),
        BadQuery(
            label: "bad operator", arguments: ["query", "best-rounds", "--where", "eps => 1"], status: 64,
            message: "'=>' is not a comparison"),
        BadQuery(
            label: "empty where", arguments: ["query", "best-rounds", "--where", " "], status: 64,
            message: "--where: the conditions are empty"),
        BadQuery(
            label: "dangling and", arguments: ["query", "best-rounds", "--where", "eps < 1 and"], status: 64,
            message: "expected a configuration key"),
        BadQuery(
            label: "empty selection", arguments: ["query", "best-rounds", "--experiment", "nothing"],
            message: "no finished runs match"),
        BadQuery(
            label: "empty selection by where", arguments: ["query", "curve", "--where", "eps > 100"],
            message: "no finished runs match"),
        BadQuery(
            label: "two formats", arguments: ["query", "best-rounds", "--json", "--csv"], status: 64,
            message: "--json and --csv both choose"),
        BadQuery(
            label: "compare one run", arguments: ["compare", "aaaa"], status: 64, message: "give at least two run IDs"),
        BadQuery(label: "compare unknown run", arguments: ["compare", "aaaa", "ffff"], message: "no run"),
        BadQuery(
            label: "no database", arguments: ["query", "best-rounds", "--db", "missing.db"],
            message: "no database at missing.db"),
    ]

    @Test(arguments: cases)
    func badQueryChangesNothing(query: BadQuery) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for eps in ["0.01", "0.05"] {
            #expect(try sdtrack(["run", "--gamma", "80", "--eps", eps], in: folder).status == 0)
        }
        let database = folder.appendingPathComponent("sdtrack.db")
        let before = try Data(contentsOf: database)
        let result = try sdtrack(query.arguments, in: folder)
        #expect(result.status == query.status, "exit \(result.status): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.hasPrefix("Error: ") && firstLine.contains(query.message), "\(result.stderr)")
        #expect(query.status == 64 || result.stderr.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: database) == before, "the database changed")
        let store = try RunStore(path: database.path, create: false)
        #expect(try store.runs().count == 2 && store.integrityCheck() == ["ok"])
    }
}
