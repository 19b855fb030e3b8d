import Foundation
import Hummingbird
import Logging
import NIOEmbedded
import SDJSON
import SDStore

@testable import SDServer

/// A response of the router, as a test looks at it.
struct PageAnswer: CustomStringConvertible {
    let status: Int
    let headers: HTTPFields
    let text: String

    func header(_ name: String) -> String? { headers[HTTPFields.Element.Name(name)!] }
    func headers(_ name: String) -> [String] { headers[values: HTTPFields.Element.Name(name)!] }
    var json: JSONValue? { JSONValue.parse(text) }
    /// The session cookie's value from Set-Cookie, if the answer sets it.
    var sessionCookie: String? {
        headers("Set-Cookie").lazy.compactMap { line -> String? in
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            guard pair.hasPrefix("\(DashboardSessions.cookieName)=") else { return nil }
            return String(pair.dropFirst(DashboardSessions.cookieName.count + 1))
        }.first
    }

    var description: String { "\(status) \(headers)\n\(text.prefix(2000))" }
}

/// The server's routes called in process, through the router's responder, with no socket: what
/// HummingbirdTesting's `.router` mode does, without its HTTP client's dependencies.
struct RouterClient: Sendable {
    let responder: RouterResponder<BasicRequestContext>

    init(_ server: SyncServer) {
        responder = server.router().buildResponder()
    }

    /// `headers` in order; `token` as `Authorization: Bearer`.
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> PageAnswer {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        for (name, value) in headers { fields[values: HTTPFields.Element.Name(name)!].append(value) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1", path: path, headerFields: fields),
            body: RequestBody(buffer: ByteBuffer(string: body ?? "")))
        var logger = Logger(label: "dashboard-test")
        logger.logLevel = .critical
        let context = BasicRequestContext(
            source: ApplicationRequestContextSource(channel: NIOAsyncTestingChannel(), logger: logger))
        let response = try await responder.respond(to: request, context: context)
        let collector = BodyCollector()
        try await response.body.write(collector)
        return PageAnswer(status: Int(response.status.code), headers: response.headers, text: collector.text)
    }

    /// A GET as a browser sends it (`Accept: text/html`), with the session cookie when given.
    func browse(_ path: String, cookie: String? = nil, token: String? = nil) async throws -> PageAnswer {
        var headers = [("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")]
        if let cookie { headers.append(("Cookie", "other=1; \(DashboardSessions.cookieName)=\(cookie)")) }
        return try await send(.get, path, token: token, headers: headers)
    }

    /// `POST /login` with the form field `token`.
    func login(_ token: String, headers: [(String, String)] = []) async throws -> PageAnswer {
        let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        return try await send(
            .post, "/login", headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: "token=\(encoded)")
    }
}

/// Collects a response's body.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    private var bytes = [UInt8]()

    func write(_ buffer: ByteBuffer) async throws { bytes += buffer.readableBytesView }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A server (not listening) over a new database holding `runs`, a token of each kind, and its routes.
struct DashboardWorld: Sendable {
    let folder: URL
    let store: RunStore
    let router: RouterClient
    let readToken: String
    let pushToken: String
    let bothToken: String
    let readTokenID: String
}

func withDashboard(runs: [CompleteRun] = [], _ body: (DashboardWorld) async throws -> Void) async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try RunStore(path: folder.appendingPathComponent("server.db").path, create: true)
    if !runs.isEmpty { _ = try store.importRuns(runs) }
    var tokens = [TokenText]()
    for scopes in [[TokenScope.read], [.push], [.read, .push]] {
        let token = TokenText.generate()
        try store.addToken(token.record(name: "test \(scopes.map(\.rawValue).joined(separator: ","))", scopes: scopes))
        tokens.append(token)
    }
    var logger = Logger(label: "dashboard-test")
    logger.logLevel = .critical
    let server = try SyncServer(store: store, logger: logger)
    try await body(
        DashboardWorld(
            folder: folder, store: store, router: RouterClient(server), readToken: tokens[0].text,
            pushToken: tokens[1].text, bothToken: tokens[2].text, readTokenID: tokens[0].id))
}

/// Runs of two experiments: `sync-test`, three seeds of one configuration (one group), and
/// `sweep-0`, whose runs each have a configuration of their own (a group each).
func dashboardRuns() throws -> [CompleteRun] {
    let client = try ClientRuns()
    defer { client.remove() }
    let seeds = try (0..<3).map { try client.record(seed: $0, tags: [Tag(key: "sweep", value: "a")]) }
    let sweep = syntheticRuns(count: 7, k: 6, rounds: 9, seed: 3).filter { $0.run.experiment == "sweep-0" }
    return seeds + sweep
}

