import Foundation

/// What one run of the built `sdtrack` binary did.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String

    /// The decoded JSON object printed on standard output.
    func jsonObject() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        guard let object = value as? [String: Any] else { throw CLITestError("stdout is not a JSON object: \(stdout)") }
        return object
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The `sdtrack` executable next to the test bundle (SwiftPM builds both into one folder),
/// or $SDTRACK_BINARY.
func sdtrackBinary() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SDTRACK_BINARY"] { return URL(fileURLWithPath: path) }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0 ..< 4 {
        let candidate = folder.appendingPathComponent("sdtrack")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        folder.deleteLastPathComponent()
    }
    throw CLITestError("no sdtrack binary beside \(CommandLine.arguments[0]); run `swift build` first or set SDTRACK_BINARY")
}

/// Runs `sdtrack arguments...` to completion.
func sdtrack(_ arguments: String...) throws -> CommandResult {
    try sdtrack(arguments)
}

/// Runs `sdtrack` with `arguments` to completion in `directory`, or in a fresh folder that is
/// removed afterwards (so that the default ./sdtrack.db never lands in the repository).
/// $SDTRACK_DB is cleared unless `environment` sets it.
func sdtrack(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    let process = try sdtrackProcess(arguments, in: directory, environment: environment)
    let scratch = directory == nil ? try temporaryFolder() : nil
    defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
    if let scratch { process.currentDirectoryURL = scratch }
    return try runToCompletion(process)
}

/// Starts `process` and collects its output and exit status.
func runToCompletion(_ process: Process) throws -> CommandResult {
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so that a large output cannot fill the pipe and block the child
    // (standard error carries a few lines at most).
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
}

/// A configured, unstarted `sdtrack` process.
func sdtrackProcess(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = try sdtrackBinary()
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var variables = ProcessInfo.processInfo.environment
    variables["SDTRACK_DB"] = nil
    variables.merge(environment) { $1 }
    process.environment = variables
    return process
}

/// A fresh temporary folder, removed by the caller.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sdtrack-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `name` in `folder` and returns the path.
@discardableResult
func write(_ text: String, to name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Runs `python3 arguments...` (found on PATH) to completion.
func python(_ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    do {
        return try runToCompletion(process)
    } catch {
        throw CLITestError("cannot start python3 through /usr/bin/env: \(error)")
    }
}

/// Fails with a message that says what to install when python3 or a module is missing
/// (tools/setup test installs numpy), so that Python-based checks cannot be skipped silently.
func requirePython(modules: [String]) throws {
    let check = try python(["-c", "import " + modules.joined(separator: ", ")])
    if check.status != 0 {
        throw CLITestError("this test needs python3 with \(modules.joined(separator: ", ")) (pip install numpy): exit \(check.status): \(check.stderr)")
    }
}

/// The repository root: this file is Tests/sdtrackTests/CLITestSupport.swift.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
