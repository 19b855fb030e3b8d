import Hummingbird
import SDStore

/// Lets a dashboard request through with a token that has the read scope, sent either as
/// `Authorization: Bearer` or as the session cookie of `POST /login`. A wrong bearer token is a
/// 401; without either (or with a session that has ended), a browser's GET (`Accept: text/html`) is
/// sent to /login (303) and anything else gets 401; a token without the read scope gets 403.
struct DashboardAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: TokenAuthenticator
    let sessions: DashboardSessions

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let cookie = request.cookies[DashboardSessions.cookieName]?.value
        let record: TokenRecord
        if let header = request.headers[.authorization] {
            record = try await authenticator.authenticate(header)
        } else if let cookie, let found = try await sessionRecord(cookie) {
            record = found
        } else if request.method == .get, Self.acceptsHTML(request) {
            var response = HTMLResponse.redirect(to: "/login")
            if cookie != nil {
                response.setCookie(DashboardSessions.clearingCookie(secure: DashboardSessions.overTLS(request)))
            }
            return response
        } else {
            throw ServerError.unauthorized(
                cookie == nil
                    ? "no token; log in at /login, or send Authorization: Bearer <token>"
                    : "the session has ended; log in again at /login")
        }
        guard record.scopes.contains(TokenScope.read.rawValue) else {
            throw ServerError(
                .forbidden, code: "forbidden",
                "the token '\(record.name)' does not have the read scope, which the dashboard needs")
        }
        return try await next(request, context)
    }

    /// The token of a session, still valid; nil (and the session closed) when the session or its
    /// token is no more.
    private func sessionRecord(_ cookie: String) async throws(ServerError) -> TokenRecord? {
        guard let session = sessions.session(cookie) else { return nil }
        do {
            return try await authenticator.authenticate(id: session.tokenID, sha256: session.tokenSHA256)
        } catch  where error.status == .unauthorized {
            sessions.close(cookie)
            return nil
        }
    }

    static func acceptsHTML(_ request: Request) -> Bool {
        request.headers[values: .accept].contains { $0.lowercased().contains("text/html") }
    }
}
