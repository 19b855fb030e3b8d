/// What a server answered, whatever its status: 4xx and 5xx are responses too, since their
/// bodies say what went wrong and 429/503 say when to retry (Retry-After).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The final response's headers in the order received, names lower-cased (HTTP names are
    /// case-insensitive), values without surrounding white space.
    public var headers: [(name: String, value: String)]
    /// The body, decoded when the server compressed it (Content-Encoding: gzip, deflate).
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (any case), or nil.
    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name == name }?.value
    }

    /// Retry-After in seconds, when the server sent it as a number (sdtrack's server does;
    /// the HTTP-date form is not read).
    public var retryAfterSeconds: Int? { header("retry-after").flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil } }

    /// Content-Type without its parameters, lower-cased ("application/json").
    public var mediaType: String? {
        header("content-type").map { value in
            value.prefix { $0 != ";" }.trimmingSpaces().lowercased()
        }
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
