import SDJSON
import SDStore

/// Recorded runs as JSON: one layout for `runs list`, `runs show`, `runs export` and what
/// `import` (and a sync) reads back. Keys are the database's column names (`RunField`,
/// `RoundMetric`), numbers are in shortest round-trip form, so a record read back is the
/// stored run exactly: the same fields, rounds and spectra, bit for bit.
///
///     sdtrack.runs/1    {"format", "runs": [summary...]}            runs list --json
///     sdtrack.record/1  {"format", summary..., "config", "rounds", "spectrum"}   runs show --json
///     sdtrack.export/1  {"format", "runs": [record without "format"...]}          runs export
///
/// A summary is every field of the run's row (`RunField.all`, in that order) and "tags" (an
/// object). A record adds "config" (the configuration object), "rounds" (each `t`, every
/// `RoundMetric`, then extra metrics by name) and "spectrum" (`length`, `eigenvalues` d,
/// `z0`, `zero_tolerance`; null without one).
public enum RunDocument {
    public static let listFormat = "sdtrack.runs/1"
    public static let recordFormat = "sdtrack.record/1"
    public static let exportFormat = "sdtrack.export/1"

    /// Every field of the run's row, then its tags: what `runs list --json` gives for each run.
    public static func summary(_ run: RunRecord) -> [(String, JSONValue)] {
        RunField.all.map { field in (field.name, json(field.value(of: run))) }
            + [("tags", .object(run.tags.map { ($0.key, .string($0.value)) }))]
    }

    /// The whole run: its row, configuration, rounds and spectra.
    public static func fields(of complete: CompleteRun) -> [(String, JSONValue)] {
        summary(complete.run) + [
            ("config", .raw(complete.run.configJSON)),
            ("rounds", .array(complete.rounds.map(round))),
            ("spectrum", complete.spectrum.map(spectrum) ?? .null),
        ]
    }

    /// t, docs/math.md's quantities (null where missing), then other metrics by name.
    public static func round(_ round: RoundRecord) -> JSONValue {
        .object(
            [("t", .int(round.t))]
                + RoundMetric.allCases.map { ($0.name, .optional(round[$0])) }
                + round.extra.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) })
    }

    public static func spectrum(_ spectrum: SpectrumRecord) -> JSONValue {
        .object([
            ("length", .int(spectrum.d.count)), ("eigenvalues", .numbers(spectrum.d)),
            ("z0", .numbers(spectrum.z0)), ("zero_tolerance", .number(spectrum.zeroTolerance)),
        ])
    }

    /// `runs list --json`.
    public static func list(_ runs: [RunRecord]) -> JSONValue {
        .object([("format", .string(listFormat)), ("runs", .array(runs.map { .object(summary($0)) }))])
    }

    /// `runs show --json`.
    public static func show(_ run: CompleteRun) -> JSONValue {
        .object([("format", .string(recordFormat))] + fields(of: run))
    }

    /// `runs export`: what `import` reads back.
    public static func export(_ runs: [CompleteRun]) -> JSONValue {
        .object([("format", .string(exportFormat)), ("runs", .array(runs.map { .object(fields(of: $0)) }))])
    }

    static func json(_ value: FieldValue?) -> JSONValue {
        switch value {
        case nil: .null
        case .text(let text)?: .string(text)
        case .integer(let integer)?: .int(integer)
        case .real(let real)?: .number(real)
        case .bool(let bool)?: .bool(bool)
        }
    }
}
