import Foundation

/// What a run does: the kernel, how c_t is chosen, and how many rounds at most.
public struct DistillationSettings: Sendable, Equatable {
    public var kernel: Kernel
    public var mode: DistillationMode
    /// The most rounds to run; a run also ends when it collapses.
    public var maxRounds: Int
    /// dsyevr by default: its peak is 2 K^2 doubles against dsyevd's 3 K^2 + O(K), at about
    /// the same single-thread speed (tools/EngineBenchmark measures both).
    public var eigenDriver: EigenDriver
    /// The solver path; `auto` takes the fastest exact one.
    public var solver: SolverChoice

    public static let defaultMaxRounds = 100

    public init(
        kernel: Kernel, mode: DistillationMode, maxRounds: Int = defaultMaxRounds,
        solver: SolverChoice = .auto, eigenDriver: EigenDriver = .dsyevr
    ) {
        self.kernel = kernel
        self.mode = mode
        self.maxRounds = maxRounds
        self.solver = solver
        self.eigenDriver = eigenDriver
    }

    /// Throws .invalidParameter for the first value outside its domain (the round cap, the
    /// mode's constant, then the kernel's parameters), naming it and its valid range.
    public func validate() throws(EngineError) {
        try Self.validate(mode: mode, maxRounds: maxRounds)
        try kernel.validate()
    }

    /// The round cap and the mode's constant: every check but the kernel's.
    static func validate(mode: DistillationMode, maxRounds: Int) throws(EngineError) {
        func require(_ condition: Bool, _ message: String) throws(EngineError) {
            if !condition { throw EngineError(.invalidParameter, message) }
        }
        try require(maxRounds >= 1, "rounds must be at least 1 (got \(maxRounds))")
        try require(
            DistillationMode.isValidConstant(mode.constant),
            "\(mode.name) must be a positive number (got \(mode.constant))")
    }
}

/// A self-distillation run on a `KernelProblem`: rounds in O(K) each (plus the predictions at
/// held-out and grid points), handed out one by one so a caller can record them as they come.
/// Iteration ends when the run collapses or reaches its round cap.
///
/// The expensive part, the eigendecomposition and the kernel rows, lives in `problem` and is
/// shared, never copied: any number of runs with different modes and round caps can use one
/// problem. A run itself holds O(K) state (z_t and the cumulative shrinkage B_t).
///
/// Exactness: every round quantity is computed in the eigenbasis from d, z_t and c_t;
/// predictions agree with a direct Cholesky solve of (c_t I + G) a = y_t to about 1e-12
/// relative on well-conditioned problems (tested at 1e-10). Runs of the same mode on one
/// problem, or on two problems built from the same inputs with the same OpenBLAS thread
/// count, give bit-for-bit equal rounds.
public struct Distillation: IteratorProtocol, Sequence, Sendable {
    /// The data, the kernel and their decomposition, shared with every run built on them.
    public let problem: KernelProblem
    /// The problem's kernel and eigen driver with this run's mode and round cap.
    public let settings: DistillationSettings
    /// The resolved eps (nil in fixed-c mode).
    public let eps: Double?
    /// r_0 = ||y_0|| / sqrt(K eps) (nil in fixed-c mode).
    public let r0: Double?
    /// Why this run's numbers deserve doubt, when they do: eps within `feasibilityMargin` of
    /// the smallest feasible eps (the labels' mass on G's numerically-zero eigenvalues), where
    /// c_t depends on which eigenvalues rounding put at zero, or a round whose c_t moves by more
    /// than `determinedTo` relative when the eigenvalues move by the noise floor (`sensitivity`).
    public private(set) var warning: String?
    /// The relative margin of eps over the feasibility limit below which a run warns.
    public static let feasibilityMargin = 1e-3
    /// The relative precision of c_t below which a run warns.
    public static let determinedTo = 1e-6
    /// The largest first-order relative change of any c_t so far when every eigenvalue of G
    /// moves by its error delta = `spectrum.eigenvalueError` (0 in fixed-c mode):
    /// delta sum_k z_t[k]^2 / (c_t + d_k)^3 / sum_k z_t[k]^2 d_k / (c_t + d_k)^3, from
    /// dh/dd_k and dh/dc (docs/math.md section 8).
    public private(set) var sensitivity = 0.0
    /// The index of the first round whose fit is the zero function, once that happened.
    public private(set) var collapseRound: Int?
    /// Why the run stopped before its collapse or cap: a round that double precision cannot
    /// compute (no c_t in range, a quantity that is not finite). `next()` then returns nil; a
    /// caller records the run as failed with this error.
    public private(set) var failure: EngineError?
    public private(set) var checks: TheoryChecks

