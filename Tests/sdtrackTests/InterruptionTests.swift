import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// SIGINT and SIGTERM end a recorded run as failed ("interrupted"), with exit 130 and 143.
@Suite struct InterruptionTests {
    @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")])
    func aSignalEndsTheRunFailedAndTheProcessWith128PlusIt(signal: Int32, name: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // K = 3000 on a dense path: the eigendecomposition takes a second or more, time to interrupt it.
        let process = try sdtrackProcess(
            ["run", "--db", "runs.db", "--data", "sine", "--n", "3000", "--solver", "tridiagonal"], in: folder)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var said = ""
        while !said.contains("eigendecomposition") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            said += String(decoding: data, as: UTF8.self)
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        said += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal, "\(said)")
        #expect(said.contains("interrupted by \(name): run "), "\(said)")
        let runs = try RunStore(path: folder.appendingPathComponent("runs.db").path, create: false).runs()
        #expect(runs.count == 1 && runs[0].status == .failed && runs[0].error == "interrupted by \(name)")
    }
}
