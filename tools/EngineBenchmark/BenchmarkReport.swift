import Foundation
import SDEngine

/// Everything the benchmark measured, with the issue's limits, as text tables or JSON.
struct BenchmarkReport: Codable {
    /// A run may take at most this multiple of one bare eigendecomposition (issue, K = 2000).
    static let timeRatioLimit = 1.3
    static let timeRatioSize = 2000
    /// A run's peak extra memory may be at most this many K^2 doubles.
    static let memoryLimit = 3.0

    struct SizeResult: Codable {
        var size: Int
        var repetitions: Int
        /// Median seconds of one bare Lapack.symmetricEigen, by driver name.
        var bareSeconds: [String: Double]
        /// The median run, by driver name.
        var run: [String: RunTiming]
        /// The median over repetitions of run / bare, each taken from a bare call and the
        /// run right after it: the machine's speed drifts by 10-20% over seconds on this VM,
        /// and pairing cancels most of that, unlike a ratio of two separate medians.
        var ratios: [String: Double]
        var memory: [MemoryProbe.Result]

        func ratio(_ driver: EigenDriver) -> Double { ratios[driver.rawValue]! }
    }

    struct ThreadComparison: Codable {
        var size: Int
        var repetitions: Int
        /// Median seconds of one bare eigendecomposition, by driver name, then thread count.
        var bareSeconds: [String: [String: Double]]
        /// Median seconds of one run, by driver name, then thread count.
        var runSeconds: [String: [String: Double]]
        /// Median of paired run / bare ratios, by driver name, then thread count.
        var ratios: [String: [String: Double]]
    }

    var description: String
    var machineLoad: MachineLoad
    var threads: Int
    var defaultDriver: String
    var sizes: [SizeResult]
    var threadComparison: ThreadComparison?

    var defaultEigenDriver: EigenDriver { EigenDriver(rawValue: defaultDriver)! }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        var lines = [description]
        lines.append(
            "Other processes used \(fixed(machineLoad.otherProcessesCPUSeconds, digits: 1)) CPU s in "
                + "\(fixed(machineLoad.wallSeconds, digits: 1)) s "
                + "= \(fixed(100 * machineLoad.otherShare, digits: 1))% of the \(machineLoad.cores) cores"
                + (machineLoad.otherShare > 0.05 ? ": the machine was shared, times are inflated and noisier" : ""))
        lines.append("")
        let drivers = EigenDriver.allCases.map(\.rawValue)
        lines.append(
            "Time of one run vs one bare eigendecomposition of the same G (seconds, median; run/bare: median of "
                + "paired ratios)"
        )
        var timeRows = [
            ["K", "reps"] + drivers.map { "bare \($0)" } + drivers.map { "run \($0)" }
                + drivers.map { "run/bare \($0)" }
        ]
        for result in sizes {
            timeRows.append(
                ["\(result.size)", "\(result.repetitions)"]
                    + drivers.map { fixed(result.bareSeconds[$0]!) } + drivers.map { fixed(result.run[$0]!.total) }
                    + EigenDriver.allCases.map { fixed(result.ratio($0), digits: 2) })
        }
        lines += table(timeRows)
        if let result = sizes.first(where: { $0.size == Self.timeRatioSize }) {
            let ratio = result.ratio(defaultEigenDriver)
            lines.append(
                "Run/bare at K = \(Self.timeRatioSize) with the engine default \(defaultDriver): "
                    + "\(fixed(ratio, digits: 3)) "
                    + "(limit \(Self.timeRatioLimit)): \(ratio <= Self.timeRatioLimit ? "PASS" : "FAIL")")
        }

        lines += ["", "Where a run's time goes (seconds, the median run; LAPACK = bare time of the same driver)"]
        // total - spectrum is the run's cost outside Spectrum.init, timed without LAPACK's noise.
        var stageRows = [
            [
                "K", "driver", "gram", "spectrum", "LAPACK", "spectrum-LAPACK", "test rows", "30 rounds", "total",
                "total-spectrum", "(total-spectrum)/LAPACK",
            ]
        ]
        for result in sizes {
            for driver in drivers {
                let run = result.run[driver]!, bare = result.bareSeconds[driver]!
                stageRows.append([
                    "\(result.size)", driver, fixed(run.gram), fixed(run.spectrum), fixed(bare),
                    fixed(run.spectrum - bare), fixed(run.testKernel), fixed(run.rounds), fixed(run.total),
                    fixed(run.total - run.spectrum), fixed((run.total - run.spectrum) / bare, digits: 3),
                ])
            }
        }
        lines += table(stageRows)

        lines += [
            "", "Peak memory of one run in a fresh child process: peak resident set minus the resident set just before",
            "the run, in K^2 doubles. The first run includes OpenBLAS's packing buffers; the second, in the same "
                + "process, does not.",
        ]
        var memoryRows = [
            [
                "K", "driver", "K^2 doubles MiB", "first run MiB", "first / K^2", "<= \(Self.memoryLimit)",
                "second run MiB", "second / K^2", "<= \(Self.memoryLimit)",
            ]
        ]
        for result in sizes {
            for memory in result.memory {
                var cells = [
                    "\(result.size)", memory.driver,
                    fixed(8 * Double(result.size * result.size) / 1_048_576, digits: 1),
                ]
                for peak in [memory.firstRun, memory.secondRun] {
                    cells += [
                        fixed(Double(peak.extraBytes) / 1_048_576, digits: 1),
                        fixed(peak.squaredSizeDoubles, digits: 3),
                        peak.squaredSizeDoubles <= Self.memoryLimit ? "PASS" : "FAIL",
                    ]
                }
                memoryRows.append(cells + (memory.peakWasReset ? [] : ["(lifetime peaks: reset failed)"]))
            }
        }
        lines += table(memoryRows)

        if let comparison = threadComparison {
            lines += [
                "",
                "OpenBLAS threads at K = \(comparison.size) (seconds, median of \(comparison.repetitions); "
                    + "run/bare: median of paired ratios)",
            ]
            var threadRows = [
                [
                    "driver", "bare 1 thread", "bare 2 threads", "faster bare", "run 1 thread", "run 2 threads",
                    "run/bare 1 thread", "run/bare 2 threads",
                ]
            ]
            for driver in drivers {
                let bare = comparison.bareSeconds[driver]!, run = comparison.runSeconds[driver]!
                let (one, two) = (bare["1"]!, bare["2"]!)
                threadRows.append([
                    driver, fixed(one), fixed(two),
                    one <= two ? "1 by \(fixed(two / one, digits: 2))x" : "2 by \(fixed(one / two, digits: 2))x",
                    fixed(run["1"]!), fixed(run["2"]!),
                    fixed(comparison.ratios[driver]!["1"]!, digits: 2),
                    fixed(comparison.ratios[driver]!["2"]!, digits: 2),
                ])
            }
            lines += table(threadRows)
        }
        return lines.joined(separator: "\n")
    }

    /// Right-aligns every column to its widest cell.
    private func table(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max()! }
        return rows.map { cells in
            cells.enumerated().map { String(repeating: " ", count: widths[$0] - $1.count) + $1 }.joined(separator: "  ")
        }
    }

    private func fixed(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }
}