    private var z: [Double]
    private var shrinkage: [Double]
    private var nextT = 0
    private var lastFit: (c: Double, z: [Double])?
    /// On the tridiagonal path: y_t in T's basis (Q^T H y_t), and the last round's
    /// (c_t I + T)^{-1} of it, from which predictions are made.
    private var tridiagonalTargets: [Double]?
    private var lastSolve: [Double]?
    /// The predictions of rounds computed ahead, in blocks (`Lookahead`).
    private var lookahead: Lookahead?

    /// The validated data set of `problem`.
    public var dataset: Dataset { problem.dataset }
    /// The decomposition of G of `problem`.
    public var spectrum: Spectrum { problem.spectrum }

    /// A run of `mode` for at most `maxRounds` rounds on `problem`, in O(K): resolves eps-rel
    /// against the labels and computes r_0. Throws .invalidParameter for a mode constant or
    /// round cap outside its domain or an eps-rel of labels that are all 0 (eps would be 0),
    /// and .infeasibleEps when no c > 0 makes the training loss
    /// reach eps (the message names the smallest feasible eps). Neither failure affects
    /// `problem`, which other modes can still use.
    public init(
        problem: KernelProblem, mode: DistillationMode,
        maxRounds: Int = DistillationSettings.defaultMaxRounds
    ) throws(EngineError) {
        try DistillationSettings.validate(mode: mode, maxRounds: maxRounds)
        let spectrum = problem.spectrum
        let eps = mode.resolvedEps(labels: problem.dataset.train.targets)
        if let eps, eps == .infinity, case .relativeEps(let ratio) = mode {
            throw EngineError(
                .invalidParameter,
                "eps-rel \(ratio) resolves to eps = inf because the labels' mean square is beyond double range; "
                    + "rescale the labels")
        }
        if let eps, !(eps > 0), case .relativeEps(let ratio) = mode {
            // mean(y_0^2) = 0 (or underflowed): r_0 would be 0 / 0, and no run is defined.
            throw EngineError(
                .invalidParameter,
                "eps-rel \(ratio) resolves to eps = 0 because every training label "
                    + "is (numerically) 0; give an absolute eps")
        }
        if let eps {
            // Below the normal doubles eps has lost precision, and K eps and c_t underflow.
            guard eps.isNormal else {
                throw EngineError(
                    .invalidParameter,
                    "eps \(eps) is \(eps.isFinite ? "below the smallest normal double (2.2e-308)" : "not finite"): "
                        + "sdtrack cannot compute with it; give an eps between 1e-300 and the labels' mean square")
            }
            let r0 = Self.norm(spectrum.z0) / (Double(spectrum.count) * eps).squareRoot()
            guard r0.isFinite else {
                throw EngineError(
                    .invalidParameter,
                    "r_0 = ||y_0|| / sqrt(K eps) is beyond double range (eps = \(eps)): the labels are too large "
                        + "or eps too small; rescale the labels or give a larger eps")
            }
            let collapsed = Self.collapses(r: r0, pointCount: spectrum.count)
            if !collapsed { try Self.checkFeasible(eps: eps, spectrum: spectrum, dataset: problem.dataset) }
            self.r0 = r0
            let floor = Self.feasibilityLimit(spectrum)
            if !collapsed, floor > 0, (eps - floor) / eps < Self.feasibilityMargin {
                warning =
                    "eps \(Self.format(eps)) is within \(Self.format(100 * (eps - floor) / eps))% of the smallest "
                    + "feasible eps (\(Self.format(floor))): c_t depends on rounding there and is not determined to "
                    + "1e-6; give a larger eps"
            } else {
                warning = nil
            }
        } else {
            self.r0 = nil
            self.warning = nil
        }
        self.problem = problem
        self.settings = DistillationSettings(
            kernel: problem.kernel, mode: mode, maxRounds: maxRounds,
            solver: SolverChoice(rawValue: problem.spectrum.path.rawValue)!, eigenDriver: problem.eigenDriver)
        self.eps = eps
        self.checks = TheoryChecks(epsMode: eps != nil)
        self.z = spectrum.z0
        self.shrinkage = [Double](repeating: 1, count: spectrum.eigenvalues.count)
        if case .tridiagonal(let basis) = spectrum.basis { tridiagonalTargets = basis.initialTargets }
        updateCollapse()
    }

