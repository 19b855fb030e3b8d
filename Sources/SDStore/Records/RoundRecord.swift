/// The per-round quantities of docs/math.md section 3: the columns of the rounds table, the
/// keys of every round in sdtrack's documents, the metrics queries know by name. Declared
/// here once; everything that lists them iterates `allCases`.
public enum RoundMetric: String, CaseIterable, Sendable {
    /// The longest name of an imported metric, in bytes, and the most metrics of one round:
    /// bounds on what an import may ask the store to keep.
    public static let longestName = 128
    public static let mostExtra = 1000

    /// c_t: the Lagrange constant (eps mode) or the fixed constant.
    case c
    /// r_t = ||y_t|| / sqrt(K eps) (eps mode).
    case r
    /// ||y_t||.
    case targetNorm = "target_norm"
    /// (1/K) ||f_t(X) - y_0||^2.
    case trainMSE = "train_mse"
    /// (1/K) ||f_t(X) - y_t||^2: eps in eps mode (a check, not a metric).
    case targetMSE = "target_mse"
    /// Mean squared error on the held-out set.
    case testMSE = "test_mse"
    /// Mean squared error against the noiseless function on its grid (synthetic data).
    case truthMSE = "truth_mse"
    /// df_t, the trace of the smoother.
    case df
    /// GCV_t, treating c_0..c_t as fixed.
    case gcv
    /// R(f_t), the RKHS norm of the fit.
    case rkhsNorm = "rkhs_norm"

    public var name: String { rawValue }

    /// The metric called `name`, nil for other names: a dictionary lookup, for readers of
    /// thousands of rounds (the raw-value initializer compares the names one by one).
    public static func named(_ name: String) -> RoundMetric? { byName[name] }

    private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The metric's value for the zero function f = 0, which is every round's model from a
    /// run's collapse round T on (docs/math.md section 7); nil when it has no single value
    /// from T on: c and r are not defined, and the targets y_T of round T are not yet zero
    /// (their norm and the fit's error against them vanish only from T + 1).
    public func zeroPredictorValue(_ zero: ZeroPredictorErrors) -> Double? {
        switch self {
        case .testMSE: zero.testMSE
        case .truthMSE: zero.truthMSE
        // GCV of f = 0 is its training error: the smoother is 0, so df = 0.
        case .trainMSE, .gcv: zero.trainMSE
        case .df, .rkhsNorm: 0
        case .c, .r, .targetNorm, .targetMSE: nil
        }
    }
}

/// One round's quantities. Every metric may be missing: an imported run has only the metrics
/// its file gave. Metrics beyond docs/math.md's live in `extra`, by name.
public struct RoundRecord: Sendable, Equatable {
    /// Round numbers t run from 0 to `largestT`: a run's curves hold a value per round, so an
    /// imported t of 10^9 would be a blob of gigabytes. (A run of sdtrack stops at its round
    /// cap long before: `max_rounds` is at most `largestT + 1`.)
    public static let largestT = 999_999

    /// Whether `t` is a round number the store takes.
    public static func isValidT(_ t: Int) -> Bool { t >= 0 && t <= largestT }

    /// The rule in words, for messages: "t must be \(validTDescription), got ...".
    public static let validTDescription = "a round number 0, 1, 2, ... \(largestT)"

    public var t: Int
    public var c: Double?
    public var r: Double?
    public var targetNorm: Double?
    public var trainMSE: Double?
    public var targetMSE: Double?
    public var testMSE: Double?
    public var truthMSE: Double?
    public var df: Double?
    public var gcv: Double?
    public var rkhsNorm: Double?
    /// Other named metrics (accuracy, loss, ...), stored in round_metrics.
    public var extra: [String: Double]

    public init(
        t: Int, c: Double? = nil, r: Double? = nil, targetNorm: Double? = nil, trainMSE: Double? = nil,
        targetMSE: Double? = nil, testMSE: Double? = nil, truthMSE: Double? = nil, df: Double? = nil,
        gcv: Double? = nil, rkhsNorm: Double? = nil, extra: [String: Double] = [:]
    ) {
        self.t = t
        self.c = c
        self.r = r
        self.targetNorm = targetNorm
        self.trainMSE = trainMSE
        self.targetMSE = targetMSE
        self.testMSE = testMSE
        self.truthMSE = truthMSE
        self.df = df
        self.gcv = gcv
        self.rkhsNorm = rkhsNorm
        self.extra = extra
    }

    /// A docs/math.md quantity of this round.
    public subscript(metric: RoundMetric) -> Double? {
        get {
            switch metric {
            case .c: c
            case .r: r
            case .targetNorm: targetNorm
            case .trainMSE: trainMSE
            case .targetMSE: targetMSE
            case .testMSE: testMSE
            case .truthMSE: truthMSE
            case .df: df
            case .gcv: gcv
            case .rkhsNorm: rkhsNorm
            }
        }
        set {
            switch metric {
            case .c: c = newValue
            case .r: r = newValue
            case .targetNorm: targetNorm = newValue
            case .trainMSE: trainMSE = newValue
            case .targetMSE: targetMSE = newValue
            case .testMSE: testMSE = newValue
            case .truthMSE: truthMSE = newValue
            case .df: df = newValue
            case .gcv: gcv = newValue
            case .rkhsNorm: rkhsNorm = newValue
            }
        }
    }

    /// Any metric by name: a docs/math.md quantity, else an extra metric. Setting a name that is
    /// a docs/math.md quantity sets that quantity.
    public subscript(metricNamed name: String) -> Double? {
        get { RoundMetric.named(name).map { self[$0] } ?? extra[name] }
        set {
            if let metric = RoundMetric.named(name) { self[metric] = newValue } else { extra[name] = newValue }
        }
    }

    /// Whether the two rounds hold the same values bit for bit (Equatable's == calls 0 and
    /// -0 equal).
    public func isIdentical(to other: RoundRecord) -> Bool {
        func same(_ a: Double?, _ b: Double?) -> Bool { a?.bitPattern == b?.bitPattern }
        return t == other.t && RoundMetric.allCases.allSatisfy { same(self[$0], other[$0]) }
            && extra.count == other.extra.count && extra.allSatisfy { same($0.value, other.extra[$0.key]) }
    }
}

/// The eigen-spectra of a run (docs/math.md section 3): with the c_t sequence they rebuild
/// every round's shrinkage s(t), B_t and z_t exactly.
public struct SpectrumRecord: Sendable, Equatable {
    /// d: the eigenvalues of G, descending, round-off negatives clipped to 0.
    public var d: [Double]
    /// z_0 = V^T y: the labels' spectral coefficients.
    public var z0: [Double]
    /// Eigenvalues at or below this count as zero.
    public var zeroTolerance: Double

    public init(d: [Double], z0: [Double], zeroTolerance: Double) {
        precondition(d.count == z0.count)
        self.d = d
        self.z0 = z0
        self.zeroTolerance = zeroTolerance
    }

    /// Whether the two hold the same doubles bit for bit.
    public func isIdentical(to other: SpectrumRecord) -> Bool {
        func same(_ a: [Double], _ b: [Double]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
        return same(d, other.d) && same(z0, other.z0) && zeroTolerance.bitPattern == other.zeroTolerance.bitPattern
    }
}
