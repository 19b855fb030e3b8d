import Foundation
import SDStore
import Testing

@testable import SDServer

/// Who may read the dashboard's pages: a read token, as a bearer header or through the session
/// cookie of `POST /login`.
@Suite struct DashboardAuthTests {
    static let pages = ["/", "/runs/0123abcd", "/experiments/sync-test"]

    @Test func withoutATokenBrowsersGoToLoginAndOthersGet401() async throws {
        try await withDashboard { world in
            for path in Self.pages {
                let browser = try await world.router.browse(path)
                #expect(browser.status == 303, "\(path)")
                #expect(browser.header("Location") == "/login")
                let program = try await world.router.send(.get, path)
                #expect(program.status == 401, "\(path)")
                #expect(program.header("WWW-Authenticate") == "Bearer")
                #expect(program.header("Content-Type") == "text/html; charset=utf-8")
                #expect(program.text.contains("log in at /login"))
                let json = try await world.router.send(.get, path, headers: [("Accept", "application/json")])
                #expect(json.status == 401)
            }
            // Only a GET is redirected.
            let post = try await world.router.send(.post, "/", headers: [("Accept", "text/html")])
            #expect(post.status != 303)
            let login = try await world.router.browse("/login")
            #expect(login.status == 200)
            #expect(login.text.contains("<form method=\"post\" action=\"/login\""))
            #expect(login.text.contains("type=\"password\" name=\"token\""))
        }
    }

    @Test func aWrongTokenIs401() async throws {
        try await withDashboard { world in
            let unknown = TokenText.generate().text
            for token in [unknown, "sdt_not-a-token"] {
                let page = try await world.router.browse("/", token: token)
                #expect(page.status == 401)
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                let login = try await world.router.login(token)
                #expect(login.status == 401)
                #expect(login.sessionCookie == nil)
                #expect(login.text.contains("name=\"token\""), "the form again")
            }
            #expect(try await world.router.login(unknown).text.contains("unknown token"))
            // A revoked token, too.
            _ = try world.store.revokeToken(id: world.readTokenID)
            try await Task.sleep(for: TokenAuthenticator.refreshInterval + .milliseconds(100))
            #expect(try await world.router.browse("/", token: world.readToken).status == 401)
            #expect(try await world.router.login(world.readToken).status == 401)
        }
    }

    @Test func aPushOnlyTokenCannotReadPages() async throws {
        try await withDashboard { world in
            for path in Self.pages {
                let page = try await world.router.browse(path, token: world.pushToken)
                #expect(page.status == 403, "\(path)")
                #expect(page.text.contains("does not have the read scope"))
            }
            let login = try await world.router.login(world.pushToken)
            #expect(login.status == 403)
            #expect(login.sessionCookie == nil)
        }
    }

