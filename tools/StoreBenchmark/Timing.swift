import Foundation

/// Wall-clock timing helpers.
enum Timing {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Median wall time of running `arguments` as a process `repetitions` times, output
    /// discarded. posix_spawn and waitpid directly: Foundation's Process adds tens of
    /// milliseconds of its own on Linux.
    static func process(_ executable: String, _ arguments: [String], repetitions: Int) throws -> Double {
        var times = [Double]()
        for _ in 0..<repetitions {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid = pid_t(), status: Int32 = 0
            times.append(
                try seconds {
                    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
                        throw BenchmarkError("cannot start \(executable)")
                    }
                    waitpid(pid, &status, 0)
                })
            guard status == 0 else {
                throw BenchmarkError("\(executable) \(arguments.joined(separator: " ")) exited with status \(status)")
            }
        }
        return median(times)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data(("[store-benchmark] " + message + "\n").utf8))
}

func temporaryDatabase(_ name: String) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-benchmark-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
}
