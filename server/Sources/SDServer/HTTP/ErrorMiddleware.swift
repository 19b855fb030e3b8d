import Hummingbird
import Logging

/// Turns every error into a `ServerError`, so that a client always gets the contract's JSON error
/// body: the router's 404 and 405, Hummingbird's own HTTP errors, and (as a 500 whose message says
/// nothing of the internals) anything unexpected, which is logged here without the request's headers.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            throw error
        } catch let error as HTTPError where error.status == .notFound {
            throw ServerError(.notFound, code: "not_found", "no endpoint \(request.method) \(request.uri.path)")
        } catch let error as HTTPError {
            throw ServerError(error.status, code: Self.code(error.status), error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error(
                "request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: error))"])
            throw ServerError(.internalServerError, code: "internal", "the server failed to answer; see its log")
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
