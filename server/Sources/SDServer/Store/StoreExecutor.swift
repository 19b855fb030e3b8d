import Dispatch
import Foundation
import Logging
import SDReports
import SDStore

/// Runs the store's calls, which are synchronous SQLite (a write may wait up to 30 s for another
/// process's lock), on threads of their own, never on the event loops that serve connections: a slow
/// write holds up its own request, not every other one. Their errors become HTTP errors here.
final class StoreExecutor: Sendable {
    private let queue = DispatchQueue(label: "sdtrack-server.store", qos: .userInitiated, attributes: .concurrent)
    /// The database's path, which messages to clients do not show.
    private let path: String
    private let logger: Logger

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws(ServerError) -> T {
        let result: Result<T, ServerError> = await withCheckedContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(self.serverError(error)))
                }
            }
        }
        return try result.get()
    }

    /// The HTTP error for a store's or a query's error. Messages of database failures name the
    /// server's files, so a client gets the code and the server's log gets the message.
    func serverError(_ error: any Error) -> ServerError {
        let served = Self.serverError(error, hiding: path)
        if served.status == .internalServerError {
            logger.error("store call failed", metadata: ["error": "\(String(describing: error))"])
        }
        return served
    }

    static func serverError(_ error: any Error, hiding path: String) -> ServerError {
        func shown(_ message: String) -> String {
            message.replacingOccurrences(of: path, with: "the server's database")
        }
        switch error {
        case let error as ServerError:
            return error
        case let error as StoreError:
            switch error.code {
            case .busy:
                return .busy("the database is busy; retry")
            case .unknownRun:
                return ServerError(.notFound, code: error.code.rawValue, "no such run on this server")
            case .ambiguousRun, .invalidTag, .invalidRecord, .conflict:
                return ServerError(.badRequest, code: error.code.rawValue, shown(error.message))
            default:
                return ServerError(
                    .internalServerError, code: error.code.rawValue, "the server's database failed (\(error.code))")
            }
        case let error as QueryError:
            switch error.code {
            case .unknownConfigKey, .unknownMetric:
                return ServerError(.badRequest, code: error.code.rawValue, shown(error.description))
            case .noRuns, .noGroups:
                return ServerError(.notFound, code: error.code.rawValue, shown(error.description))
            }
        default:
            return ServerError(.internalServerError, code: "internal", "the server failed to answer; see its log")
        }
    }
}