    /// A run with a problem of its own: builds the `KernelProblem` of `dataset` and
    /// `settings.kernel` (reporting its stages to `progress`), then the run. Every setting is
    /// checked first, so an invalid one costs no decomposition.
    public init(
        dataset: Dataset, settings: DistillationSettings,
        progress: (DistillationStage) -> Void = { _ in }
    ) throws(EngineError) {
        try settings.validate()
        let problem = try KernelProblem(
            dataset: dataset, kernel: settings.kernel, solver: settings.solver, eigenDriver: settings.eigenDriver,
            progress: progress)
        try self.init(problem: problem, mode: settings.mode, maxRounds: settings.maxRounds)
    }

    /// The collapse-round bounds of docs/math.md 4.2 as far as this run has gone (eps mode).
    public var collapseBounds: CollapseBounds? {
        r0.map {
            // An r_0 within rounding of 1 is a collapse at round 0, and bounds of 0.
            let r0 = Self.collapses(r: $0, pointCount: spectrum.count) ? Swift.min($0, 1) : $0
            return CollapseBounds(r0: r0, kappa: spectrum.conditionNumber, rounds: collapseRound)
        }
    }

    /// The next round, or nil when the run has collapsed or reached its cap.
    public mutating func next() -> Round? {
        guard collapseRound == nil, failure == nil, nextT < settings.maxRounds else { return nil }
        let d = spectrum.eigenvalues
        let k = Double(spectrum.count)
        let targetNorm = Self.norm(z)
        var c: Double, r: Double?, bracket: ClosedRange<Double>?
        switch settings.mode {
        case .fixedC(let fixed): c = fixed
        case .eps, .relativeEps:
            guard let root = ConstraintRoot(eigenvalues: d, z: z, eps: eps!, pointCount: spectrum.count) else {
                failure = EngineError(
                    .numerical,
                    "round \(nextT): no c_t > 0 meets the loss eps = \(eps!) in double precision (r_t = "
                        + "\(targetNorm / (k * eps!).squareRoot())); eps is at the limit of what these data allow; "
                        + "give a larger eps or rescale the data")
                return nil
            }
            c = root.c
            // c_t below the rounding of every eigenvalue: s_k = d_k / (c_t + d_k) is 1 in double
            // precision, so the round changes nothing, and every later one would be the same.
            guard d.contains(where: { $0 > 0 && c + $0 != $0 }) else {
                failure = EngineError(
                    .numerical,
                    "round \(nextT): c_t = \(c) is below the rounding of every eigenvalue of G, so no round changes "
                        + "the fit in double precision: eps = \(eps!) is too small for these data; give a larger eps")
                return nil
            }
            r = targetNorm / (k * eps!).squareRoot()
            bracket = root.bracket
        }
        var targetMSE = 0.0, rkhsNorm = 0.0, trainMSE = 0.0, df = 0.0
        var uncertainty = 0.0, slope = 0.0
        let predictions: (test: [Double]?, truth: [Double]?)?
        do {
            predictions = try self.predictions(t: nextT, c: c)
        } catch {
            failure = error
            return nil
        }
        lastFit = (c, z)
        if case .tridiagonal(let basis) = spectrum.basis, let b = tridiagonalTargets {
            do {
                let u = try basis.solve(shift: c, b)
                lastSolve = u
                tridiagonalTargets = zip(b, u).map { $0 - c * $1 }  // y_{t+1} = G a_t = y_t - c_t a_t
            } catch {
                failure = error
                return nil
            }
        }
        for i in d.indices {
            let residual = c * z[i] / (c + d[i])  // (1 - s_k) z_t[k]
            targetMSE += residual * residual
            rkhsNorm += d[i] * z[i] * z[i] / ((c + d[i]) * (c + d[i]))
            let s = d[i] / (c + d[i])
            shrinkage[i] *= s
            let miss = (shrinkage[i] - 1) * spectrum.z0[i]
            trainMSE += miss * miss
            df += shrinkage[i]
            let cube = (c + d[i]) * (c + d[i]) * (c + d[i])
            uncertainty += z[i] * z[i] / cube
            slope += z[i] * z[i] * d[i] / cube
            z[i] *= s  // z_{t+1}[k] = s_k(t) z_t[k]
        }
        trainMSE /= k
        if r != nil, slope > 0 {
            let relative = spectrum.eigenvalueError * uncertainty / slope
            sensitivity = Swift.max(sensitivity, relative)
            if warning == nil, relative > Self.determinedTo {
                warning =
                    "c_\(nextT) = \(Self.format(c)) can be off by up to \(Self.format(relative)) relative (not "
                    + "determined to 1e-6): G's eigenvalues are resolved to \(Self.format(spectrum.eigenvalueError)) "
                    + "and eps is close to the smallest feasible eps; give a larger eps"
            }
        }
        guard c.isFinite, trainMSE.isFinite, targetMSE.isFinite, rkhsNorm.isFinite, df.isFinite else {
            failure = EngineError(
                .numerical,
                "round \(nextT): the round's quantities are beyond double range (c_t = \(c)); rescale the data "
                    + "(--standardize) or change the kernel")
            return nil
        }
        let round = Round(
            t: nextT, c: c, bracket: bracket, targetNorm: targetNorm, r: r,
            trainMSE: trainMSE, targetMSE: targetMSE / k,
            testMSE: dataset.test.map { Self.meanSquaredError(predictions!.test!, $0.targets) },
            truthMSE: dataset.truth.map { Self.meanSquaredError(predictions!.truth!, $0.targets) },
            degreesOfFreedom: df, gcv: trainMSE / ((1 - df / k) * (1 - df / k)), rkhsNorm: rkhsNorm / k)
        // Predictions far from the training points can overflow where the fit itself did not.
        guard (round.testMSE ?? 0).isFinite, (round.truthMSE ?? 0).isFinite else {
            failure = EngineError(
                .numerical,
                "round \(nextT): the \(round.testMSE?.isFinite == false ? "held-out" : "truth") error is beyond double "
                    + "range; rescale the data (--standardize)")
            return nil
        }
        checks.record(round, eps: eps)
        nextT += 1
        updateCollapse()
        return round
    }

