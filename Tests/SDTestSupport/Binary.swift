import Foundation

/// What one run of the built `sdtrack` binary (or another program) did.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// The decoded JSON object printed on standard output.
    public func jsonObject() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        guard let object = value as? [String: Any] else {
            throw TestSupportError("stdout is not a JSON object: \(stdout)")
        }
        return object
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The `sdtrack` executable beside the test bundle (SwiftPM builds both into one folder), or
/// $SDTRACK_BINARY, or the repository's debug build (for the server package's tests).
public func sdtrackBinary() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SDTRACK_BINARY"] { return URL(fileURLWithPath: path) }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = folder.appendingPathComponent("sdtrack")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        folder.deleteLastPathComponent()
    }
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let built = repository.appendingPathComponent(".build/debug/sdtrack")
    if FileManager.default.isExecutableFile(atPath: built.path) { return built }
    throw TestSupportError(
        "no sdtrack binary beside \(CommandLine.arguments[0]); run `swift build` first or set SDTRACK_BINARY")
}

/// Runs `sdtrack arguments...` to completion in a fresh folder.
public func sdtrack(_ arguments: String...) throws -> CommandResult {
    try sdtrack(arguments)
}

/// Runs `sdtrack` with `arguments` to completion in `directory`, or in a fresh folder that is
/// removed afterwards (so that the default ./sdtrack.db never lands in the repository).
/// $SDTRACK_DB is cleared unless `environment` sets it; the variables in `unset` are removed.
public func sdtrack(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    unset: [String] = [], prefix: [String] = [], binary: URL? = nil
) throws -> CommandResult {
    let process = try sdtrackProcess(
        arguments, in: directory, environment: environment, unset: unset, prefix: prefix, binary: binary)
    let scratch = directory == nil ? try temporaryFolder() : nil
    defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
    if let scratch { process.currentDirectoryURL = scratch }
    return try runToCompletion(process)
}

/// A configured, unstarted `sdtrack` process. `prefix` runs it through another program
/// (`setpriv --reuid=65534 ...`); `binary` replaces the built one (a copy elsewhere); the
/// variables in `unset` are removed from the environment it inherits.
public func sdtrackProcess(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    unset: [String] = [], prefix: [String] = [], binary: URL? = nil
) throws -> Process {
    let process = Process()
    let binary = try binary ?? sdtrackBinary()
    if let program = prefix.first {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(prefix.dropFirst()) + [binary.path] + arguments
    } else {
        process.executableURL = binary
        process.arguments = arguments
    }
    if let directory { process.currentDirectoryURL = directory }
    var variables = ProcessInfo.processInfo.environment
    variables["SDTRACK_DB"] = nil
    for name in unset { variables[name] = nil }
    variables.merge(environment) { $1 }
    process.environment = variables
    return process
}

/// Starts `process` and collects its output and exit status.
public func runToCompletion(_ process: Process) throws -> CommandResult {
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read standard error on another thread while standard output is read here, so that
    // neither pipe can fill and block the child.
    let errors = ErrorCollector(err.fileHandleForReading)
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.wait()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// Reads a file handle to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Runs `python3 arguments...` (found on PATH) to completion.
public func python(_ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    do {
        return try runToCompletion(process)
    } catch {
        throw TestSupportError("cannot start python3 through /usr/bin/env: \(error)")
    }
}

/// Fails with a message that says what to install when python3 or a module is missing
/// (tools/setup test installs them), so that Python-based checks cannot be skipped silently.
public func requirePython(modules: [String]) throws {
    let check = try python(["-c", "import " + modules.joined(separator: ", ")])
    if check.status != 0 {
        throw TestSupportError(
            "this test needs python3 with \(modules.joined(separator: ", ")) (tools/setup test installs them): "
                + "exit \(check.status): \(check.stderr)")
    }
}
