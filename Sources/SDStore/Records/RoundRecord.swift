/// One round's quantities (math.md section 3). Every field but t may be missing: an
/// imported run has only the metrics its file gave. Metrics beyond math.md's live in `extra`.
public struct RoundRecord: Sendable, Equatable {
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

    public init(t: Int, c: Double? = nil, r: Double? = nil, targetNorm: Double? = nil, trainMSE: Double? = nil,
                targetMSE: Double? = nil, testMSE: Double? = nil, truthMSE: Double? = nil, df: Double? = nil,
                gcv: Double? = nil, rkhsNorm: Double? = nil, extra: [String: Double] = [:]) {
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

    /// The rounds table's metric columns, in table order.
    public static let columns = ["c", "r", "target_norm", "train_mse", "target_mse", "test_mse", "truth_mse", "df", "gcv", "rkhs_norm"]

    /// The metric columns' values, in `columns` order.
    public var columnValues: [Double?] { [c, r, targetNorm, trainMSE, targetMSE, testMSE, truthMSE, df, gcv, rkhsNorm] }

    /// Sets the metric column `name`; false when `name` is not a column.
    public mutating func setColumn(_ name: String, _ value: Double?) -> Bool {
        switch name {
        case "c": c = value
        case "r": r = value
        case "target_norm": targetNorm = value
        case "train_mse": trainMSE = value
        case "target_mse": targetMSE = value
        case "test_mse": testMSE = value
        case "truth_mse": truthMSE = value
        case "df": df = value
        case "gcv": gcv = value
        case "rkhs_norm": rkhsNorm = value
        default: return false
        }
        return true
    }
}

/// The eigen-spectra of a run (math.md section 3): with the c_t sequence they rebuild
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
}