    @Test func loginSetsTheCookieThatThenWorksUntilLogout() async throws {
        try await withDashboard(runs: try dashboardRuns()) { world in
            let login = try await world.router.login(world.readToken)
            #expect(login.status == 303)
            #expect(login.header("Location") == "/")
            let cookie = try #require(login.sessionCookie)
            let setCookie = try #require(login.headers("Set-Cookie").first)
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
                #expect(setCookie.contains(attribute), "\(setCookie)")
            }
            #expect(!setCookie.contains("Secure"), "plain HTTP")
            #expect(!setCookie.contains(world.readToken) && !cookie.contains(world.readToken.dropFirst(21)))
            for path in Self.pages.dropFirst() + ["/", "/experiments/sync-test"] {
                let page = try await world.router.browse(path, cookie: cookie)
                #expect(page.status == (path.hasPrefix("/runs/0123") ? 404 : 200), "\(path): \(page)")
            }
            // Behind a TLS proxy the cookie is Secure; a token with both scopes may read.
            let secure = try await world.router.login(world.bothToken, headers: [("X-Forwarded-Proto", "https")])
            #expect(secure.headers("Set-Cookie").first?.contains("; Secure") == true)
            #expect(try await world.router.browse("/", cookie: secure.sessionCookie).status == 200)

            let logout = try await world.router.send(
                .post, "/logout", headers: [("Cookie", "sdtrack_session=\(cookie)")])
            #expect(logout.status == 303)
            #expect(logout.header("Location") == "/login")
            #expect(logout.headers("Set-Cookie").first?.contains("Max-Age=0") == true)
            #expect(logout.sessionCookie == "")
            let after = try await world.router.browse("/", cookie: cookie)
            #expect(after.status == 303)
            #expect(after.header("Location") == "/login")
            #expect(after.sessionCookie == "", "the stale cookie is cleared")
            let program = try await world.router.send(.get, "/", headers: [("Cookie", "sdtrack_session=\(cookie)")])
            #expect(program.status == 401)
            #expect(
                try await world.router.browse("/", cookie: "forged-\(String(repeating: "x", count: 36))").status == 303)
        }
    }

    @Test func revokingTheTokenEndsItsSessions() async throws {
        try await withDashboard { world in
            let cookie = try #require(try await world.router.login(world.readToken).sessionCookie)
            #expect(try await world.router.browse("/", cookie: cookie).status == 200)
            _ = try world.store.revokeToken(id: world.readTokenID)
            try await Task.sleep(for: TokenAuthenticator.refreshInterval + .milliseconds(100))
            #expect(try await world.router.browse("/", cookie: cookie).status == 303)
        }
    }

    @Test func sessionsAreBounded() {
        let sessions = DashboardSessions(capacity: 2)
        let token = TokenText.generate()
        let first = sessions.open(token), second = sessions.open(token), third = sessions.open(token)
        #expect(sessions.count == 2)
        #expect(sessions.session(first) == nil, "the oldest goes")
        #expect(sessions.session(second)?.tokenID == token.id)
        #expect(sessions.session(third)?.tokenSHA256 == token.sha256)
        #expect(![first, second, third].contains { $0.contains(token.text) })
        sessions.close(second)
        #expect(sessions.session(second) == nil)
    }

    @Test func aLoginFormIsSmall() async throws {
        try await withDashboard { world in
            let large = try await world.router.login(world.readToken + String(repeating: "x", count: 5000))
            #expect(large.status == 413)
            #expect(large.header("Content-Type") == "text/html; charset=utf-8")
        }
    }

    @Test func anotherSitesFormCannotLogIn() async throws {
        try await withDashboard { world in
            let login = try await world.router.login(world.readToken, headers: [("Sec-Fetch-Site", "cross-site")])
            #expect(login.status == 403)
            #expect(login.sessionCookie == nil)
            let sameOrigin = try await world.router.login(world.readToken, headers: [("Sec-Fetch-Site", "same-origin")])
            #expect(sameOrigin.status == 303)
            let json = try await world.router.send(
                .post, "/login", headers: [("Content-Type", "application/json")], body: "{}")
            #expect(json.status == 415)
        }
    }

    @Test func everyPageHasTheSecurityHeaders() async throws {
        try await withDashboard(runs: try dashboardRuns()) { world in
            let id = try world.store.runs().first!.id
            var answers = [try await world.router.browse("/login"), try await world.router.login("wrong")]
            for path in ["/", "/runs/\(id)", "/experiments/sync-test", "/runs/ffff", "/?status=bogus"] {
                answers.append(try await world.router.browse(path, token: world.readToken))
            }
            answers.append(try await world.router.browse("/", token: world.pushToken))
            answers.append(try await world.router.browse("/"))
            for answer in answers {
                #expect(answer.header("Cache-Control") == "no-store")
                #expect(answer.header("Content-Security-Policy") == HTMLResponse.contentSecurityPolicy)
                #expect(answer.status == 303 || answer.header("Content-Type") == "text/html; charset=utf-8")
                #expect(answer.header("X-Frame-Options") == "DENY")
            }
            // The slider's script by its hash, no other (the live test shows the slider runs under it).
            let policy = HTMLResponse.contentSecurityPolicy
            #expect(policy.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"))
            #expect(policy.hasSuffix("'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"))
            #expect(policy.components(separatedBy: "unsafe-inline").count == 2)
        }
    }

    /// The API under /v1 keeps its bearer tokens and JSON errors: no cookie, no redirect.
    @Test func theAPIIsUnchanged() async throws {
        try await withDashboard(runs: try dashboardRuns()) { world in
            let cookie = try #require(try await world.router.login(world.readToken).sessionCookie)
            let withCookie = try await world.router.browse("/v1/runs", cookie: cookie)
            #expect(withCookie.status == 401)
            #expect(withCookie.json?["error"]?["code"]?.stringValue == "unauthorized")
            let runs = try await world.router.send(.get, "/v1/runs", token: world.readToken)
            #expect(runs.status == 200)
            #expect(runs.header("Content-Type") == "application/json")
            #expect(runs.json?["format"]?.stringValue == "sdtrack.runs/1")
            let unknown = try await world.router.send(.get, "/v1/nothing", token: world.readToken)
            #expect(unknown.json?["error"]?["code"]?.stringValue == "not_found")
        }
    }
}
