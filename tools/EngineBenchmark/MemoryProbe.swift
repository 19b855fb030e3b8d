import Foundation
import SDEngine

/// Peak memory of one engine run, measured in a fresh child process so that nothing the
/// benchmark allocated before (other sizes, the baseline's matrices, freed heap that
/// malloc keeps) hides in or inflates the number.
///
/// The child warms up (runtime, LAPACKE, OpenBLAS threads) on a small run, then runs the
/// problem twice. Before each run it resets the kernel's resident-set high-water mark and
/// reads its resident set; after it, the high-water mark minus that baseline is the memory
/// the run needed at its worst moment. The first run also pays for OpenBLAS's packing
/// buffers, which grow with K up to a fixed cap and then stay for the process's life; the
/// second run shows the engine's own arrays alone.
///
/// glibc's mmap threshold is pinned (through GLIBC_TUNABLES) so that every large array is
/// its own mapping, returned to the system when freed: otherwise malloc raises the
/// threshold after the first large free and keeps freed blocks in its heap, and the second
/// run would reuse resident pages of the first and look cheaper than it is.
enum MemoryProbe {
    struct Request {
        var size: Int
        var driver: EigenDriver
        var threads: Int

        var arguments: [String] { ["--memory-child", String(size), driver.rawValue, String(threads)] }
    }

    /// What the child prints, one JSON line on stdout.
    struct Result: Codable {
        var size: Int
        var driver: String
        var rounds: Int
        /// The first run in the process, OpenBLAS's buffers included.
        var firstRun: Peak
        /// A second run of the same problem in the same process.
        var secondRun: Peak
        /// Whether the high-water mark could be reset; if not, each peak is the process's
        /// lifetime peak so far, which still bounds the run's peak from above.
        var peakWasReset: Bool
    }

    struct Peak: Codable {
        var size: Int
        var baselineKiB: Int
        var peakKiB: Int

        var extraBytes: Int { (peakKiB - baselineKiB) * 1024 }
        /// The run's peak extra memory in units of K^2 doubles.
        var squaredSizeDoubles: Double { Double(extraBytes) / (8 * Double(size) * Double(size)) }
    }

    /// Pins malloc's mmap and trim thresholds at glibc's default initial 128 KiB.
    static let mallocTunables = "glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072"

    // MARK: Parent side

    /// Re-executes this binary in child mode and decodes its report.
    static func measure(_ request: Request) throws -> Result {
        let child = Process()
        child.executableURL = URL(
            fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = request.arguments
        child.environment = ProcessInfo.processInfo.environment.merging(["GLIBC_TUNABLES": mallocTunables]) {
            _, pinned in pinned
        }
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            throw BenchmarkError(
                "memory child \(request.arguments.joined(separator: " ")) exited with status \(child.terminationStatus)"
            )
        }
        return try JSONDecoder().decode(Result.self, from: data)
    }

    // MARK: Child side

    /// Runs in the child: measures one run and prints the `Result` as JSON.
    static func runChild(_ request: Request) throws {
        Lapack.setThreads(request.threads)
        let problem = SyntheticProblem(size: request.size)
        // A small run first allocates everything whose size does not depend on K: OpenBLAS
        // buffers, LAPACKE and runtime state.
        _ = try SyntheticProblem(size: 64).run(driver: request.driver)
        var peakWasReset = true
        var rounds = [Int](), peaks = [Peak]()
        for _ in 1...2 {
            peakWasReset = resetPeak() && peakWasReset
            let baseline = try statusKiB("VmRSS")
            rounds.append(try problem.run(driver: request.driver))
            peaks.append(Peak(size: request.size, baselineKiB: baseline, peakKiB: try statusKiB("VmHWM")))
        }
        let result = Result(
            size: request.size, driver: request.driver.rawValue, rounds: rounds.min()!,
            firstRun: peaks[0], secondRun: peaks[1], peakWasReset: peakWasReset)
        let json = try JSONEncoder().encode(result)
        FileHandle.standardOutput.write(json)
    }

    /// Resets VmHWM to the current resident set (Linux >= 4.0: write 5 to clear_refs).
    private static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// A "Name:  1234 kB" field of /proc/self/status, in KiB.
    private static func statusKiB(_ field: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            if let value = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap({ Int($0) }) {
                return value
            }
        }
        throw BenchmarkError("/proc/self/status has no \(field) field")
    }
}
