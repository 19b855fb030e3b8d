import Foundation
import Hummingbird
import SDCharts
import SDJSON
import SDReports
import SDStore

/// The dashboard: the pages `sdtrack report` writes, served live from the server's database and
/// built by the same functions (SDReports' `PageSections` and `HTMLReport`), for people with a
/// read token. Its parameters are those of the JSON endpoints (`QueryParameters`), as a form sends
/// them; errors are pages with one line saying what is wrong.
///
///     GET  /                    the runs, newest first, filtered (experiment, tag, since, where, status)
///     GET  /runs/{id}           a run: `runs show`'s facts and its figures
///     GET  /experiments/{name}  an experiment: best rounds with intervals, every group's figures
///     GET  /login, POST /login  the token form; a session cookie for a token with the read scope
///     POST /logout              ends the session
struct DashboardRoutes: Sendable {
    let server: ServerContext
    let authenticator: TokenAuthenticator
    let sessions: DashboardSessions
    /// The most runs the runs page lists.
    static let maxRuns = 500
    /// The largest login form body.
    static let maxLoginBytes = 4096

    /// Every error of a page route as an HTML page with the error's status and message.
    static let errorPages = ErrorMiddleware<BasicRequestContext> { HTMLResponse.error($0) }

    func add(to router: Router<BasicRequestContext>) {
        router.group().add(middleware: Self.errorPages)
            .get("login") { _, _ in Self.loginPage() }
            .post("login") { request, _ in try await login(request) }
            .post("logout") { request, _ in try logout(request) }
        router.group().add(middleware: Self.errorPages)
            .add(middleware: DashboardAuthMiddleware(authenticator: authenticator, sessions: sessions))
            .get("/") { request, _ in try await runs(request) }
            .get("runs/{id}") { _, context in try await run(id: try context.parameters.require("id")) }
            .get("experiments/{name}") { request, context in
                try await experiment(request, name: try context.parameters.require("name"))
            }
    }

    // MARK: Pages

    /// `GET /`.
    func runs(_ request: Request) async throws(ServerError) -> Response {
        let parameters = QueryParameters(form: request)
        let filter = try parameters.pageRunFilter(limit: Self.maxRuns + 1)
        var values = [String: String]()
        for name in ["experiment", "tag", "since", "where", "status"] { values[name] = parameters.value(name) }
        let shownValues = values
        let document = try await server.withStore { store in
            for key in filter.conditions.map(\.key) where !(try store.hasConfigKey(key)) {
                throw ServerError.badParameter("where", "unknown configuration key '\(key)': no run here has it")
            }
            let runs = try store.runs(matching: filter)
            var page = Page(title: "sdtrack runs")
            Self.header(&page)
            PageSections.runFilters(action: "/", values: shownValues, into: &page)
            let shown = Array(runs.prefix(Self.maxRuns))
            page.paragraph(
                runs.count > Self.maxRuns
                    ? "The newest \(Self.maxRuns) runs that match; more match: narrow the filters."
                    : "\(runs.count) run\(runs.count == 1 ? "" : "s") match, newest first.",
                className: "note")
            if !shown.isEmpty {
                PageSections.runsTable(shown, into: &page, link: Self.runLink, experimentLink: Self.experimentLink)
            }
            return page.document()
        }
        return HTMLResponse.make(document: document)
    }

    /// `GET /runs/{id}` (a unique prefix works too).
    func run(id: String) async throws(ServerError) -> Response {
        let document = try await server.withStore { store in
            let complete = try store.completeRuns(ids: [try store.resolve(id)])[0]
            let experiment = complete.run.experiment
            var page = Page(title: "run \(complete.run.id.prefix(8))")
            Self.header(&page, ("experiment \(experiment)", Self.experimentLink(experiment)))
            PageSections.run(complete, fits: .server, into: &page)
            return page.document()
        }
        return HTMLResponse.make(document: document)
    }

