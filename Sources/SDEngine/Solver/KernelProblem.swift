import Foundation

/// The stages of building a `KernelProblem` (and so of setting up a run), reported to a
/// progress callback.
public enum DistillationStage: Sendable {
    case gram(points: Int)
    case eigendecomposition(points: Int)
    case tridiagonalReduction(points: Int)
    case lowRankFactorization(points: Int)
    case predictionKernels(points: Int)
    /// How far the current stage has come, for stages that can tell (0 to 1, never falling).
    case progress(fraction: Double)
}

/// Which solver path a problem uses: one of them, or `auto`, which takes the fastest that is
/// exact to the same tolerance (docs/math.md section 8).
public enum SolverChoice: String, CaseIterable, Sendable {
    case auto, tridiagonal, eigenvectors
    case lowRank = "low-rank"
}

/// A data set and a kernel, decomposed once: the spectrum of the scaled Gram matrix
/// G[j,k] = g(x_j, x_k) / K with the labels' coefficients z_0 (`spectrum`, on one of the
/// solver paths of docs/math.md section 8), and the rows that predict at the held-out points
/// and on the truth grid. Nothing here depends on how c_t is chosen, so any number of
/// `Distillation`s (eps values, eps-rel, fixed c, round caps) reuse one problem without
/// decomposing again.
///
/// Memory, kept: the tridiagonal path's reflectors (K^2 doubles; the eigenvectors path's V,
/// the same), or the low-rank path's K x (r + 1) vectors; and the (test + grid) x K kernel rows
/// (x (r + 1) on the low-rank path). Building a dense problem peaks at about 1 K^2 doubles on
/// the tridiagonal path, 2 K^2 with dsyevr and 3 K^2 with dsyevd (G itself is consumed, see
/// `Spectrum`). A problem is a value whose arrays are never mutated, so copies of it (every
/// `Distillation` keeps one) share its storage copy-on-write and copy no array.
///
/// Precision: the eigensolvers are backward stable, so the eigenvalues are accurate to about
/// machine epsilon * d_1 in absolute terms; those at or below `spectrum.zeroTolerance` are
/// exactly 0. The kernel rows are exact up to the kernel's own rounding (a few ulps). The same
/// inputs, OpenBLAS core and thread count give bit-for-bit the same problem.
public struct KernelProblem: Sendable {
    /// The data set, validated: at least two training points.
    public let dataset: Dataset
    /// The kernel, validated: every parameter in its domain (`Kernel.validate()`).
    public let kernel: Kernel
    /// The LAPACK driver that decomposes G on the eigenvectors path.
    public let eigenDriver: EigenDriver
    public let spectrum: Spectrum
    /// g(x, x_k) / K at the held-out points: column-major (test count) x K, which predict from
    /// coefficients a_t; on the low-rank path the Nystrom rows, (test count) x (r + 1), which
    /// predict from spectral coefficients. nil without a test set.
    let testKernel: [Double]?
    /// The same on the truth grid; nil without a truth grid.
    let truthKernel: [Double]?

