import SDImport
import SDJSON
import SDStore

/// What `sdtrack import` prints: a line per run for a few runs, a count for many; or JSON
/// ("sdtrack.import/1": the IDs imported and the IDs unchanged).
public struct ImportReport: Sendable {
    public static let jsonFormat = "sdtrack.import/1"
    /// Above this many runs the text gives counts, not a line per run (an export of thousands).
    public static let linesShownUpTo = 20

    public let result: Importer.Result
    /// The database the runs went to.
    public let path: String

    public init(_ result: Importer.Result, path: String) {
        self.result = result
        self.path = path
    }

    func ids(_ outcome: ImportOutcome) -> [JSONValue] {
        zip(result.runs, result.outcomes).filter { $0.1 == outcome }.map { .string($0.0.run.id) }
    }

    public func json() -> JSONValue {
        .object([
            ("format", .string(Self.jsonFormat)), ("imported", .array(ids(.inserted))),
            ("unchanged", .array(ids(.unchanged))),
        ])
    }

    public func text() -> String {
        guard result.runs.count <= Self.linesShownUpTo else {
            return "\(result.inserted) imported, \(result.unchanged) unchanged, into \(path)"
        }
        return zip(result.runs, result.outcomes).map { run, outcome in
            let rounds = "\(run.rounds.count) round\(run.rounds.count == 1 ? "" : "s")"
            return outcome == .inserted
                ? "imported run \(run.run.id) (\(rounds), experiment \(run.run.experiment)) into \(path)"
                : "unchanged run \(run.run.id): already in \(path) with the same content"
        }.joined(separator: "\n")
    }
}
