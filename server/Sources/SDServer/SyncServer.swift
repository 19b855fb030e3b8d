import Hummingbird
import Logging
import NIOCore
import SDStore

/// The collection server: the routes of sdtrack's sync protocol (v1) over one store, behind bearer
/// tokens and request limits. `run` serves until the task is cancelled, or (with signal handling) until
/// SIGINT or SIGTERM, then finishes the requests under way.
public struct SyncServer: Sendable {
    public let store: RunStore
    public let address: ListenAddress
    public let limits: ServerLimits
    /// The database's server id, made on first use: clients key their acknowledgements by it.
    public let serverID: String
    let logger: Logger

    /// A server for `store`, making its server id if it has none. Listening on a non-loopback address
    /// is the caller's decision (`sdtrack-server serve` asks for a flag: there is no TLS here).
    public init(
        store: RunStore, address: ListenAddress = .default, limits: ServerLimits = ServerLimits(),
        logger: Logger? = nil
    ) throws(StoreError) {
        self.store = store
        self.address = address
        self.limits = limits
        self.logger = logger ?? Self.quietLogger
        serverID = try store.serverID()
    }

    /// Warnings and errors only: Hummingbird says at the info level what `onRunning` reports.
    static var quietLogger: Logger {
        var logger = Logger(label: "sdtrack-server")
        logger.logLevel = .warning
        return logger
    }

    /// Serves until cancelled (or signalled, with `handlingSignals`). `onRunning` is told the address
    /// actually bound (with the port the system chose for port 0) once connections are accepted.
    public func run(
        handlingSignals: Bool = false, onRunning: @escaping @Sendable (ListenAddress) async -> Void = { _ in }
    ) async throws {
        let application = Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress
                await onRunning(
                    ListenAddress(host: bound?.ipAddress ?? address.host, port: bound?.port ?? address.port))
            },
            logger: logger)
        if handlingSignals {
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } else {
            try await application.runService(gracefulShutdownSignals: [])
        }
    }

    /// The routes, each behind the token scope it needs: the API under /v1, the dashboard's pages
    /// (`DashboardRoutes`) elsewhere.
    func router() -> Router<BasicRequestContext> {
        let server = ServerContext(
            store: store, executor: StoreExecutor(path: store.path, logger: logger), limits: limits,
            serverID: serverID)
        let authenticator = TokenAuthenticator(store: store, executor: server.executor)
        let pushes = PushLimiter(limit: limits.maxConcurrentPushes)
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        router.get("/v1/health") { _, _ in InfoRoutes.health() }
        router.group("/v1").add(middleware: AuthMiddleware(authenticator: authenticator, scope: nil))
            .get("info") { _, _ in InfoRoutes.info(server) }
        router.group("/v1").add(middleware: AuthMiddleware(authenticator: authenticator, scope: .read))
            .get("runs") { request, _ in try await ReadRoutes.list(server, request) }
            .get("runs/{id}") { _, context in
                try await ReadRoutes.show(server, id: try context.parameters.require("id"))
            }
            .post("runs:check") { request, _ in try await pushes.run { try await ReadRoutes.check(server, request) } }
            .get("best-rounds") { request, _ in try await ReadRoutes.bestRounds(server, request) }
            .get("curve") { request, _ in try await ReadRoutes.curve(server, request) }
        router.group("/v1").add(middleware: AuthMiddleware(authenticator: authenticator, scope: .push))
            .post("runs") { request, _ in try await pushes.run { try await PushRoutes.push(server, request) } }
            .put("runs/{id}") { request, context in
                let id = try context.parameters.require("id")
                return try await pushes.run { try await PushRoutes.put(server, request, id: id) }
            }
            .delete("runs/{id}") { _, context in
                try await PushRoutes.delete(server, id: try context.parameters.require("id"))
            }
        DashboardRoutes(server: server, authenticator: authenticator, sessions: DashboardSessions()).add(to: router)
        return router
    }
}
