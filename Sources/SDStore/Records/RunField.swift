import SDJSON

/// What kind of value a field holds.
public enum FieldKind: Sendable {
    case text, integer, real, bool
    /// ISO 8601 UTC text (`Timestamp.iso8601`).
    case timestamp
}

extension FieldKind {
    /// A JSON value as a field of this kind, as documents and import files give it: nil when it
    /// is null or not of the kind (an integer is a real too; a real must be finite).
    public func value(of json: JSONValue) -> FieldValue? {
        switch self {
        case .text, .timestamp: json.stringValue.map(FieldValue.text)
        case .integer: json.intValue.map(FieldValue.integer)
        case .real: json.doubleValue.flatMap { $0.isFinite ? FieldValue.real($0) : nil }
        case .bool: json.boolValue.map(FieldValue.bool)
        }
    }

    /// What a value of this kind is, for messages: "K must be \(expected), got ...".
    public var expected: String {
        switch self {
        case .text: "a string"
        case .timestamp: "a UTC time such as 2026-11-29T08:00:00.000Z"
        case .integer: "a whole number"
        case .real: "a finite number"
        case .bool: "true or false"
        }
    }
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
/// kept apart: documents write them as objects. (A switch rather than closures or key paths:
/// a list of 10,000 runs reads 400,000 fields.)
public enum RunField: Hashable, Sendable {
    case runID, experiment, status, source, createdAt, startedAt, endedAt, heartbeatAt, host, pid, sdtrackVersion, error
    case config(ConfigColumn)
    case roundCount, r0, kappa, collapseRound, boundLower, boundUpper, boundsHeld, checksHeld
    case zeroTrainMSE, zeroTestMSE, zeroTruthMSE, note, labelsEditedAt, warning
    case solver, solverRank, solverErrorBound, cSensitivity, blasCore, blasThreads

    /// The row in document order.
    public static let all: [RunField] =
        [
            .runID, .experiment, .status, .source, .createdAt, .startedAt, .endedAt, .heartbeatAt, .host, .pid,
            .sdtrackVersion, .error,
        ] + ConfigColumn.allCases.map(RunField.config) + [
            .roundCount, .r0, .kappa, .collapseRound, .boundLower, .boundUpper, .boundsHeld, .checksHeld,
            .zeroTrainMSE, .zeroTestMSE, .zeroTruthMSE, .note, .labelsEditedAt, .warning,
            .solver, .solverRank, .solverErrorBound, .cSensitivity, .blasCore, .blasThreads,
        ]

    /// What a run establishes by its end (`RunSummary`).
    public static let summaryFields: [RunField] = [
        .r0, .kappa, .collapseRound, .boundLower, .boundUpper, .boundsHeld, .checksHeld, .warning,
        .solver, .solverRank, .solverErrorBound, .cSensitivity, .blasCore, .blasThreads,
    ]

    public static let byName: [String: RunField] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public var name: String {
        switch self {
        case .runID: "run_id"
        case .experiment: "experiment"
        case .status: "status"
        case .source: "source"
        case .createdAt: "created_at"
        case .startedAt: "started_at"
        case .endedAt: "ended_at"
        case .heartbeatAt: "heartbeat_at"
        case .host: "host"
        case .pid: "pid"
        case .sdtrackVersion: "sdtrack_version"
        case .error: "error"
        case .config(let column): column.name
        case .roundCount: "round_count"
        case .r0: "r0"
        case .kappa: "kappa"
        case .collapseRound: "collapse_round"
        case .boundLower: "bound_lower"
        case .boundUpper: "bound_upper"
        case .boundsHeld: "bounds_held"
        case .checksHeld: "checks_held"
        case .zeroTrainMSE: "zero_train_mse"
        case .zeroTestMSE: "zero_test_mse"
        case .zeroTruthMSE: "zero_truth_mse"
        case .note: "note"
        case .labelsEditedAt: "labels_edited_at"
        case .warning: "warning"
        case .solver: "solver"
        case .solverRank: "solver_rank"
        case .solverErrorBound: "solver_error_bound"
        case .cSensitivity: "c_sensitivity"
        case .blasCore: "blas_core"
        case .blasThreads: "blas_threads"
        }
    }

