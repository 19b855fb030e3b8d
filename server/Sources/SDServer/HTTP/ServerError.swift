import Hummingbird
import SDJSON

/// Why the server refused or failed a request: the HTTP status, a stable code for programs, one
/// line of message for people, and the headers that tell a client what to do (when to retry, how to
/// authenticate). Every error a route or middleware throws ends up as one of these (`ErrorMiddleware`),
/// so that every error body has the contract's shape `{"error":{"code":..., "message":...}}`.
public struct ServerError: HTTPResponseError, CustomStringConvertible, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    /// Seconds after which a retry may succeed (429, 503).
    public let retryAfter: Int?
    /// Whether to ask for a bearer token (401).
    public let challenge: Bool

    public init(
        _ status: HTTPResponse.Status, code: String, _ message: String, retryAfter: Int? = nil,
        challenge: Bool = false
    ) {
        self.status = status
        self.code = code
        // One line, whatever the cause put in it.
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        self.retryAfter = retryAfter
        self.challenge = challenge
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(
            .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]),
            status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        if challenge { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}

extension ServerError {
    static func badRequest(_ message: String) -> ServerError {
        ServerError(.badRequest, code: "malformed", message)
    }

    static func badParameter(_ name: String, _ message: String) -> ServerError {
        ServerError(.badRequest, code: "bad_parameter", "parameter \(name): \(message)")
    }

    static func tooLarge(_ message: String) -> ServerError {
        ServerError(.contentTooLarge, code: "too_large", message)
    }

    static func unauthorized(_ message: String) -> ServerError {
        ServerError(.unauthorized, code: "unauthorized", message, challenge: true)
    }

    static func busy(_ message: String) -> ServerError {
        ServerError(.serviceUnavailable, code: "busy", message, retryAfter: 1)
    }
}
