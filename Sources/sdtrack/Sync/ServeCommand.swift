import ArgumentParser
import Foundation

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the collection server that sdtrack sync sends to (sdtrack-server).",
        discussion: """
            sdtrack serve --db team.db [--listen 127.0.0.1:8337] starts the server; \
            sdtrack serve token create --db team.db --name NAME --scope read,push makes a token. \
            The server is a program of its own (Hummingbird keeps it out of sdtrack's build): tools/setup serve \
            builds it beside sdtrack, or set SDTRACK_SERVER to its path. Everything after `serve` is its.
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "The server's arguments (sdtrack serve --help shows them).")
    var arguments: [String] = []

    func run() throws {
        let server = try Self.serverExecutable()
        let command = arguments.first == "token" ? arguments : ["serve"] + arguments
        let argv = ([server] + command).map { strdup($0) } + [nil]
        execv(server, argv)
        throw CLIError("cannot start \(server) (\(String(cString: strerror(errno))))")
    }

    /// $SDTRACK_SERVER, else sdtrack-server beside this executable, else on PATH.
    static func serverExecutable() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SDTRACK_SERVER"], !path.isEmpty { return path }
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates =
            [
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(
                    URL.init(fileURLWithPath:)), own,
            ]
            .compactMap { $0?.deletingLastPathComponent().appendingPathComponent("sdtrack-server").path }
            + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/sdtrack-server" }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw CLIError(
            "the server is not built; run tools/setup serve (it builds sdtrack-server beside sdtrack, about ten "
                + "minutes the first time), or set SDTRACK_SERVER to its path")
    }
}
