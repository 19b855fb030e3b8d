import Foundation

/// Where a run came from.
public enum RunSource: String, Sendable, CaseIterable {
    /// Computed by `sdtrack run`.
    case sdtrack
    /// Recorded from a file by `sdtrack import`.
    case `import`
}

/// A configuration column of the runs table: the parts of a run's configuration that queries
/// filter and group on. The full configuration is `RunRecord.configJSON`; these repeat what
/// every kernel run has, with the values it used (the resolved gamma, the resolved eps).
/// Declared here once: the store's SQL, the documents' keys, import and `--where` use this list.
public enum ConfigColumn: String, CaseIterable, Sendable {
    case dataset
    /// SHA-256 of the exact data used, in hex (see `DataFingerprint`).
    case dataSHA256 = "data_sha256"
    /// Training points.
    case k = "K"
    case testSize = "test_size"
    case kernel, gamma
    case lengthScale = "length_scale"
    case degree, coef0, depth
    /// eps, eps-rel or fixed-c.
    case mode
    /// The resolved eps (eps and eps-rel modes).
    case eps
    /// The fixed c (fixed-c mode).
    case c
    case seed, noise

    public var name: String { rawValue }

    public var kind: FieldKind {
        switch self {
        case .dataset, .dataSHA256, .kernel, .mode: .text
        case .k, .testSize, .degree, .depth, .seed: .integer
        case .gamma, .lengthScale, .coef0, .eps, .c, .noise: .real
        }
    }

    /// The values the column may hold beyond its kind, in words; nil when any is fine.
    public var domain: String? {
        switch self {
        case .k, .degree, .depth: "a whole number >= 1"
        case .testSize, .seed: "a whole number >= 0"
        case .gamma, .lengthScale, .eps, .c: "a number > 0"
        case .noise: "a number >= 0"
        case .dataSHA256: "64 lower-case hex digits"
        case .mode: "eps, eps-rel or fixed-c"
        case .dataset, .kernel, .coef0: nil
        }
    }

    /// Whether `value` (of the column's kind) is in its domain.
    public func allows(_ value: FieldValue) -> Bool {
        switch self {
        case .k, .degree, .depth: (value.integer ?? 0) >= 1
        case .testSize, .seed: (value.integer ?? -1) >= 0
        case .gamma, .lengthScale, .eps, .c: (value.real ?? 0) > 0
        case .noise: (value.real ?? -1) >= 0
        case .dataSHA256:
            value.text.map {
                $0.utf8.count == 64 && $0.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
            }
                ?? false
        case .mode: ["eps", "eps-rel", "fixed-c"].contains(value.text ?? "")
        case .dataset, .kernel, .coef0: true
        }
    }
}

/// A run's configuration columns.
public struct RunConfig: Sendable, Equatable {
    public var dataset: String?
    public var dataSHA256: String?
    public var k: Int?
    public var testSize: Int?
    public var kernel: String?
    public var gamma: Double?
    public var lengthScale: Double?
    public var degree: Int?
    public var coef0: Double?
    public var depth: Int?
    public var mode: String?
    public var eps: Double?
    public var c: Double?
    public var seed: Int?
    public var noise: Double?

    public init() {}

    /// A column's value; setting a value of another kind than the column's sets nil.
    public subscript(column: ConfigColumn) -> FieldValue? {
        get {
            switch column {
            case .dataset: dataset.map(FieldValue.text)
            case .dataSHA256: dataSHA256.map(FieldValue.text)
            case .k: k.map(FieldValue.integer)
            case .testSize: testSize.map(FieldValue.integer)
            case .kernel: kernel.map(FieldValue.text)
            case .gamma: gamma.map(FieldValue.real)
            case .lengthScale: lengthScale.map(FieldValue.real)
            case .degree: degree.map(FieldValue.integer)
            case .coef0: coef0.map(FieldValue.real)
            case .depth: depth.map(FieldValue.integer)
            case .mode: mode.map(FieldValue.text)
            case .eps: eps.map(FieldValue.real)
            case .c: c.map(FieldValue.real)
            case .seed: seed.map(FieldValue.integer)
            case .noise: noise.map(FieldValue.real)
            }
        }
        set {
            switch column {
            case .dataset: dataset = newValue?.text
            case .dataSHA256: dataSHA256 = newValue?.text
            case .k: k = newValue?.integer
            case .testSize: testSize = newValue?.integer
            case .kernel: kernel = newValue?.text
            case .gamma: gamma = newValue?.real
            case .lengthScale: lengthScale = newValue?.real
            case .degree: degree = newValue?.integer
            case .coef0: coef0 = newValue?.real
            case .depth: depth = newValue?.integer
            case .mode: mode = newValue?.text
            case .eps: eps = newValue?.real
            case .c: c = newValue?.real
            case .seed: seed = newValue?.integer
            case .noise: noise = newValue?.real
            }
        }
    }
}

