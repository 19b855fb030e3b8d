/// How an `HTTPTransport` connects, set once for all its requests. The defaults suit the sync
/// client: give up on a server that cannot be reached in 10 s or that stops sending for 30 s,
/// but let a large transfer that keeps moving take as long as it needs.
public struct HTTPTransportOptions: Sendable {
    /// Sent as User-Agent ("sdtrack/0.4.0"): the caller knows its name and version.
    public var userAgent: String
    /// Longest wait for the connection (DNS, TCP and TLS).
    public var connectTimeout: Duration = .seconds(10)
    /// A transfer that moves no byte either way for `lowSpeedTime` is aborted (`.timeout`): a
    /// server or network that stalled, without capping a slow but moving one. (A progress
    /// callback checks it each second; libcurl's own check, slower than `lowSpeedLimit` bytes per
    /// second for `lowSpeedTime`, stays as a backstop but averages over about five seconds.)
    public var lowSpeedLimit: Int = 1
    public var lowSpeedTime: Duration = .seconds(30)
    /// The largest response body taken, after decoding; a larger one fails the request
    /// (`.other`) instead of filling memory.
    public var maxResponseBytes: Int = 64 << 20
    /// Longest a whole request may take, connection included; nil for no limit.
    public var totalTimeout: Duration?
    /// A PEM file of the certificate authorities to trust (CURLOPT_CAINFO), for a server with a
    /// private CA; nil for the system's (Debian: /etc/ssl/certs/ca-certificates.crt).
    public var caFile: String?
    /// A folder of hashed CA certificates (CURLOPT_CAPATH); nil for the system's.
    public var caPath: String?
    /// TCP keep-alive probes, so that an idle connection kept for the next request (or a
    /// long server computation) is not silently dropped by a NAT or firewall.
    public var tcpKeepAlive: Bool = true

    public init(userAgent: String) {
        self.userAgent = userAgent
    }
}
