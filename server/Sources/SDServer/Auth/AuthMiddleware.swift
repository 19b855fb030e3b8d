import Hummingbird

/// Lets a request through only with a valid bearer token that has `scope` (any valid token when
/// nil): 401 without one, 403 when the token lacks the scope. Nothing of the header is logged.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: TokenAuthenticator
    let scope: TokenScope?

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let record = try await authenticator.authenticate(request.headers[.authorization])
        if let scope, !record.scopes.contains(scope.rawValue) {
            throw ServerError(
                .forbidden, code: "forbidden", "the token '\(record.name)' does not have the \(scope.rawValue) scope")
        }
        return try await next(request, context)
    }
}