/// What a run established by its end: docs/math.md section 4's quantities.
public struct RunSummary: Sendable, Equatable {
    public var r0: Double?
    /// kappa = d_max / d_min (infinite when d_min = 0, stored as NULL).
    public var kappa: Double?
    public var collapseRound: Int?
    public var boundLower: Int?
    public var boundUpper: Int?
    /// Whether ceil(r0 - 1) <= T <= ceil(kappa (r0 - 1)) held (nil when not judged).
    public var boundsHeld: Bool?
    /// Whether every check of docs/math.md section 4 held.
    public var checksHeld: Bool?
    /// Why the run's numbers deserve doubt (eps at the feasibility limit, or a c_t that the
    /// eigenvalues' errors move by more than 1e-6), in words.
    public var warning: String?
    /// How the spectrum was computed: "eigenvectors", "tridiagonal" or "low-rank".
    public var solver: String?
    /// How many eigenvalues the solver resolved above its noise floor (at most the rank r of a
    /// low-rank run).
    public var solverRank: Int?
    /// A bound on ||G - G~||_2 for the matrix decomposed: a low-rank run's discarded trace, else 0.
    public var solverErrorBound: Double?
    /// The largest first-order relative change of any c_t when the eigenvalues move by their
    /// error (docs/math.md 8.2); nil in fixed-c mode.
    public var cSensitivity: Double?
    /// The OpenBLAS core type whose kernels ran, and its thread count: with the build and the
    /// input, what makes a run's numbers reproducible bit for bit (README).
    public var blasCore: String?
    public var blasThreads: Int?

    public init() {}
}

/// The mean squared errors of the zero function f = 0 on the run's data: what its metrics
/// are at every round from its collapse on (docs/math.md section 7).
public struct ZeroPredictorErrors: Sendable, Equatable {
    /// (1/K) ||y_0||^2; also GCV of f = 0 (df = 0).
    public var trainMSE: Double?
    /// Mean of y^2 over the held-out set; nil without one.
    public var testMSE: Double?
    /// Mean of the noiseless function squared over its grid.
    public var truthMSE: Double?

    public init(trainMSE: Double? = nil, testMSE: Double? = nil, truthMSE: Double? = nil) {
        self.trainMSE = trainMSE
        self.testMSE = testMSE
        self.truthMSE = truthMSE
    }
}

/// One run as the database holds it.
public struct RunRecord: Sendable, Equatable {
    /// The experiment of a run given none.
    public static let defaultExperiment = "default"

    /// Whether `id` is a run ID as sdtrack writes them: a UUID in lower case, 8-4-4-4-12 hex
    /// digits. The store refuses others (the command line could not name them by prefix).
    public static func isValidID(_ id: String) -> Bool {
        UUID(uuidString: id)?.uuidString.lowercased() == id
    }

    /// A UUID in lower case; the run's identity forever (also across synced databases).
    public var id: String
    public var experiment: String
    /// The stored status; readers see `RunLiveness.status(...)` of it.
    public var status: RunStatus
    public var source: RunSource
    public var createdAt: Timestamp
    public var startedAt: Timestamp?
    public var endedAt: Timestamp?
    public var heartbeatAt: Timestamp?
    public var host: String
    public var pid: Int?
    public var sdtrackVersion: String
    /// Why a failed run failed.
    public var error: String?
    /// The full configuration, a JSON object; the store keeps it in canonical form
    /// (`JSONValue.canonical`), so that equal configurations are equal text.
    public var configJSON: String
    public var config: RunConfig
    public var summary: RunSummary
    public var zeroPredictor: ZeroPredictorErrors
    /// How many rounds are recorded.
    public var roundCount: Int
    public var note: String?
    /// key = value pairs, sorted by key when read.
    public var tags: [Tag]
    /// When the tags or note were last edited; nil while they are as the run was created.
    /// A sync keeps the labels edited last (`labelsTime`).
    public var labelsEditedAt: Timestamp?

    /// The time the labels are from: their last edit, else the run's creation.
    public var labelsTime: Timestamp { labelsEditedAt ?? createdAt }

    public init(
        id: String, experiment: String, status: RunStatus, source: RunSource, createdAt: Timestamp,
        host: String, pid: Int?, sdtrackVersion: String, configJSON: String, config: RunConfig,
        note: String? = nil, tags: [Tag] = []
    ) {
        self.id = id
        self.experiment = experiment
        self.status = status
        self.source = source
        self.createdAt = createdAt
        self.host = host
        self.pid = pid
        self.sdtrackVersion = sdtrackVersion
        self.configJSON = configJSON
        self.config = config
        self.summary = RunSummary()
        self.zeroPredictor = ZeroPredictorErrors()
        self.roundCount = 0
        self.note = note
        self.tags = tags
    }
}

/// A whole run: what an import or a sync carries, and what `runs export` gives back.
public struct CompleteRun: Sendable, Equatable {
    /// Who chose the run's times, host, pid and sdtrack version.
    public enum Provenance: Sendable, Equatable {
        /// They are the run's own (an sdtrack document): a stored copy must match them too.
        case recorded
        /// The importer filled them in (a JSON Lines or CSV file that has none): a stored copy
        /// is compared without them, so that importing the file again is "unchanged".
        case filledIn
    }

    public var run: RunRecord
    public var rounds: [RoundRecord]
    public var spectrum: SpectrumRecord?
    public var provenance: Provenance

    public init(
        run: RunRecord, rounds: [RoundRecord], spectrum: SpectrumRecord? = nil,
        provenance: Provenance = .recorded
    ) {
        self.run = run
        self.rounds = rounds
        self.spectrum = spectrum
        self.provenance = provenance
    }
}