    /// Marks the run collapsed as soon as the next targets have r <= 1 (so that a run capped
    /// exactly at its collapse round still reports it), and re-judges the collapse bounds
    /// against the rounds run so far.
    private mutating func updateCollapse() {
        if let eps, collapseRound == nil,
            Self.collapses(r: Self.norm(z) / (Double(spectrum.count) * eps).squareRoot(), pointCount: spectrum.count)
        {
            collapseRound = nextT
        }
        checks.collapseBounds = collapseBounds?.held(roundsRun: nextT)
    }

    /// The predictions of round t at the held-out and grid points (nil without either), whose
    /// c_t is `c`: from the lookahead, computed first when it does not hold round t.
    private mutating func predictions(t: Int, c: Double) throws(EngineError) -> (test: [Double]?, truth: [Double]?)? {
        guard problem.testKernel != nil || problem.truthKernel != nil else { return nil }
        if lookahead?.holds(t: t, c: c) != true { lookahead = try computeLookahead() }
        guard let lookahead, lookahead.holds(t: t, c: c) else {
            throw EngineError(.numerical, "round \(t): computing the round ahead gave another c_t (internal error)")
        }
        return lookahead.predictions(t: t)
    }

    /// The next rounds from the current state, up to `Lookahead.rounds` of them, the cap or the
    /// collapse: their c_t, computed as `next()` computes them (the same operations on the same
    /// values, so bit for bit the same), and their predictions in one block. A prediction needs
    /// a_t = (c_t I + G)^{-1} y_t as K values, which costs a pass over V or over the reflectors
    /// (2 K^2 flops); a block of rounds makes it one matrix product, and the predictions at the
    /// m held-out and grid points another (docs/math.md section 8).
    private func computeLookahead() throws(EngineError) -> Lookahead {
        let d = spectrum.eigenvalues
        let count = spectrum.count
        var z = self.z, b = tridiagonalTargets
        var cs = [Double](), block = [Double]()  // spectral coefficients or, tridiagonal, T-basis solves
        var t = nextT
        rounds: while cs.count < Lookahead.rounds, t < settings.maxRounds {
            if t > nextT, let eps,
                Self.collapses(r: Self.norm(z) / (Double(count) * eps).squareRoot(), pointCount: count)
            {
                break rounds
            }
            let c: Double
            switch settings.mode {
            case .fixedC(let fixed): c = fixed
            case .eps, .relativeEps:
                guard let root = ConstraintRoot(eigenvalues: d, z: z, eps: eps!, pointCount: count) else {
                    break rounds
                }
                c = root.c
            }
            if case .tridiagonal(let basis) = spectrum.basis, let current = b {
                let u = try basis.solve(shift: c, current)
                block += u
                b = zip(current, u).map { $0 - c * $1 }
            } else {
                block += d.indices.map { z[$0] / (c + d[$0]) }
            }
            for i in d.indices { z[i] *= d[i] / (c + d[i]) }
            cs.append(c)
            t += 1
        }
        let columns = cs.count
        // The rows multiply K-vectors a_t, or on the low-rank path spectral coefficients.
        var coefficients: [Double]
        switch spectrum.basis {
        case .tridiagonal(let basis):
            coefficients = block
            try basis.toTrainingPoints(&coefficients, columns: columns)
        case .vectors(let vectors, let components):
            coefficients =
                spectrum.path == .lowRank
                ? block
                : Lapack.multiply(vectors, rows: count, inner: components, block, columns: columns)
        }
        let inner = coefficients.count / Swift.max(columns, 1)
        func predict(_ rows: [Double]?) -> [Double]? {
            rows.map { Lapack.multiply($0, rows: $0.count / inner, inner: inner, coefficients, columns: columns) }
        }
        return Lookahead(
            start: nextT, c: cs, test: predict(problem.testKernel), truth: predict(problem.truthKernel))
    }

