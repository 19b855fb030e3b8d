import Foundation

/// How much CPU other processes used while the benchmark ran. On a 2-core machine a
/// concurrent build steals a core and inflates every time here, so the report says so
/// instead of leaving the reader to guess why two runs disagree.
///
/// Busy time of the whole machine comes from /proc/stat, this process's own (and its
/// waited-for memory children's) from getrusage; the difference is everyone else's.
struct MachineLoad: Codable {
    var wallSeconds: Double
    var otherProcessesCPUSeconds: Double
    var cores: Int

    /// Other processes' CPU time as a fraction of the machine's capacity over the interval.
    var otherShare: Double { otherProcessesCPUSeconds / (wallSeconds * Double(cores)) }

    struct Sample {
        var wall: UInt64
        var machineBusySeconds: Double
        var ownCPUSeconds: Double

        static func now() -> Sample {
            Sample(
                wall: Stopwatch.now(), machineBusySeconds: MachineLoad.machineBusySeconds(),
                ownCPUSeconds: MachineLoad.ownCPUSeconds())
        }
    }

    init(from start: Sample, to end: Sample) {
        wallSeconds = Stopwatch.seconds(start.wall, end.wall)
        otherProcessesCPUSeconds = max(
            0, (end.machineBusySeconds - start.machineBusySeconds) - (end.ownCPUSeconds - start.ownCPUSeconds))
        cores = ProcessInfo.processInfo.activeProcessorCount
    }

    /// user + nice + system + irq + softirq + steal of the "cpu" line, in seconds
    /// (the kernel counts in USER_HZ = 100 ticks per second on Linux).
    fileprivate static func machineBusySeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return .nan }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return .nan }
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]  // skips idle and iowait
        return busy / 100
    }

    fileprivate static func ownCPUSeconds() -> Double {
        func seconds(_ who: __rusage_who) -> Double {
            var usage = rusage()
            getrusage(who.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        return seconds(RUSAGE_SELF) + seconds(RUSAGE_CHILDREN)
    }
}