    public var kind: FieldKind {
        switch self {
        case .runID, .experiment, .status, .source, .host, .sdtrackVersion, .error, .note, .warning, .solver,
            .blasCore:
            .text
        case .createdAt, .startedAt, .endedAt, .heartbeatAt, .labelsEditedAt: .timestamp
        case .pid, .roundCount, .collapseRound, .boundLower, .boundUpper, .solverRank, .blasThreads: .integer
        case .r0, .kappa, .zeroTrainMSE, .zeroTestMSE, .zeroTruthMSE, .solverErrorBound, .cSensitivity: .real
        case .boundsHeld, .checksHeld: .bool
        case .config(let column): column.kind
        }
    }

    /// Whether every run has a value (a document without it is refused).
    public var isRequired: Bool {
        switch self {
        case .runID, .experiment, .status, .source, .createdAt, .host, .sdtrackVersion, .roundCount: true
        default: false
        }
    }

    /// Part of the run's provenance: when and where it ran, and by which sdtrack.
    public var isProvenance: Bool {
        switch self {
        case .createdAt, .startedAt, .endedAt, .heartbeatAt, .host, .pid, .sdtrackVersion: true
        default: false
        }
    }

    public func value(of run: RunRecord) -> FieldValue? {
        switch self {
        case .runID: .text(run.id)
        case .experiment: .text(run.experiment)
        case .status: .text(run.status.rawValue)
        case .source: .text(run.source.rawValue)
        case .createdAt: .text(run.createdAt.iso8601)
        case .startedAt: run.startedAt.map { .text($0.iso8601) }
        case .endedAt: run.endedAt.map { .text($0.iso8601) }
        case .heartbeatAt: run.heartbeatAt.map { .text($0.iso8601) }
        case .host: .text(run.host)
        case .pid: run.pid.map(FieldValue.integer)
        case .sdtrackVersion: .text(run.sdtrackVersion)
        case .error: run.error.map(FieldValue.text)
        case .config(let column): run.config[column]
        case .roundCount: .integer(run.roundCount)
        case .r0: run.summary.r0.map(FieldValue.real)
        case .kappa: run.summary.kappa.map(FieldValue.real)
        case .collapseRound: run.summary.collapseRound.map(FieldValue.integer)
        case .boundLower: run.summary.boundLower.map(FieldValue.integer)
        case .boundUpper: run.summary.boundUpper.map(FieldValue.integer)
        case .boundsHeld: run.summary.boundsHeld.map(FieldValue.bool)
        case .checksHeld: run.summary.checksHeld.map(FieldValue.bool)
        case .zeroTrainMSE: run.zeroPredictor.trainMSE.map(FieldValue.real)
        case .zeroTestMSE: run.zeroPredictor.testMSE.map(FieldValue.real)
        case .zeroTruthMSE: run.zeroPredictor.truthMSE.map(FieldValue.real)
        case .note: run.note.map(FieldValue.text)
        case .labelsEditedAt: run.labelsEditedAt.map { .text($0.iso8601) }
        case .warning: run.summary.warning.map(FieldValue.text)
        case .solver: run.summary.solver.map(FieldValue.text)
        case .solverRank: run.summary.solverRank.map(FieldValue.integer)
        case .solverErrorBound: run.summary.solverErrorBound.map(FieldValue.real)
        case .cSensitivity: run.summary.cSensitivity.map(FieldValue.real)
        case .blasCore: run.summary.blasCore.map(FieldValue.text)
        case .blasThreads: run.summary.blasThreads.map(FieldValue.integer)
        }
    }

