/// Where a run came from.
public enum RunSource: String, Sendable {
    /// Computed by `sdtrack run`.
    case sdtrack
    /// Recorded from a file by `sdtrack import`.
    case `import`
}

/// The configuration columns that queries filter and group on. The full configuration is
/// `RunRecord.configJSON`; these repeat the parts of it that every kernel run has.
public struct RunConfig: Sendable, Equatable {
    public var dataset: String?
    /// SHA-256 of the exact data used, in hex (see `DataFingerprint`).
    public var dataSHA256: String?
    /// Training points.
    public var k: Int?
    public var testSize: Int?
    public var kernel: String?
    public var gamma: Double?
    public var lengthScale: Double?
    public var degree: Int?
    public var coef0: Double?
    public var depth: Int?
    /// eps, eps-rel or fixed-c.
    public var mode: String?
    /// The resolved eps (eps and eps-rel modes).
    public var eps: Double?
    /// The fixed c (fixed-c mode).
    public var c: Double?
    public var seed: Int?
    public var noise: Double?

    public init() {}
}

/// What a run established by its end: math.md section 4's quantities.
public struct RunSummary: Sendable, Equatable {
    public var r0: Double?
    /// kappa = d_max / d_min (infinite when d_min = 0, stored as NULL).
    public var kappa: Double?
    public var collapseRound: Int?
    public var boundLower: Int?
    public var boundUpper: Int?
    /// Whether ceil(r0 - 1) <= T <= ceil(kappa (r0 - 1)) held (nil when not judged).
    public var boundsHeld: Bool?
    /// Whether every check of math.md section 4 held.
    public var checksHeld: Bool?

    public init() {}
}

/// The mean squared errors of the zero function f = 0 on the run's data: what its metrics
/// are at every round from its collapse on (math.md 2: f_t = 0 once r_t <= 1).
public struct ZeroPredictorErrors: Sendable, Equatable {
    /// (1/K) ||y_0||^2; also GCV of f = 0 (df = 0).
    public var trainMSE: Double?
    /// Mean of y^2 over the held-out set.
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
    /// The full configuration, a JSON object.
    public var configJSON: String
    public var config: RunConfig
    public var summary: RunSummary
    public var zeroPredictor: ZeroPredictorErrors
    /// How many rounds are recorded.
    public var roundCount: Int
    public var note: String?
    /// key = value pairs, sorted by key when read.
    public var tags: [Tag]

    public init(id: String, experiment: String, status: RunStatus, source: RunSource, createdAt: Timestamp,
                host: String, pid: Int?, sdtrackVersion: String, configJSON: String, config: RunConfig,
                note: String? = nil, tags: [Tag] = []) {
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

public struct Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