    /// Whether targets with ratio r = ||y_t|| / sqrt(K eps) make a collapsed round: r <= 1 up to
    /// the rounding of computing r (8 u sqrt(K)), so that eps-rel 1, whose r_0 is 1 in exact
    /// arithmetic and 1 + 4e-16 in double, collapses at round 0 instead of running a round with
    /// c near 1e15.
    static func collapses(r: Double, pointCount: Int) -> Bool {
        r <= 1 + 8 * Double.ulpOfOne * Swift.max(1, Double(pointCount).squareRoot())
    }

    /// The targets y_t of the round that `next()` fits next: V z_t. Throws .numerical only
    /// when LAPACK refuses the reflectors (an internal error).
    public func currentTargets() throws(EngineError) -> [Double] {
        switch spectrum.basis {
        case .vectors(let vectors, let components):
            return Lapack.multiply(vectors, rows: spectrum.count, columns: components, z)
        case .tridiagonal(let basis):
            var targets = tridiagonalTargets!
            try basis.toTrainingPoints(&targets, columns: 1)
            return targets
        }
    }

    /// a_t = (c_t I + G)^{-1} y_t = V diag(1 / (c_t + d)) z_t of the last round returned, so that
    /// f_t(x) = sum_k g(x, x_k) / K * a_t[k]. On the low-rank path it solves (c_t I + G~) a = y_t,
    /// and the run's own predictions go through the Nystrom rows instead (docs/math.md 8.3);
    /// the two differ by the factorisation's error.
    public func lastCoefficients() throws(EngineError) -> [Double]? {
        guard let (c, z) = lastFit else { return nil }
        switch spectrum.basis {
        case .vectors(let vectors, let components):
            let d = spectrum.eigenvalues
            return Lapack.multiply(
                vectors, rows: spectrum.count, columns: components, d.indices.map { z[$0] / (c + d[$0]) })
        case .tridiagonal(let basis):
            var coefficients = lastSolve!
            try basis.toTrainingPoints(&coefficients, columns: 1)
            return coefficients
        }
    }