    /// Validates `kernel` and `dataset` (both before any work), decomposes G on the `solver`
    /// path (O(K^3) on the dense paths, O(K r^2) on the low-rank one: the expensive step) and
    /// evaluates the held-out and grid kernel rows, reporting each stage to `progress` as it
    /// starts. `auto` tries the low-rank path from `lowRankMinimumPoints` points on, with a rank
    /// of at most K / 8, and otherwise takes the tridiagonal path. Throws .invalidParameter for
    /// a kernel parameter outside its domain, .invalidData for fewer than two training points or
    /// a dense problem too large for memory, and .numerical when LAPACK fails or a forced
    /// low-rank factorisation does not reach its tolerance.
    public init(
        dataset: Dataset, kernel: Kernel, solver: SolverChoice = .auto, eigenDriver: EigenDriver = .dsyevr,
        progress: (DistillationStage) -> Void = { _ in }
    ) throws(EngineError) {
        try kernel.validate()
        let dataset = try dataset.validated()
        let train = dataset.train
        let k = train.count
        let scale = 1 / Double(k)
        var lowRank: LowRankSpectrum?
        var gaveUp: PivotedCholesky.GiveUp?
        if solver == .lowRank || (solver == .auto && k >= Self.lowRankMinimumPoints) {
            let forced = solver == .lowRank
            progress(.lowRankFactorization(points: k))
            let outcome = try PivotedCholesky.factorize(
                train.points, kernel: kernel, scale: scale,
                maxRank: Self.lowRankMaximum(points: k, forced: forced), givesUpEarly: !forced
            ) { progress(.progress(fraction: $0.fraction)) }
            switch outcome {
            case .converged(let factorization):
                lowRank = try LowRankSpectrum(factorization: factorization, labels: train.targets)
            case .gaveUp(let giveUp) where forced:
                throw EngineError(
                    .numerical,
                    "the \(kernel.name) kernel's numerical rank on these \(k) points exceeds \(giveUp.columns) (the "
                        + "discarded trace is still \(Distillation.format(giveUp.discardedTrace)), above "
                        + "\(Distillation.format(giveUp.target))); use --solver tridiagonal")
            case .gaveUp(let giveUp):
                gaveUp = giveUp
            }
        }
        let spectrum: Spectrum
        if let lowRank {
            spectrum = Spectrum(lowRank: lowRank)
        } else {
            let dense: SolverChoice = solver == .eigenvectors ? .eigenvectors : .tridiagonal
            do {
                try Self.checkMemory(for: dataset, solver: dense, driver: eigenDriver)
            } catch {
                guard let gaveUp else { throw error }
                throw EngineError(
                    error.code,
                    error.message + " (the low-rank path gave up after \(gaveUp.columns) columns: the "
                        + "\(kernel.name) kernel's numerical rank on these points is too high for it)")
            }
            progress(.gram(points: k))
            let gram = kernel.gram(train.points, scale: scale) { progress(.progress(fraction: $0)) }
            try Self.checkFinite(gram, kernel: kernel, what: "Gram matrix")
            if dense == .eigenvectors {
                progress(.eigendecomposition(points: k))
                spectrum = try Spectrum(gram: gram, labels: train.targets, driver: eigenDriver)
            } else {
                progress(.tridiagonalReduction(points: k))
                spectrum = try Spectrum(tridiagonalizing: gram, labels: train.targets)
            }
        }
        guard spectrum.eigenvalues.allSatisfy(\.isFinite), spectrum.z0.allSatisfy(\.isFinite) else {
            throw EngineError(
                .numerical,
                "the eigendecomposition of the \(kernel.name) Gram matrix is beyond double range; rescale the data "
                    + "(--standardize)")
        }
        if dataset.test != nil || dataset.truth != nil { progress(.predictionKernels(points: k)) }
        // Low rank: Nystrom rows in spectral coordinates, m x (r + 1) with 0 for the null direction.
        // The held-out rows report their progress; the truth grid's (at most a few hundred) do not.
        func rows(_ points: Points, reporting: Bool = false) -> [Double] {
            guard let lowRank else {
                return kernel.matrix(rows: points, columns: train.points, scale: scale) {
                    if reporting { progress(.progress(fraction: $0)) }
                }
            }
            let nullColumn = spectrum.eigenvalues.count > lowRank.rank ? points.count : 0
            return lowRank.predictionMatrix(at: points) + [Double](repeating: 0, count: nullColumn)
        }
        self.testKernel = dataset.test.map { rows($0.points, reporting: true) }
        self.truthKernel = dataset.truth.map { rows($0.points) }
        if let testKernel { try Self.checkFinite(testKernel, kernel: kernel, what: "held-out kernel rows") }
        if let truthKernel { try Self.checkFinite(truthKernel, kernel: kernel, what: "truth grid's kernel rows") }
        self.dataset = dataset
        self.kernel = kernel
        self.eigenDriver = eigenDriver
        self.spectrum = spectrum
    }

