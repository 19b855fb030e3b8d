/// What kind of value a field holds.
public enum FieldKind: Sendable {
    case text, integer, real, bool
    /// ISO 8601 UTC text (`Timestamp.iso8601`).
    case timestamp
}

/// A field's value, independent of where it is written: SQL binds it, JSON writes it.
public enum FieldValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case real(Double)
    case bool(Bool)

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Integers convert: SQLite may store a whole REAL as INTEGER, JSON writes it without a fraction.
    public var real: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}

/// One field of the runs table as a `RunRecord` holds it: its column name (which is also its
/// key in every document), its kind, and how to read and set it. `RunField.all` declares the
/// row once; the store's SQL and the documents are made from it, so a field added here is
/// stored, exported and imported alike. The configuration (`config_json`) and the tags are
/// kept apart: documents write them as objects.
public struct RunField: Sendable {
    public let name: String
    public let kind: FieldKind
    /// Whether every run has a value (a document without it is refused).
    public let isRequired: Bool
    /// Part of the run's provenance: when and where it ran, and by which sdtrack.
    public let isProvenance: Bool
    private let read: @Sendable (RunRecord) -> FieldValue?
    /// False when the value does not fit (another kind, an unknown status, a bad time).
    private let write: @Sendable (inout RunRecord, FieldValue?) -> Bool

    public func value(of run: RunRecord) -> FieldValue? { read(run) }

    /// Sets the field; false when `value` does not fit it (the record is then unchanged).
    public func set(_ value: FieldValue?, on run: inout RunRecord) -> Bool {
        if value == nil && isRequired { return false }
        return write(&run, value)
    }

    /// The row in document order.
    public static let all: [RunField] = [
        text("run_id", \.id), text("experiment", \.experiment),
        RunField(name: "status", kind: .text, isRequired: true, isProvenance: false, read: { .text($0.status.rawValue) },
                 write: { run, value in
                     guard let status = value?.text.flatMap(RunStatus.init(rawValue:)) else { return false }
                     run.status = status
                     return true
                 }),
        RunField(name: "source", kind: .text, isRequired: true, isProvenance: false, read: { .text($0.source.rawValue) },
                 write: { run, value in
                     guard let source = value?.text.flatMap(RunSource.init(rawValue:)) else { return false }
                     run.source = source
                     return true
                 }),
        RunField(name: "created_at", kind: .timestamp, isRequired: true, isProvenance: true,
                 read: { .text($0.createdAt.iso8601) },
                 write: { run, value in
                     guard let time = value?.text.flatMap(Timestamp.init(iso8601:)) else { return false }
                     run.createdAt = time
                     return true
                 }),
        time("started_at", \.startedAt), time("ended_at", \.endedAt), time("heartbeat_at", \.heartbeatAt),
        text("host", \.host, provenance: true), integer("pid", \.pid, provenance: true),
        text("sdtrack_version", \.sdtrackVersion, provenance: true), text("error", \.error),
    ] + ConfigColumn.allCases.map(config) + [
        RunField(name: "round_count", kind: .integer, isRequired: true, isProvenance: false,
                 read: { .integer($0.roundCount) },
                 write: { run, value in
                     guard let count = value?.integer else { return false }
                     run.roundCount = count
                     return true
                 }),
        real("r0", \.summary.r0), real("kappa", \.summary.kappa), integer("collapse_round", \.summary.collapseRound),
        integer("bound_lower", \.summary.boundLower), integer("bound_upper", \.summary.boundUpper),
        bool("bounds_held", \.summary.boundsHeld), bool("checks_held", \.summary.checksHeld),
        real("zero_train_mse", \.zeroPredictor.trainMSE), real("zero_test_mse", \.zeroPredictor.testMSE),
        real("zero_truth_mse", \.zeroPredictor.truthMSE), text("note", \.note),
    ]

    public static let byName: [String: RunField] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    // Builders for the declarations above.

    private static func text(_ name: String, _ path: WritableKeyPath<RunRecord, String> & Sendable,
                             provenance: Bool = false) -> RunField {
        RunField(name: name, kind: .text, isRequired: true, isProvenance: provenance, read: { .text($0[keyPath: path]) },
                 write: { run, value in
                     guard let text = value?.text else { return false }
                     run[keyPath: path] = text
                     return true
                 })
    }

    private static func text(_ name: String, _ path: WritableKeyPath<RunRecord, String?> & Sendable) -> RunField {
        optional(name, .text, path, FieldValue.text, \.text)
    }

    private static func integer(_ name: String, _ path: WritableKeyPath<RunRecord, Int?> & Sendable,
                                provenance: Bool = false) -> RunField {
        optional(name, .integer, path, FieldValue.integer, \.integer, provenance: provenance)
    }

    private static func real(_ name: String, _ path: WritableKeyPath<RunRecord, Double?> & Sendable) -> RunField {
        optional(name, .real, path, FieldValue.real, \.real)
    }

    private static func bool(_ name: String, _ path: WritableKeyPath<RunRecord, Bool?> & Sendable) -> RunField {
        optional(name, .bool, path, FieldValue.bool, \.bool)
    }

    private static func time(_ name: String, _ path: WritableKeyPath<RunRecord, Timestamp?> & Sendable) -> RunField {
        RunField(name: name, kind: .timestamp, isRequired: false, isProvenance: true,
                 read: { $0[keyPath: path].map { .text($0.iso8601) } },
                 write: { run, value in
                     guard let value else {
                         run[keyPath: path] = nil
                         return true
                     }
                     guard let time = value.text.flatMap(Timestamp.init(iso8601:)) else { return false }
                     run[keyPath: path] = time
                     return true
                 })
    }

    private static func config(_ column: ConfigColumn) -> RunField {
        RunField(name: column.name, kind: column.kind, isRequired: false, isProvenance: false,
                 read: { $0.config[column] },
                 write: { run, value in
                     guard let value else {
                         run.config[column] = nil
                         return true
                     }
                     let fitting: FieldValue? = switch column.kind {
                     case .integer: value.integer.map(FieldValue.integer)
                     case .real: value.real.map(FieldValue.real)
                     default: value.text.map(FieldValue.text)
                     }
                     guard let fitting else { return false }
                     run.config[column] = fitting
                     return true
                 })
    }

    private static func optional<Value: Sendable>(
        _ name: String, _ kind: FieldKind, _ path: WritableKeyPath<RunRecord, Value?> & Sendable,
        _ wrap: @escaping @Sendable (Value) -> FieldValue, _ unwrap: KeyPath<FieldValue, Value?> & Sendable,
        provenance: Bool = false
    ) -> RunField {
        RunField(name: name, kind: kind, isRequired: false, isProvenance: provenance,
                 read: { $0[keyPath: path].map(wrap) },
                 write: { run, value in
                     guard let value else {
                         run[keyPath: path] = nil
                         return true
                     }
                     guard let unwrapped = value[keyPath: unwrap] else { return false }
                     run[keyPath: path] = unwrapped
                     return true
                 })
    }
}
