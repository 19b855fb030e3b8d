import ArgumentParser
import Foundation
import Logging
import SDServer
import SDStore

/// `sdtrack-server serve`: listens until SIGINT or SIGTERM, then finishes the requests under way.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the database to sdtrack sync clients.",
        discussion: """
            Listens on 127.0.0.1:8337 unless told otherwise. The server speaks plain HTTP: to serve other \
            machines, put a TLS proxy in front of it (then --allow-plain-http-on-network lets it listen on \
            a non-loopback address). Clients need a token: sdtrack-server token create.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("The address to listen on; port 0 picks a free port.", valueName: "host:port"))
    var listen = ListenAddress.default.description

    @Flag(help: "Listen on a non-loopback address although the server has no TLS (behind a TLS proxy).")
    var allowPlainHttpOnNetwork = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "warning"

    @Option(
        help: ArgumentHelp("The largest request body, as sent and after gzip (default 32 MiB).", valueName: "bytes"))
    var maxRequestBytes = ServerLimits().maxRequestBytes

    @Option(help: ArgumentHelp("The most runs one push may carry.", valueName: "n"))
    var maxBatchItems = ServerLimits().maxBatchItems

    func validate() throws {
        do {
            _ = try ListenAddress(parsing: listen)
        } catch {
            throw ValidationError(error.description)
        }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level '\(logLevel)' is not a level") }
        guard (1024...(1 << 30)).contains(maxRequestBytes) else {
            throw ValidationError("--max-request-bytes must be 1024 ... 1073741824")
        }
        guard (1...100_000).contains(maxBatchItems) else {
            throw ValidationError("--max-batch-items must be 1 ... 100000")
        }
    }

    func run() async throws {
        let address = try ListenAddress(parsing: listen)
        guard address.isLoopback || allowPlainHttpOnNetwork else {
            FileHandle.standardError.write(
                Data(
                    ("Error: \(address.host) is not a loopback address and the server has no TLS; listen on 127.0.0.1 "
                        + "behind a TLS proxy, or pass --allow-plain-http-on-network\n").utf8))
            throw ExitCode.validationFailure
        }
        var logger = Logger(label: "sdtrack-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let store = try database.open(create: true)
        let server: SyncServer
        do {
            server = try SyncServer(
                store: store, address: address,
                limits: ServerLimits(
                    maxRequestBytes: maxRequestBytes, maxInflatedBytes: maxRequestBytes, maxBatchItems: maxBatchItems),
                logger: logger)
        } catch {
            throw CommandError(error.message)
        }
        let path = store.path, serverID = server.serverID
        try await server.run(handlingSignals: true) { bound in
            FileHandle.standardError.write(
                Data(
                    "sdtrack-server: listening on http://\(bound) (server id \(serverID), database \(path))\n".utf8))
        }
    }
}
