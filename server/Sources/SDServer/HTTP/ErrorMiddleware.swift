import Hummingbird
import Logging

/// Turns every error into a `ServerError`, so that a client always gets the contract's JSON error
/// body: the router's 404 and 405, Hummingbird's own HTTP errors, and (as a 500 whose message says
/// nothing of the internals) anything unexpected, which is logged here without the request's headers.
///
/// `respond` says how the error reaches the client: thrown as it is, for its JSON body (the API),
/// or made into a response of its own (the dashboard's error pages).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let respond: @Sendable (ServerError) throws -> Response

    init(respond: @escaping @Sendable (ServerError) throws -> Response = { throw $0 }) {
        self.respond = respond
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try respond(Self.serverError(error, request: request, context: context))
        }
    }

    /// The `ServerError` for any error a route threw (logged when it is not one the server meant).
    static func serverError(_ error: any Error, request: Request, context: Context) -> ServerError {
        switch error {
        case let error as ServerError:
            return error
        case let error as HTTPError where error.status == .notFound:
            return ServerError(.notFound, code: "not_found", "no endpoint \(request.method) \(request.uri.path)")
        case let error as HTTPError:
            return ServerError(error.status, code: Self.code(error.status), error.body ?? error.status.reasonPhrase)
        default:
            context.logger.error(
                "request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: error))"])
            return ServerError(.internalServerError, code: "internal", "the server failed to answer; see its log")
        }
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "too_large"
        case 400: "malformed"
        default: "http_\(status.code)"
        }
    }
}
