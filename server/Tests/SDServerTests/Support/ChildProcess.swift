import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The repository's root (the command line's package), four folders above this file's.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `sdtrack` command line the sync tests run: $SDTRACK_BINARY, else the root package's debug build.
func sdtrackBinary() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SDTRACK_BINARY"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    let url = repositoryRoot.appendingPathComponent(".build/debug/sdtrack")
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
        throw TestFailure("no \(url.path); run swift build --product sdtrack in \(repositoryRoot.path) first")
    }
    return url
}

/// A process the test started, its standard output and error going to files (no pipe to fill), waited for
/// without blocking a thread of the cooperative pool.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL
    private let lock = NSLock()
    private var exited = false
    private var waiters = [CheckedContinuation<Void, Never>]()

    init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, folder: URL) throws {
        let name = UUID().uuidString
        stdoutURL = folder.appendingPathComponent("\(name).out")
        stderrURL = folder.appendingPathComponent("\(name).err")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.terminationHandler = { [weak self] _ in self?.markExited() }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { lock.withLock { !exited } }

    private func markExited() {
        let waiting = lock.withLock {
            exited = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Sends `signal` if the process has not exited.
    func signal(_ signal: Int32) {
        lock.withLock {
            if !exited { _ = kill(process.processIdentifier, signal) }
        }
    }

    func waitForExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lock.withLock {
                if exited { return true }
                waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    func stdoutSoFar() -> String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    func stderrSoFar() -> String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits for the exit; its status (128 + N for a signal N, as a shell says) and output.
    func result() async -> CommandResult {
        await waitForExit()
        let status =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CommandResult(status: status, stdout: stdoutSoFar(), stderr: stderrSoFar())
    }

    /// Waits until standard output holds a line starting with `prefix`, and returns that line.
    func waitForLine(startingWith prefix: String, in stream: KeyPath<ChildProcess, URL>, seconds: Double = 20)
        async throws -> String
    {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = (try? String(contentsOf: self[keyPath: stream], encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            if !isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure(
            "\(process.executableURL?.lastPathComponent ?? "?") printed no line '\(prefix)...': "
                + stdoutSoFar() + stderrSoFar())
    }
}

/// Runs `executable arguments...` to its end.
func runChild(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, folder: URL)
    async throws -> CommandResult
{
    try await ChildProcess(executable, arguments, environment: environment, folder: folder).result()
}

/// A port free on 127.0.0.1 now (bound and released), for a server that must come back on the same port.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestFailure("bind: \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// `sdtrack-server serve` as a process of its own, its log in a file: on a free port, or on `port` (to come
/// back where a killed one was).
final class ServerProcess: @unchecked Sendable {
    let child: ChildProcess
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    init(db: String, port: Int = 0, folder: URL, options: [String] = []) async throws {
        child = try ChildProcess(
            try serverBinary(), ["serve", "--db", db, "--listen", "127.0.0.1:\(port)"] + options, folder: folder)
        let prefix = "sdtrack-server: listening on http://127.0.0.1:"
        let line = try await child.waitForLine(startingWith: prefix, in: \.stderrURL)
        guard let bound = Int(line.dropFirst(prefix.count).prefix(while: \.isNumber)) else {
            child.signal(SIGKILL)
            throw TestFailure("serve did not say its port: \(line)")
        }
        self.port = bound
    }

    /// SIGTERM, then waits for the exit.
    func stop() async {
        child.signal(SIGTERM)
        await child.waitForExit()
    }

    /// SIGKILL, then waits for the exit.
    func kill() async {
        child.signal(SIGKILL)
        await child.waitForExit()
    }
}
