/// One HTTP request as the sync client builds it: the whole body in memory (sdtrack's
/// documents are at most a few MiB, and a retry sends the same bytes again).
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
    }

    public var method: Method
    /// An absolute http:// or https:// URL, query string included.
    public var url: String
    /// Sent in order, as given. `Expect:` is always sent empty (see `HTTPTransport`);
    /// Content-Length comes from the body.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        _ method: Method, _ url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