    /// `GET /experiments/{name}`, with `query best-rounds`' parameters (`group-by`, `metric`, ...).
    /// An experiment with no runs here is a 404; one without a finished run that matches is a page
    /// that says so.
    func experiment(_ request: Request, name encoded: String) async throws(ServerError) -> Response {
        guard let name = encoded.removingPercentEncoding, !name.isEmpty else {
            throw .badRequest("the experiment's name in the URL is not percent-encoded text")
        }
        var query = try QueryParameters(form: request).runQuery()
        guard query.filter.experiment == nil else {
            throw .badParameter("experiment", "the page's path names the experiment")
        }
        query.filter.experiment = name
        let question = query
        let document = try await server.withStore { store in
            guard !(try store.runs(matching: RunFilter(experiment: name, limit: 1))).isEmpty else {
                throw ServerError(
                    .notFound, code: "unknown_experiment", "no runs of experiment '\(name.shortened)' here")
            }
            let title = "experiment \(name)"
            let header = { (page: inout Page) in
                Self.header(&page, ("its runs", "/?experiment=\(Self.queryValue(name))"))
            }
            do {
                return try HTMLReport.page(
                    question, store: store, title: title, fits: .server, runsShown: Self.maxRuns,
                    source: "this server", link: Self.runLink,
                    experimentLink: Self.experimentLink, header: header
                ).document()
            } catch let error as QueryError where error.code == .noRuns || error.code == .noGroups {
                var page = Page(title: title)
                header(&page)
                page.paragraph(
                    error.code == .noRuns
                        ? "No finished run of experiment '\(name.shortened)' matches: nothing to compare yet."
                        : "Nothing to compare: \(error.description).")
                return page.document()
            }
        }
        return HTMLResponse.make(document: document)
    }

    // MARK: Signing in

    static func loginPage(_ message: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var page = Page(title: "sdtrack: log in")
        if let message { page.paragraph(message) }
        page.paragraph(
            "Give a token with the read scope (sdtrack serve token create --scope read). The browser keeps a "
                + "session cookie for 12 hours; the token itself is stored nowhere.",
            className: "note")
        PageSections.tokenForm(action: "/login", into: &page)
        return HTMLResponse.make(page, status: status)
    }

    /// `POST /login` with `token=...` (form-encoded): a session for a valid token with the read scope.
    func login(_ request: Request) async throws(ServerError) -> Response {
        try Self.refuseCrossSite(request)
        let type = request.headers[.contentType]?.lowercased() ?? "application/x-www-form-urlencoded"
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw ServerError(
                .unsupportedMediaType, code: "unsupported_media_type",
                "send the form as application/x-www-form-urlencoded")
        }
        var limits = server.limits
        limits.maxRequestBytes = Self.maxLoginBytes
        let body = try await BodyReader(limits: limits).collect(request)
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .badRequest("the form is not UTF-8 text")
        }
        let given = QueryParameters(formEncoded: text).value("token")?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let given, let token = TokenText(parsing: given) else {
            return Self.loginPage("That is not a token: tokens look like sdt_<id>_<secret>.", status: .unauthorized)
        }
        let record: TokenRecord
        do {
            record = try await authenticator.authenticate(token)
        } catch  where error.status == .unauthorized {
            return Self.loginPage("The server refused the token: \(error.message).", status: .unauthorized)
        }
        guard record.scopes.contains(TokenScope.read.rawValue) else {
            throw ServerError(
                .forbidden, code: "forbidden",
                "the token '\(record.name)' does not have the read scope, which the dashboard needs")
        }
        var response = HTMLResponse.redirect(to: "/")
        response.setCookie(DashboardSessions.cookie(sessions.open(token), secure: DashboardSessions.overTLS(request)))
        return response
    }

    /// `POST /logout`: ends the session, and has the browser forget its cookie.
    func logout(_ request: Request) throws(ServerError) -> Response {
        try Self.refuseCrossSite(request)
        if let cookie = request.cookies[DashboardSessions.cookieName]?.value { sessions.close(cookie) }
        var response = HTMLResponse.redirect(to: "/login")
        response.setCookie(DashboardSessions.clearingCookie(secure: DashboardSessions.overTLS(request)))
        return response
    }

    /// Another site's form may not sign a browser in or out here (the cookie being SameSite=Strict
    /// covers the pages; this covers the forms).
    static func refuseCrossSite(_ request: Request) throws(ServerError) {
        if request.headers[.secFetchSite]?.lowercased() == "cross-site" {
            throw ServerError(.forbidden, code: "cross_site", "a form of another site cannot log in or out here")
        }
    }

    // MARK: Links

    /// Every page's navigation: the runs, `extra` links, and the log-out button.
    static func header(_ page: inout Page, _ extra: (text: String, href: String)...) {
        page.navigation([(text: "runs", href: "/")] + extra)
        PageSections.logoutButton(action: "/logout", into: &page)
    }

    static func runLink(_ id: String) -> String { "/runs/\(id)" }

    static func experimentLink(_ name: String) -> String { "/experiments/\(queryValue(name))" }

    /// Text as one path segment or query value: everything but unreserved characters escaped.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