    /// From how many training points `auto` tries the low-rank path: below it a dense
    /// decomposition takes a tenth of a second or less.
    public static let lowRankMinimumPoints = 1000

    /// The largest rank the low-rank path may reach: K / 8 for `auto` (beyond it the dense path
    /// is about as fast), K when forced, and never more than a quarter of this machine's memory
    /// for the factor and its SVD (3 K r doubles).
    static func lowRankMaximum(points k: Int, forced: Bool) -> Int {
        let byMemory = Int(0.25 * (physicalMemory ?? 8e9) / (24 * Double(k)))
        return max(1, min(forced ? k : k / 8, byMemory))
    }

    /// Kernel values overflow for large features (x . x' beyond 1.8e308 in linear, polynomial
    /// and NTK kernels, from |x| near 1e154): say so before LAPACK sees them.
    private static func checkFinite(_ values: [Double], kernel: Kernel, what: String) throws(EngineError) {
        guard values.contains(where: { !$0.isFinite }) else { return }
        throw EngineError(
            .numerical,
            "the \(kernel.name) kernel's \(what) overflowed (a value beyond double range, from features too large "
                + "for it); standardize the features (--standardize) or rescale them")
    }

    /// How many K x K matrices of doubles the dense paths hold at their peak: 1 for the
    /// tridiagonal reduction (G, overwritten by its reflectors), 2 for dsyevr, 3 for dsyevd.
    static func denseMatrices(_ solver: SolverChoice, driver: EigenDriver) -> Double {
        solver == .eigenvectors ? (driver == .dsyevr ? 2 : 3) : 1
    }

    /// The peak memory of building the problem of `dataset` on a dense path, in bytes: the
    /// decomposition (`denseMatrices` K^2 doubles) and the kernel rows of the held-out and grid
    /// points ((test + grid) x K doubles). An estimate within about 10% (tools/EngineBenchmark
    /// measures 2.0 to 2.4 K^2 for dsyevr).
    public static func peakBytes(
        of dataset: Dataset, solver: SolverChoice = .eigenvectors, driver: EigenDriver = .dsyevr
    ) -> Double {
        let k = Double(dataset.train.count)
        let rows = Double((dataset.test?.count ?? 0) + (dataset.truth?.count ?? 0))
        return 8 * (denseMatrices(solver, driver: driver) * k * k + rows * k + 16 * k)
    }

    /// Throws .invalidData, naming the memory needed and the machine's, when building the
    /// problem of `dataset` on a dense path would need more than 90% of this machine's memory:
    /// better an error up front than a process the kernel kills part way. `low-rank`, and `auto`
    /// from `lowRankMinimumPoints` on, pass: the factorisation caps its own memory, and `auto`
    /// checks again when the kernel's rank sends it to the dense path (a run's row then exists).
    public static func checkMemory(
        for dataset: Dataset, solver: SolverChoice = .auto, driver: EigenDriver = .dsyevr
    ) throws(EngineError) {
        let k = dataset.train.count
        guard solver == .tridiagonal || solver == .eigenvectors || (solver == .auto && k < lowRankMinimumPoints)
        else { return }
        let needed = peakBytes(of: dataset, solver: solver, driver: driver)
        guard let available = physicalMemory else { return }
        guard needed > 0.9 * available else { return }
        throw EngineError(
            .invalidData,
            "K = \(dataset.train.count) training points need about \(byteCount(needed)) of memory to decompose "
                + "(\(Int(denseMatrices(solver, driver: driver))) K^2 doubles and the kernel rows), and this machine "
                + "has \(byteCount(available)); use fewer points")
    }

    /// This machine's memory in bytes, nil where the system does not say.
    static var physicalMemory: Double? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && pageSize > 0 ? Double(pages) * Double(pageSize) : nil
    }

    private static func byteCount(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: unit == 0 ? "%.0f %@" : "%.1f %@", value, units[unit])
    }
}
