import Foundation
import SDDocuments
import SDHTTP
import SDJSON
import SDStore

/// How often and how long to retry a request that may succeed later: timeouts, dropped
/// connections, 429 and 5xx. Exponential backoff with jitter, so that many clients a failed
/// server sheds do not come back in step; a server's Retry-After is honoured (up to `maximumDelay`).
public struct RetryPolicy: Sendable {
    public var retries = 6
    public var firstDelay = 0.25
    public var maximumDelay = 30.0

    public init() {}

    /// Seconds to wait before retry `attempt` (0-based).
    func delay(attempt: Int, retryAfter: Int?) -> Double {
        // Retry-After with up to a fifth more, and never at once: clients told alike spread out.
        if let retryAfter {
            return min(max(Double(retryAfter), firstDelay / 2) * Double.random(in: 1...1.2), maximumDelay)
        }
        let ceiling = min(maximumDelay, firstDelay * Double(1 << min(attempt, 20)))
        return Double.random(in: (ceiling / 2)...ceiling)
    }
}

/// What a server says of itself (GET /v1/info).
struct ServerInfo {
    var serverID: String
    var version: String
    var maxRequestBytes: Int?
    var maxBatchItems: Int?
}

/// The collection server's v1 API as a client uses it, over one keep-alive connection, with
/// retries. Every request sync sends is idempotent (upserts keyed by run ID), so a request whose
/// answer was lost is simply sent again.
final class ServerConnection {
    let baseURL: String
    private let token: String
    private let transport: HTTPTransport
    private let retry: RetryPolicy
    /// Told of each retry, with why and how long until it.
    var retrying: (String, Double) -> Void = { _, _ in }

    init(baseURL: String, token: String, options: HTTPTransportOptions, retry: RetryPolicy) throws(SyncError) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.retry = retry
        do {
            transport = try HTTPTransport(options: options)
        } catch {
            throw SyncError(.transport, error.message)
        }
    }

    func info() throws(SyncError) -> ServerInfo {
        let document = try json(try send(HTTPRequest(.get, baseURL + "/v1/info")))
        guard document["format"]?.stringValue == "sdtrack.server/1", let id = document["server_id"]?.stringValue,
            RunRecord.isValidID(id)
        else {
            throw SyncError(.protocolError, "\(baseURL) is not an sdtrack server (GET /v1/info)")
        }
        return ServerInfo(
            serverID: id, version: document["version"]?.stringValue ?? "?",
            maxRequestBytes: document["limits"]?["max_request_bytes"]?.intValue,
            maxBatchItems: document["limits"]?["max_batch_items"]?.intValue)
    }

    /// Sends one sdtrack.push/1 body; nil when the server finds it too large (413).
    func push(_ body: [UInt8]) throws(SyncError) -> [UpsertResult]? {
        let request = HTTPRequest(
            .post, baseURL + "/v1/runs", headers: [("Content-Type", "application/json")], body: body)
        let response = try send(request, tooLargeIsAnAnswer: true)
        if response.status == 413 { return nil }
        do {
            return try PushDocument.results(in: try json(response))
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError(
                .protocolError, "the server's answer to a push is not \(PushDocument.resultFormat): \(error)")
        }
    }

    /// What the server holds of a run (POST /v1/runs:check).
    struct HeldRun {
        var roundCount: Int
        var status: RunStatus?
        var labelsEditedAt: Timestamp?
    }

    /// Which of `runIDs` the server holds, and what of them (POST /v1/runs:check).
    func check(_ runIDs: [String]) throws(SyncError) -> [String: HeldRun] {
        let body = JSONValue.object([("run_ids", .array(runIDs.map(JSONValue.string)))]).serializedBytes()
        let document = try json(
            try send(
                HTTPRequest(
                    .post, baseURL + "/v1/runs:check", headers: [("Content-Type", "application/json")], body: body)))
        guard case .object(let present)? = document["present"] else {
            throw SyncError(.protocolError, "the server's answer to a check has no \"present\" object")
        }
        var held = [String: HeldRun]()
        for (id, state) in present {
            held[id] = HeldRun(
                roundCount: state["round_count"]?.intValue ?? 0,
                status: state["status"]?.stringValue.flatMap(RunStatus.init(rawValue:)),
                labelsEditedAt: state["labels_edited_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
        }
        return held
    }

    /// Deletes a run on the server (DELETE /v1/runs/{id}); a run already gone is not an error.
    func delete(runID: String) throws(SyncError) {
        _ = try send(HTTPRequest(.delete, baseURL + "/v1/runs/" + runID))
    }

    private func json(_ response: HTTPResponse) throws(SyncError) -> JSONValue {
        do {
            return try JSONValue.parse(document: String(decoding: response.body, as: UTF8.self))
        } catch {
            throw SyncError(.protocolError, "the server's answer is not JSON (\(error))")
        }
    }

    /// Sends `request` with the token, retrying what may succeed later.
    private func send(_ request: HTTPRequest, tooLargeIsAnAnswer: Bool = false) throws(SyncError) -> HTTPResponse {
        var request = request
        request.headers.append(("Authorization", "Bearer " + token))
        var attempt = 0
        while true {
            let why: String
            var retryAfter: Int?
            do {
                let response = try transport.send(request)
                switch response.status {
                case 200..<300: return response
                case 413 where tooLargeIsAnAnswer: return response
                case 401:
                    throw SyncError(
                        .unauthorized, "\(baseURL) refused the token (401: \(Self.message(response))); check it")
                case 403:
                    throw SyncError(
                        .unauthorized,
                        "\(baseURL) refused this for the token's scope (403: \(Self.message(response))); "
                            + "a sync needs a token with the push scope (and read for --verify)")
                case 429, 500...599:
                    why = "HTTP \(response.status)"
                    retryAfter = response.retryAfterSeconds
                default:
                    throw SyncError(
                        .protocolError,
                        "\(baseURL) answered \(request.method.rawValue) \(request.url.dropFirst(baseURL.count)) "
                            + "with HTTP \(response.status): \(Self.message(response))")
                }
            } catch let error as HTTPError {
                switch error.kind {
                case .offline: throw SyncError(.offline, "\(baseURL) is unreachable (\(error.message))")
                case .timeout, .connectionLost: why = error.message
                default: throw SyncError(.transport, "\(baseURL): \(error.message)")
                }
            } catch let error as SyncError {
                throw error
            } catch {
                throw SyncError(.transport, "\(baseURL): \(error)")
            }
            guard attempt < retry.retries else {
                throw SyncError(.unavailable, "\(baseURL) kept failing (\(why)) after \(attempt + 1) attempts")
            }
            let delay = retry.delay(attempt: attempt, retryAfter: retryAfter)
            retrying(why, delay)
            Thread.sleep(forTimeInterval: delay)
            attempt += 1
        }
    }

    /// The one-line message of an error answer ({"error": {"message"}}), else its status text.
    private static func message(_ response: HTTPResponse) -> String {
        let document = JSONValue.parse(String(decoding: response.body.prefix(4096), as: UTF8.self))
        return document?["error"]?["message"]?.stringValue.map { serverText($0) } ?? "no message"
    }
}

/// Text a server sent, fit for one line of a terminal: control characters (escape sequences)
/// shown as "?", at most `limit` characters.
func serverText(_ text: String, limit: Int = 300) -> String {
    let shown = String(
        text.unicodeScalars.prefix(limit).map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    return text.unicodeScalars.count > limit ? shown + "..." : shown
}
