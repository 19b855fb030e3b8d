import Foundation
import SDJSON

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A response as a test looks at it.
struct HTTPAnswer {
    let status: Int
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { JSONValue.parse(text) }
    /// The error body's code, for the contract's `{"error":{"code":...}}`.
    var errorCode: String? { json?["error"]?["code"]?.stringValue }

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Talks HTTP to a server with URLSession, a real client over a real socket.
struct HTTPTestClient: Sendable {
    let base: String

    func send(
        _ method: String, _ path: String, token: String? = nil, body: [UInt8]? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPAnswer {
        guard let url = URL(string: base + path) else { throw TestFailure("bad URL \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body)
            if headers["Content-Type"] == nil {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("no HTTP response") }
        var fields = [String: String]()
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key] = value }
        }
        return HTTPAnswer(status: http.statusCode, headers: fields, body: data)
    }

    func get(_ path: String, token: String?) async throws -> HTTPAnswer {
        try await send("GET", path, token: token)
    }

    func post(_ path: String, token: String?, json: JSONValue, headers: [String: String] = [:]) async throws
        -> HTTPAnswer
    {
        try await send("POST", path, token: token, body: json.serializedBytes(), headers: headers)
    }
}
