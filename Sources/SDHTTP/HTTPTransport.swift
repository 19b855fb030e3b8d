import CCurl

/// Sends HTTP requests through libcurl, one at a time, all over one easy handle, so that a
/// sync's requests share one connection (keep-alive): one TCP and TLS handshake, not one per
/// batch.
///
/// - Proxies: libcurl reads http_proxy, https_proxy, all_proxy and no_proxy from the
///   environment (and their upper-case forms, but not HTTP_PROXY), and this transport keeps it
///   so: it never sets CURLOPT_PROXY, so a machine's usual proxy settings apply.
/// - TLS: the server's certificate and host name are always checked, against the system's
///   certificate authorities or `options.caFile` / `caPath`.
/// - Redirects are not followed: a redirect would carry the bearer token to another address.
///   A 3xx comes back as a response.
/// - Headers, which carry the bearer token, are never logged, printed or put in an error.
/// - libcurl is loaded on the first transport made; see `CurlLibrary`.
///
/// Not thread-safe: one request at a time; a thread of its own needs a transport of its own.
public final class HTTPTransport {
    public let options: HTTPTransportOptions
    private let easy: CurlEasy
    private let collector = ResponseCollector()
    /// The header list of the request in flight: libcurl reads it during the transfer.
    private var headerList: CurlHeaderList?

    /// Loads libcurl when this is the process's first transport.
    public init(options: HTTPTransportOptions) throws(HTTPError) {
        self.options = options
        easy = try CurlEasy()
    }

    /// Sends `request` and returns the server's response, whatever its status; throws only
    /// when there is no response (`HTTPError.kind` says why).
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        // Options go back to the defaults between requests, so none leaks into the next (a
        // body, a method); the open connection stays.
        try easy.reset()
        collector.clear()
        try setConnectionOptions()
        try easy.set(CURLOPT_URL, request.url)
        headerList = try CurlHeaderList(try headerLines(request.headers), library: easy.library)
        defer { headerList = nil }
        try easy.set(CURLOPT_HTTPHEADER, pointer: headerList?.pointer)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: ResponseCollector.writeBody)
        try easy.set(CURLOPT_WRITEDATA, pointer: collector.userData)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: ResponseCollector.writeHeader)
        try easy.set(CURLOPT_HEADERDATA, pointer: collector.userData)
        collector.stallLimit = Double(Self.milliseconds(options.lowSpeedTime)) / 1000
        collector.maxBodyBytes = options.maxResponseBytes
        try easy.set(CURLOPT_NOPROGRESS, 0)
        try easy.set(progress: ResponseCollector.watchProgress)
        try easy.set(CURLOPT_XFERINFODATA, pointer: collector.userData)
        do {
            try perform(request.method, body: request.body)
        } catch  where collector.stalled {
            throw HTTPError(
                .timeout, "no progress for \(Self.milliseconds(options.lowSpeedTime) / 1000) s",
                curlCode: error.curlCode)
        } catch  where collector.tooLarge {
            throw HTTPError(
                .other, "the answer is larger than \(options.maxResponseBytes) bytes", curlCode: error.curlCode)
        }
        return HTTPResponse(
            status: try easy.long(CURLINFO_RESPONSE_CODE), headers: collector.headers, body: collector.body)
    }

    /// Sets the method and body, and performs the transfer while the body is alive
    /// (CURLOPT_POSTFIELDS keeps a pointer to it, not a copy).
    private func perform(_ method: HTTPRequest.Method, body: [UInt8]) throws(HTTPError) {
        if method == .get && body.isEmpty {
            try easy.set(CURLOPT_HTTPGET, 1)
            return try easy.perform()
        }
        if method == .delete && body.isEmpty {
            try easy.set(CURLOPT_CUSTOMREQUEST, method.rawValue)
            return try easy.perform()
        }
        // A body goes as POST fields (Content-Length from its size, no chunking) with the
        // method named: a PUT is libcurl's POST under another name. An empty body still needs
        // a valid pointer, or libcurl would read the body from standard input.
        let bytes = body.isEmpty ? [0] : body
        // withUnsafeBytes rethrows untyped errors: the closure returns a Result instead.
        let result: Result<Void, HTTPError> = bytes.withUnsafeBytes { buffer in
            do throws(HTTPError) {
                try easy.set(CURLOPT_POST, 1)
                try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
                try easy.set(CURLOPT_POSTFIELDS, pointer: buffer.baseAddress)
                if method != .post { try easy.set(CURLOPT_CUSTOMREQUEST, method.rawValue) }
                // The pointer dies with this closure; the next send's reset() clears it.
                try easy.perform()
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The options every request shares.
    private func setConnectionOptions() throws(HTTPError) {
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_USERAGENT, options.userAgent)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedLimit)
        try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, (Self.milliseconds(options.lowSpeedTime) + 999) / 1000))
        if let totalTimeout = options.totalTimeout {
            try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(totalTimeout))
        }
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = options.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        if let caPath = options.caPath { try easy.set(CURLOPT_CAPATH, caPath) }
        try easy.set(CURLOPT_TCP_KEEPALIVE, options.tcpKeepAlive ? 1 : 0)
        // "": every encoding this libcurl decodes (gzip, deflate, ...), decoded on arrival.
        try easy.set(CURLOPT_ACCEPT_ENCODING, "")
    }

    /// "Name: value" lines for CURLOPT_HTTPHEADER, then an empty Expect:, which stops libcurl
    /// from sending "Expect: 100-continue" with a body over 1 MiB and waiting a second for an
    /// answer sdtrack's server never gives. A caller's own Expect header is dropped for it.
    private func headerLines(_ headers: [(name: String, value: String)]) throws(HTTPError) -> [String] {
        var lines = [String]()
        for (name, value) in headers where name.lowercased() != "expect" {
            // A line break would end the header and start another: refuse it (header injection).
            // Bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
            let breaksLine = (name + value).utf8.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
            guard !name.isEmpty, !breaksLine, !name.contains(":") else {
                throw HTTPError(.other, "request header \(name.debugDescription) has an invalid name or value")
            }
            // libcurl reads "Name:" as "remove the header"; "Name;" sends it empty.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        lines.append("Expect:")
        return lines
    }

    /// `duration` in whole milliseconds, at least 1 (0 means "the default" or "none" to libcurl).
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return max(1, Int(total))
    }
}