/// The opening tags `<NAME ...>` of `html`, each as its attributes (HTML escapes of quotes undone).
func tags(_ name: String, in html: Substring) -> [[String: String]] {
    var found = [[String: String]]()
    var rest = html[...]
    while let start = rest.range(of: "<\(name) ") {
        guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
        found.append(attributes(rest[start.upperBound..<end]))
        rest = rest[end...]
    }
    return found
}

private func attributes(_ text: Substring) -> [String: String] {
    var attributes = [String: String]()
    var rest = text
    while let equals = rest.range(of: "=\"") {
        let name = rest[..<equals.lowerBound].split(separator: " ").last.map(String.init) ?? ""
        let valueStart = equals.upperBound
        guard let close = rest[valueStart...].firstIndex(of: "\"") else { break }
        attributes[name] = String(rest[valueStart..<close]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        rest = rest[rest.index(after: close)...]
    }
    return attributes
}

/// The SVG figures of a page of this kind (`data-figure`), each as its markup.
func figures(_ kind: String, in html: String) -> [Substring] {
    var found = [Substring]()
    var rest = html[...]
    while let start = rest.range(of: "<svg "), let end = rest[start.upperBound...].range(of: "</svg>") {
        let figure = rest[start.lowerBound..<end.upperBound]
        if tags("svg", in: figure).first?["data-figure"] == kind { found.append(figure) }
        rest = rest[end.upperBound...]
    }
    return found
}

/// Where a one-panel figure draws a value: its panel's plot box and axis domains (`data-box`,
/// `data-x-domain`, `data-y-domain`, linear or log scales), as tools/render-check reads them.
/// Coordinates are whole units, so a value is drawn within half a unit of `position`.
struct DrawnPanel {
    let box: [Double]
    let xDomain: [Double], yDomain: [Double]
    let xLog: Bool, yLog: Bool

    init?(_ figure: Substring) {
        guard let panel = tags("g", in: figure).first(where: { $0["class"] == "panel" }),
            let box = panel["data-box"]?.split(separator: " ").compactMap({ Double($0) }), box.count == 4,
            let xDomain = numbers(panel["data-x-domain"]), let yDomain = numbers(panel["data-y-domain"])
        else { return nil }
        (self.box, self.xDomain, self.yDomain) = (box, xDomain, yDomain)
        (xLog, yLog) = (panel["data-x-scale"] == "log", panel["data-y-scale"] == "log")
    }

    static func fraction(_ value: Double, _ domain: [Double], log: Bool) -> Double {
        log
            ? Foundation.log(value / domain[0]) / Foundation.log(domain[1] / domain[0])
            : (value - domain[0]) / (domain[1] - domain[0])
    }

    /// Where (x, y) is drawn, unrounded.
    func position(x: Double, y: Double) -> (x: Double, y: Double) {
        (
            box[0] + Self.fraction(x, xDomain, log: xLog) * (box[2] - box[0]),
            box[3] - Self.fraction(y, yDomain, log: yLog) * (box[3] - box[1])
        )
    }

    /// The vertices of path data as sdtrack writes lines (M x,y then l dx,dy, whole units), in
    /// the figure's units.
    static func vertices(_ path: String) -> [(x: Double, y: Double)] {
        var points = [(x: Double, y: Double)](), x = 0.0, y = 0.0
        var rest = path[...]
        while let start = rest.firstIndex(where: { $0 == "M" || $0 == "l" }) {
            let command = rest[start]
            rest = rest[rest.index(after: start)...]
            let end = rest.firstIndex { $0 == "M" || $0 == "l" || $0 == "Z" } ?? rest.endIndex
            let pair = rest[..<end].split(separator: ",").compactMap { Double($0) }
            rest = rest[end...]
            guard pair.count == 2 else { continue }
            (x, y) = command == "M" ? (pair[0], pair[1]) : (x + pair[0], y + pair[1])
            points.append((x, y))
        }
        return points
    }
}

/// A `data-` attribute holding numbers (`[1,2,null]`), nulls as NaN.
func numbers(_ text: String?) -> [Double]? {
    guard let text, case .array(let values)? = JSONValue.parse(text) else { return nil }
    return values.map { $0.doubleValue ?? .nan }
}
