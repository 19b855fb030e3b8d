import Foundation
import SDEngine

/// Wall-clock seconds of one engine run, split at the stages `KernelProblem` reports and
/// between the problem and the rounds, so that a slow run shows where its time beyond the
/// eigendecomposition goes.
struct RunTiming: Codable {
    /// Kernel.gram: K^2 / 2 kernel evaluations.
    var gram: Double
    /// Spectrum.init: the LAPACK call plus reversing the columns and z_0 = V^T y.
    var spectrum: Double
    /// Kernel.matrix for the 1000 x K test kernel rows, up to the end of KernelProblem.init.
    var testKernel: Double
    /// Distillation.init on the problem (O(K)) and all rounds: two gemv per round (V w, then
    /// the test rows times a_t) plus O(K) work.
    var rounds: Double
    /// Everything from calling KernelProblem.init to the last next(), validation included.
    var total: Double

    /// Times one run of `problem` with `driver`; fails unless all rounds ran.
    static func measure(_ problem: SyntheticProblem, driver: EigenDriver) throws -> RunTiming {
        var gramStart, eigenStart, testStart: UInt64?
        let start = Stopwatch.now()
        let kernelProblem = try problem.kernelProblem(driver: driver) { stage in
            switch stage {
            case .gram: gramStart = Stopwatch.now()
            case .eigendecomposition, .tridiagonalReduction: eigenStart = Stopwatch.now()
            case .predictionKernels: testStart = Stopwatch.now()
            case .lowRankFactorization, .progress: break
            }
        }
        let roundsStart = Stopwatch.now()
        var distillation = try problem.distillation(on: kernelProblem)
        var rounds = 0
        while distillation.next() != nil { rounds += 1 }
        let end = Stopwatch.now()
        guard rounds == SyntheticProblem.rounds else {
            throw BenchmarkError("K = \(problem.size): \(rounds) rounds ran instead of \(SyntheticProblem.rounds)")
        }
        guard let gram = gramStart, let eigen = eigenStart, let test = testStart else {
            throw BenchmarkError("KernelProblem did not report all set-up stages")
        }
        return RunTiming(
            gram: Stopwatch.seconds(gram, eigen), spectrum: Stopwatch.seconds(eigen, test),
            testKernel: Stopwatch.seconds(test, roundsStart), rounds: Stopwatch.seconds(roundsStart, end),
            total: Stopwatch.seconds(start, end))
    }

    /// The repetition with the median total, kept whole so its stages add up.
    static func median(_ timings: [RunTiming]) -> RunTiming {
        timings.sorted { $0.total < $1.total }[timings.count / 2]
    }
}

/// A monotonic clock and the bare LAPACK baseline.
enum Stopwatch {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func seconds(_ start: UInt64, _ end: UInt64) -> Double { Double(end - start) / 1e9 }

    /// Seconds of `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return seconds(start, now())
    }

    /// Seconds of one `Lapack.symmetricEigen` of the n x n `matrix`. The copy it consumes is
    /// made (and its pages touched) before the clock starts, so only LAPACK is timed,
    /// including its workspace allocation, as it is inside a run.
    static func bareEigen(_ matrix: [Double], n: Int, driver: EigenDriver) throws -> Double {
        var copy = matrix
        copy.withUnsafeMutableBufferPointer { _ in }  // forces the copy-on-write copy now
        return try time { _ = try Lapack.symmetricEigen(&copy, n: n, driver: driver) }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
