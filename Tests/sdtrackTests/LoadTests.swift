import Foundation
import SDJSON
import SDTestSupport
import Testing

@testable import SDStore

/// Under load, a reader sees the truth: 16 writer processes x 25 runs into one database while
/// `runs list` and `query best-rounds` loop. No command fails, and no listing shows any of
/// those runs as anything but running or finished (a finished run read as killed was a race
/// between reading its row and checking its process).
@Suite(.serialized) struct LoadTests {
    @Test func sixteenWritersWhileListingAndQuerying() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("load.db").path
        #expect(try sdtrack(["run", "--db", path, "--gamma", "80", "--eps", "0.01"]).status == 0)
        let failures = Failures()
        let writers = DispatchGroup()
        for worker in 0..<16 {
            writers.enter()
            Thread {
                defer { writers.leave() }
                for index in 0..<25 {
                    let eps = 0.002 * Double(1 + (worker * 25 + index) % 10)
                    guard let result = try? sdtrack(["run", "--db", path, "--eps", String(eps), "--gamma", "80"]),
                        result.status == 0
                    else {
                        failures.add("writer \(worker) run \(index) failed")
                        continue
                    }
                }
            }.start()
        }
        var listings = 0, queries = 0
        while writers.wait(timeout: .now()) == .timedOut {
            let list = try sdtrack(["runs", "list", "--db", path, "--limit", "0", "--json"])
            if list.status != 0 { failures.add("runs list: \(list.stderr)") }
            if case .array(let runs)? = JSONValue.parse(list.stdout)?["runs"] {
                for run in runs {
                    let status = run["status"]?.stringValue ?? "?"
                    if status != "running" && status != "finished" { failures.add("listed \(status)") }
                }
                listings += 1
            }
            let query = try sdtrack(["query", "best-rounds", "--db", path, "--json"])
            if query.status != 0 { failures.add("query best-rounds: \(query.stderr)") }
            queries += 1
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5)) of \(failures.all.count)")
        #expect(listings > 5 && queries > 5)
        let runs = try RunStore(path: path, create: false).runs()
        #expect(runs.count == 401 && runs.allSatisfy { $0.status == .finished })
    }
}