    private static func meanSquaredError(_ predictions: [Double], _ targets: [Double]) -> Double {
        var sum = 0.0
        for (prediction, target) in zip(predictions, targets) { sum += (prediction - target) * (prediction - target) }
        return sum / Double(targets.count)
    }

    private static func norm(_ v: [Double]) -> Double {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// No c > 0 reaches eps when the labels' mass on the numerically-zero eigenvalues
    /// already exceeds it: (1/K) sum_{d_k = 0} z_0[k]^2 >= eps.
    private static func checkFeasible(eps: Double, spectrum: Spectrum, dataset: Dataset) throws(EngineError) {
        let floor = feasibilityLimit(spectrum)
        guard floor >= eps else { return }
        var message =
            "eps \(eps) is infeasible: the kernel cannot fit these targets closer than eps = \(format(floor)) "
            + "(\(spectrum.zeroCount) of \(spectrum.count) eigenvalues of G are numerically zero, <= "
            + "\(format(spectrum.zeroTolerance)))"
        if let (i, j) = duplicatePair(dataset.train.points) {
            message += "; training points \(i + 1) and \(j + 1) are identical"
        }
        message += "; use an eps of at least \(format(roundedUp(floor))) or a kernel with more numerical range"
        throw EngineError(.infeasibleEps, message)
    }

    /// The smallest feasible eps: (1/K) sum_{d_k = 0} z_0[k]^2, the loss no c > 0 gets below.
    private static func feasibilityLimit(_ spectrum: Spectrum) -> Double {
        let k = Double(spectrum.count)
        var floor = 0.0
        for (d, z) in zip(spectrum.eigenvalues, spectrum.z0) where d == 0 { floor += z * z / k }
        return floor
    }

    /// Four significant digits, for messages.
    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    /// `value` rounded up to two significant digits and nudged above it: a feasible eps to suggest.
    private static func roundedUp(_ value: Double) -> Double {
        let unit = pow(10, (log10(value)).rounded(.down) - 1)
        return ((value * (1 + 1e-9)) / unit).rounded(.up) * unit
    }

    /// The first pair of identical training points, in O(K) by hashing their coordinates.
    private static func duplicatePair(_ points: Points) -> (Int, Int)? {
        var seen = [[Double]: Int]()
        for j in 0..<points.count {
            let point = Array(points[j])
            if let i = seen[point] { return (i, j) }
            seen[point] = j
        }
        return nil
    }
}

/// Rounds computed ahead of `Distillation.next()`: their c_t and their predictions at the
/// held-out and grid points, column-major (points) x rounds.
private struct Lookahead: Sendable {
    /// How many rounds a block holds: enough to make the pass over V or the reflectors one
    /// matrix product, few enough that a run stopped early wastes little.
    static let rounds = 32

    let start: Int
    let c: [Double]
    let test: [Double]?
    let truth: [Double]?

    /// Whether the block holds round t with this c_t (bit for bit).
    func holds(t: Int, c: Double) -> Bool {
        (start..<start + self.c.count).contains(t) && self.c[t - start].bitPattern == c.bitPattern
    }

    func predictions(t: Int) -> (test: [Double]?, truth: [Double]?) {
        let column = t - start
        func slice(_ block: [Double]?) -> [Double]? {
            block.map { block in
                let rows = block.count / c.count
                return Array(block[(column * rows)..<((column + 1) * rows)])
            }
        }
        return (slice(test), slice(truth))
    }
}
