import Foundation

/// The `sdtrack-server` executable beside the test bundle (SwiftPM builds both into one folder).
func serverBinary() throws -> URL {
    let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("sdtrack-server")
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
        throw TestFailure("no sdtrack-server beside \(CommandLine.arguments[0]); run swift build first")
    }
    return url
}

struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `sdtrack-server arguments...` to completion.
func runServerBinary(_ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = try serverBinary()
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// `sdtrack-server serve` on a free loopback port, its port read from the line it prints on start.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let stderr: Pipe
    private let collected = NSMutableData()

    init(db: String) throws {
        process.executableURL = try serverBinary()
        process.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:0"]
        stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let handle = stderr.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        collected.append(line)
        guard text.hasPrefix("sdtrack-server: listening on http://127.0.0.1:"),
            let portText = text.split(separator: ":").dropFirst(3).first?.prefix(while: \.isNumber),
            let port = Int(portText)
        else {
            process.terminate()
            throw TestFailure("serve did not start: \(text)")
        }
        self.port = port
    }

    func stderrSoFar() -> String { String(decoding: collected as Data, as: UTF8.self) }

    /// SIGTERM, then waits for the graceful exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