    /// Sets the field; false when `value` does not fit it (the record is then unchanged):
    /// nil for a required field, another kind, an unknown status or source, a bad time.
    public func set(_ value: FieldValue?, on run: inout RunRecord) -> Bool {
        guard let value else {
            if isRequired { return false }
            clear(on: &run)
            return true
        }
        guard Self.fits(value, kind) else { return false }
        switch self {
        case .runID: run.id = value.text!
        case .experiment: run.experiment = value.text!
        case .status:
            guard let status = RunStatus(rawValue: value.text!) else { return false }
            run.status = status
        case .source:
            guard let source = RunSource(rawValue: value.text!) else { return false }
            run.source = source
        case .createdAt, .startedAt, .endedAt, .heartbeatAt, .labelsEditedAt:
            guard let time = Timestamp(iso8601: value.text!) else { return false }
            switch self {
            case .createdAt: run.createdAt = time
            case .startedAt: run.startedAt = time
            case .endedAt: run.endedAt = time
            case .labelsEditedAt: run.labelsEditedAt = time
            default: run.heartbeatAt = time
            }
        case .host: run.host = value.text!
        case .pid: run.pid = value.integer
        case .sdtrackVersion: run.sdtrackVersion = value.text!
        case .error: run.error = value.text
        case .config(let column): run.config[column] = column.kind == .real ? value.real.map(FieldValue.real) : value
        case .roundCount: run.roundCount = value.integer!
        case .r0: run.summary.r0 = value.real
        case .kappa: run.summary.kappa = value.real
        case .collapseRound: run.summary.collapseRound = value.integer
        case .boundLower: run.summary.boundLower = value.integer
        case .boundUpper: run.summary.boundUpper = value.integer
        case .boundsHeld: run.summary.boundsHeld = value.bool
        case .checksHeld: run.summary.checksHeld = value.bool
        case .zeroTrainMSE: run.zeroPredictor.trainMSE = value.real
        case .zeroTestMSE: run.zeroPredictor.testMSE = value.real
        case .zeroTruthMSE: run.zeroPredictor.truthMSE = value.real
        case .note: run.note = value.text
        case .warning: run.summary.warning = value.text
        case .solver: run.summary.solver = value.text
        case .solverRank: run.summary.solverRank = value.integer
        case .solverErrorBound: run.summary.solverErrorBound = value.real
        case .cSensitivity: run.summary.cSensitivity = value.real
        case .blasCore: run.summary.blasCore = value.text
        case .blasThreads: run.summary.blasThreads = value.integer
        }
        return true
    }

    /// Sets an optional field to nil.
    private func clear(on run: inout RunRecord) {
        switch self {
        case .startedAt: run.startedAt = nil
        case .endedAt: run.endedAt = nil
        case .heartbeatAt: run.heartbeatAt = nil
        case .pid: run.pid = nil
        case .error: run.error = nil
        case .config(let column): run.config[column] = nil
        case .r0: run.summary.r0 = nil
        case .kappa: run.summary.kappa = nil
        case .collapseRound: run.summary.collapseRound = nil
        case .boundLower: run.summary.boundLower = nil
        case .boundUpper: run.summary.boundUpper = nil
        case .boundsHeld: run.summary.boundsHeld = nil
        case .checksHeld: run.summary.checksHeld = nil
        case .zeroTrainMSE: run.zeroPredictor.trainMSE = nil
        case .zeroTestMSE: run.zeroPredictor.testMSE = nil
        case .zeroTruthMSE: run.zeroPredictor.truthMSE = nil
        case .note: run.note = nil
        case .labelsEditedAt: run.labelsEditedAt = nil
        case .warning: run.summary.warning = nil
        case .solver: run.summary.solver = nil
        case .solverRank: run.summary.solverRank = nil
        case .solverErrorBound: run.summary.solverErrorBound = nil
        case .cSensitivity: run.summary.cSensitivity = nil
        case .blasCore: run.summary.blasCore = nil
        case .blasThreads: run.summary.blasThreads = nil
        case .runID, .experiment, .status, .source, .createdAt, .host, .sdtrackVersion, .roundCount: break
        }
    }

    /// Whether `value` can be stored in a field of `kind` (an integer can be a real).
    static func fits(_ value: FieldValue, _ kind: FieldKind) -> Bool {
        switch (value, kind) {
        case (.text, .text), (.text, .timestamp), (.integer, .integer), (.real, .real), (.integer, .real),
            (.bool, .bool):
            true
        default: false
        }
    }
}
