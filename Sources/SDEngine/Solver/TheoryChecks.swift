/// The collapse-round bounds of docs/math.md 4.2:
/// ceil(r_0 - 1) <= T <= ceil(kappa (r_0 - 1)), T the number of non-collapsed rounds.
public struct CollapseBounds: Sendable, Equatable {
    public let lower: Int
    /// nil when kappa is infinite (some eigenvalue of G is numerically zero).
    public let upper: Int?
    public let kappa: Double
    /// T, when the run collapsed; nil when it stopped at the round cap first.
    public let rounds: Int?

    /// For r_0 <= 1 the run collapses at round 0 and both bounds are 0. A non-finite r_0
    /// (which `Distillation` refuses) gives no bounds to hold: lower Int.max / 2, upper nil.
    public init(r0: Double, kappa: Double, rounds: Int?) {
        let excess = r0.isNaN ? .infinity : max(r0 - 1, 0)
        // A tiny eps makes r0 huge (1e20 for eps = 1e-40): the bound is then clamped to
        // Int.max / 2, which no run reaches (a smaller lower bound is still a lower bound).
        lower = Int(min(excess.rounded(.up), Double(Int.max / 2)))
        let upperBound = excess == 0 ? 0 : (kappa * excess).rounded(.up)
        upper = upperBound < Double(Int.max / 2) ? Int(upperBound) : nil  // false for NaN too
        self.kappa = kappa
        self.rounds = rounds
    }

    /// Whether lower <= T <= upper; nil when it cannot be judged yet. `roundsRun` rounds ran
    /// without a collapse means r_roundsRun > 1, so T >= roundsRun + 1: once roundsRun reaches
    /// the upper bound the bound is already broken, and a capped run says so.
    public func held(roundsRun: Int) -> Bool? {
        guard let rounds else {
            if let upper, roundsRun >= upper { return false }
            return nil
        }
        return rounds >= lower && (upper.map { rounds <= $0 } ?? true)
    }
}

/// Which results of docs/math.md section 4 held in a run, updated round by round.
///
/// "Strictly increasing" is checked as x_{t+1} > x_t (1 - 1e-12) and "decreasing" as
/// x_{t+1} < x_t (1 + 1e-12): late rounds can change a quantity by less than its rounding
/// error (r falls by as little as 1/kappa a round). The constraint holds when
/// |(1/K) ||y_{t+1} - y_t||^2 - eps| <= 1e-9 eps. Checks that do not apply in fixed-c mode
/// (bracket, r, constraint, collapse) are nil.
public struct TheoryChecks: Sendable, Equatable {
    public static let monotonicSlack = 1e-12
    public static let constraintTolerance = 1e-9

    public private(set) var cInBracket: Bool?
    public private(set) var cIncreasing: Bool?
    public private(set) var rDecreasing: Bool?
    public private(set) var constraintHolds: Bool?
    /// max_t |targetMSE_t - eps| / eps.
    public private(set) var maxConstraintError: Double?
    public private(set) var dfDecreasing = true
    public private(set) var trainMSEIncreasing = true
    public private(set) var rkhsNormDecreasing = true
    public internal(set) var collapseBounds: Bool?
    /// The round recorded last: monotonicity compares each round with it.
    private var previous: Round?

    init(epsMode: Bool) {
        if epsMode {
            cInBracket = true
            cIncreasing = true
            rDecreasing = true
            constraintHolds = true
            maxConstraintError = 0
        }
    }

    /// Every check that applies held.
    public var allHeld: Bool {
        [
            cInBracket, cIncreasing, rDecreasing, constraintHolds, dfDecreasing, trainMSEIncreasing,
            rkhsNormDecreasing, collapseBounds,
        ].allSatisfy { $0 != false }
    }

    mutating func record(_ round: Round, eps: Double?) {
        defer { previous = round }
        let slack = Self.monotonicSlack
        if let eps, let r = round.r, let bracket = round.bracket {
            let inBracket = round.c >= bracket.lowerBound * (1 - slack) && round.c <= bracket.upperBound * (1 + slack)
            cInBracket = cInBracket! && inBracket
            let error = abs(round.targetMSE - eps) / eps
            maxConstraintError = max(maxConstraintError!, error)
            constraintHolds = constraintHolds! && error <= Self.constraintTolerance
            if let previous, let previousR = previous.r {
                cIncreasing = cIncreasing! && round.c > previous.c * (1 - slack)
                rDecreasing = rDecreasing! && r < previousR * (1 + slack)
            }
        }
        if let previous {
            dfDecreasing = dfDecreasing && round.degreesOfFreedom < previous.degreesOfFreedom * (1 + slack)
            trainMSEIncreasing = trainMSEIncreasing && round.trainMSE > previous.trainMSE * (1 - slack)
            rkhsNormDecreasing = rkhsNormDecreasing && round.rkhsNorm < previous.rkhsNorm * (1 + slack)
        }
    }
}
