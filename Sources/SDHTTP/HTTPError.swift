import CCurl

/// A request that got no HTTP response. An HTTP error status (404, 503, ...) is not one: it
/// comes back as an `HTTPResponse`, since the sync client reads its body and Retry-After.
/// `kind` is what a caller decides on (retry, report offline, ...); `curlCode` keeps libcurl's
/// own code; `message` is one line: curl's text for the code and, when it has one, its more
/// specific error buffer (never a header: headers carry bearer tokens).
public struct HTTPError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// No connection could be made: the host name did not resolve (nor the proxy's), or
        /// nothing accepted the connection. Retrying at once will not help; later may.
        case offline
        /// The transfer took longer than the overall timeout, or stalled below the low-speed
        /// limit for the low-speed time.
        case timeout
        /// The connection broke mid-request: a send or receive failed, the server closed it
        /// without a response, or before the whole body arrived.
        case connectionLost = "connection_lost"
        /// The TLS handshake failed or the server's certificate was not trusted.
        case tls
        /// libcurl could not be loaded (not installed) or initialised.
        case unavailable
        /// The URL is malformed or its scheme is not http or https.
        case invalidURL = "invalid_url"
        /// Any other libcurl failure.
        case other

        /// Whether sending the same request again may succeed: the server may never have seen
        /// it, or seen it and answered too slowly. Requests sync sends are idempotent.
        public var isRetryable: Bool {
            switch self {
            case .timeout, .connectionLost: true
            case .offline, .tls, .unavailable, .invalidURL, .other: false
            }
        }
    }

    public let kind: Kind
    /// libcurl's CURLcode (CURLE_...), or nil when the failure did not come from a transfer.
    public let curlCode: Int?
    public let message: String

    public init(_ kind: Kind, _ message: String, curlCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { message }

    /// The kind of failure a libcurl code stands for.
    static func kind(of code: CURLcode) -> Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            .offline
        case CURLE_OPERATION_TIMEDOUT:
            .timeout
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            .connectionLost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            .invalidURL
        case CURLE_FAILED_INIT:
            .unavailable
        default:
            .other
        }
    }
}
