// engine-benchmark: is a self-distillation run as cheap as the eigendecomposition it rests on?
//
// The requirement: one run (K training points, 1000 test points, 30 rounds) takes at
// most 1.3x one bare LAPACK eigendecomposition of the same matrix at K = 2000, both timed in
// this process, and peaks at no more than 3 K^2 doubles. Build and run with
//
//     swift run -c release --static-swift-stdlib engine-benchmark [--sizes 500,1000] [--quick] [--json] [--threads N]
//
// Progress goes to stderr, the tables (or JSON) to stdout.

import CLapack
import Foundation
import SDEngine

func progress(_ message: String) {
    FileHandle.standardError.write(Data(("[engine-benchmark] " + message + "\n").utf8))
}

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data(("engine-benchmark: " + message + "\n").utf8))
    exit(status)
}

/// Times the bare eigendecomposition and the run with every driver at one size, interleaved
/// repetition by repetition so that drift in machine speed hits all four alike.
func measureTimes(_ problem: SyntheticProblem, repetitions: Int) throws
    -> (bare: [String: Double], run: [String: RunTiming], ratios: [String: Double])
{
    let gram = problem.scaledGram()
    var bare = [String: [Double]](), runs = [String: [RunTiming]](), ratios = [String: [Double]]()
    for repetition in 1...repetitions {
        for driver in EigenDriver.allCases {
            let bareSeconds = try Stopwatch.bareEigen(gram, n: problem.size, driver: driver)
            let run = try RunTiming.measure(problem, driver: driver)
            bare[driver.rawValue, default: []].append(bareSeconds)
            runs[driver.rawValue, default: []].append(run)
            ratios[driver.rawValue, default: []].append(run.total / bareSeconds)
            progress(
                String(
                    format: "K = %d, repetition %d/%d, %@: bare %.3f s, run %.3f s",
                    problem.size, repetition, repetitions, driver.rawValue, bareSeconds, run.total))
        }
    }
    return (bare.mapValues(Stopwatch.median), runs.mapValues(RunTiming.median), ratios.mapValues(Stopwatch.median))
}

/// Median seconds of one bare eigendecomposition and of one run with 1 and with 2 OpenBLAS
/// threads. The run is timed too because only LAPACK and the gemv calls use the threads:
/// the kernel rows are single-threaded Swift, so more threads can worsen run / bare.
func compareThreads(size: Int, repetitions: Int, restoring threads: Int) throws -> BenchmarkReport.ThreadComparison {
    let problem = SyntheticProblem(size: size)
    let gram = problem.scaledGram()
    var bare = [String: [String: [Double]]](), runs = [String: [String: [Double]]](),
        ratios = [String: [String: [Double]]]()
    defer { Lapack.setThreads(threads) }
    for repetition in 1...repetitions {
        for driver in EigenDriver.allCases {
            for count in [1, 2] {
                Lapack.setThreads(count)
                let bareSeconds = try Stopwatch.bareEigen(gram, n: size, driver: driver)
                let run = try RunTiming.measure(problem, driver: driver)
                bare[driver.rawValue, default: [:]][String(count), default: []].append(bareSeconds)
                runs[driver.rawValue, default: [:]][String(count), default: []].append(run.total)
                ratios[driver.rawValue, default: [:]][String(count), default: []].append(run.total / bareSeconds)
                progress(
                    String(
                        format: "threads: K = %d, repetition %d/%d, %@, %d thread(s): bare %.3f s, run %.3f s",
                        size, repetition, repetitions, driver.rawValue, count, bareSeconds, run.total))
            }
        }
    }
    return .init(
        size: size, repetitions: repetitions, bareSeconds: bare.mapValues { $0.mapValues(Stopwatch.median) },
        runSeconds: runs.mapValues { $0.mapValues(Stopwatch.median) },
        ratios: ratios.mapValues { $0.mapValues(Stopwatch.median) })
}

func runBenchmark(_ options: BenchmarkOptions) throws -> BenchmarkReport {
    let start = MachineLoad.Sample.now()
    Lapack.setThreads(options.threads)
    // Starts OpenBLAS's threads and pages in the code before anything is timed.
    _ = try SyntheticProblem(size: 200).run(driver: .dsyevd)
    _ = try SyntheticProblem(size: 200).run(driver: .dsyevr)

    var sizes = [BenchmarkReport.SizeResult]()
    for size in options.sizes {
        let problem = SyntheticProblem(size: size)
        let repetitions = options.repetitions(forSize: size)
        let (bare, run, ratios) = try measureTimes(problem, repetitions: repetitions)
        var memory = [MemoryProbe.Result]()
        for driver in EigenDriver.allCases {
            let result = try MemoryProbe.measure(.init(size: size, driver: driver, threads: options.threads))
            guard result.rounds == SyntheticProblem.rounds else {
                throw BenchmarkError("memory child K = \(size) \(driver.rawValue) ran \(result.rounds) rounds")
            }
            progress(
                String(
                    format: "K = %d, %@: peak extra %.3f K^2 doubles (first run), %.3f (second run)",
                    size, driver.rawValue, result.firstRun.squaredSizeDoubles, result.secondRun.squaredSizeDoubles))
            memory.append(result)
        }
        sizes.append(
            .init(size: size, repetitions: repetitions, bareSeconds: bare, run: run, ratios: ratios, memory: memory))
    }

    let threadSize = options.threadComparisonSize
    let comparison = try compareThreads(
        size: threadSize, repetitions: options.repetitions(forSize: threadSize),
        restoring: options.threads)

    let defaultDriver = DistillationSettings(kernel: .linear, mode: .fixedC(1)).eigenDriver
    let description = """
        engine-benchmark: K training points and \(SyntheticProblem.testCount) test points in \
        [0,1]^\(SyntheticProblem.dimension), \
        y = sum_j sin(2 pi x_j) + \(SyntheticProblem.noise) N(0,1); rbf kernel, gamma = 1/(2 median distance^2);
        fixed-c mode, c = \(SyntheticProblem.fixedC), \(SyntheticProblem.rounds) rounds; \
        OpenBLAS threads \(openblas_get_num_threads()) (of \(ProcessInfo.processInfo.activeProcessorCount) cores); \
        engine default driver \(defaultDriver.rawValue).
        """
    return BenchmarkReport(
        description: description, machineLoad: MachineLoad(from: start, to: .now()), threads: options.threads,
        defaultDriver: defaultDriver.rawValue, sizes: sizes, threadComparison: comparison)
}

let options: BenchmarkOptions
do {
    options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error.description, status: 2)
}

if let request = options.memoryChild {
    do { try MemoryProbe.runChild(request) } catch { fail("\(error)", status: 1) }
    exit(0)
}

do {
    let report = try runBenchmark(options)
    print(options.json ? try report.json() : report.text())
} catch {
    fail("\(error)", status: 1)
}
