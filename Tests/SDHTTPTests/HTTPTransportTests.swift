import SDHTTP
import SDTestSupport
import Testing

/// The transport against a real server on loopback (TestServer): what goes out, what comes
/// back, one connection for many requests, and each failure with the kind a caller acts on.
@Suite struct HTTPTransportTests {
    private let options = HTTPTransportOptions(userAgent: "sdtrack-tests")

    @Test func getReturnsStatusHeadersAndBody() throws {
        let server = try TestServer()
        let response = try HTTPTransport(options: options).send(HTTPRequest(.get, server.url("/echo")))
        #expect(response.status == 200)
        #expect(response.isSuccess)
        #expect(response.header("X-Method") == "GET")
        #expect(response.headers.contains { $0.name == "content-type" && $0.value == "application/octet-stream" })
        #expect(response.body.isEmpty)
    }

    @Test func postSendsTheBodyAndGetsItBack() throws {
        let server = try TestServer()
        let body = Array(#"{"format":"sdtrack.push/1","items":[]}"#.utf8)
        let response = try HTTPTransport(options: options).send(
            HTTPRequest(.post, server.url("/echo"), headers: [("Content-Type", "application/json")], body: body))
        #expect(response.status == 200)
        #expect(response.header("x-method") == "POST")
        #expect(response.body == body)
    }

    /// libcurl would send Expect: 100-continue above 1 MiB and wait for an answer that
    /// sdtrack's server never gives.
    @Test func largePostSendsNoExpectContinue() throws {
        let server = try TestServer()
        let body = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        let response = try HTTPTransport(options: options).send(HTTPRequest(.post, server.url("/echo"), body: body))
        #expect(response.status == 200)
        #expect(response.header("x-expect") == "none")
        #expect(response.header("x-body-length") == String(body.count))
        #expect(response.body == body)
    }

    @Test func putDeleteAndAnEmptyPostNameTheirMethod() throws {
        let server = try TestServer()
        let transport = try HTTPTransport(options: options)
        let put = try transport.send(HTTPRequest(.put, server.url("/echo"), body: Array("run".utf8)))
        #expect(put.header("x-method") == "PUT")
        #expect(put.body == Array("run".utf8))
        let delete = try transport.send(HTTPRequest(.delete, server.url("/echo")))
        #expect(delete.header("x-method") == "DELETE")
        #expect(delete.header("x-body-length") == "0")
        let emptyPost = try transport.send(HTTPRequest(.post, server.url("/echo")))
        #expect(emptyPost.header("x-method") == "POST")
        #expect(emptyPost.header("x-body-length") == "0")
        // A GET after them carries none of their method or body.
        let get = try transport.send(HTTPRequest(.get, server.url("/echo")))
        #expect(get.header("x-method") == "GET")
        #expect(get.header("x-body-length") == "0")
    }

    @Test func authorizationHeaderPassesThrough() throws {
        let server = try TestServer()
        let token = "Bearer sdt_0123456789abcdef_" + String(repeating: "A", count: 43)
        let response = try HTTPTransport(options: options).send(
            HTTPRequest(.get, server.url("/echo"), headers: [("Authorization", token)]))
        #expect(response.header("x-authorization") == token)
    }

    @Test func oneTransportKeepsOneConnection() throws {
        let server = try TestServer()
        let transport = try HTTPTransport(options: options)
        #expect(try transport.send(HTTPRequest(.get, server.url("/echo"))).status == 200)
        #expect(try transport.send(HTTPRequest(.post, server.url("/echo"), body: [1, 2, 3])).status == 200)
        let count = try transport.send(HTTPRequest(.get, server.url("/connections")))
        #expect(String(decoding: count.body, as: UTF8.self) == "1")
    }

    @Test func serviceUnavailableIsAResponseWithRetryAfter() throws {
        let server = try TestServer()
        let response = try HTTPTransport(options: options).send(HTTPRequest(.post, server.url("/busy"), body: [1]))
        #expect(response.status == 503)
        #expect(!response.isSuccess)
        #expect(response.header("retry-after") == "7")
        #expect(response.retryAfterSeconds == 7)
        #expect(response.mediaType == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"busy\""))
    }

    @Test func compressedResponseArrivesDecoded() throws {
        let server = try TestServer()
        let response = try HTTPTransport(options: options).send(HTTPRequest(.get, server.url("/gzip")))
        #expect(response.header("content-encoding") == "gzip")
        #expect(response.body == Array(String(repeating: "sdtrack ", count: 1000).utf8))
    }

    @Test func refusedConnectionIsOffline() throws {
        let server = try TestServer()
        let error = #expect(throws: HTTPError.self) {
            try HTTPTransport(options: options).send(HTTPRequest(.get, "http://127.0.0.1:\(server.closedPort)/"))
        }
        #expect(error?.kind == .offline)
        #expect(error?.curlCode == 7)  // CURLE_COULDNT_CONNECT
        #expect(error?.kind.isRetryable == false)
    }

    @Test func unknownHostIsOffline() throws {
        let error = #expect(throws: HTTPError.self) {
            try HTTPTransport(options: options).send(HTTPRequest(.get, "http://nonexistent.invalid/v1/health"))
        }
        #expect(error?.kind == .offline)
    }

    @Test func stalledResponseTimesOutAndTheTransportRecovers() throws {
        let server = try TestServer()
        var options = options
        options.lowSpeedTime = .seconds(1)
        let transport = try HTTPTransport(options: options)
        let error = #expect(throws: HTTPError.self) { try transport.send(HTTPRequest(.get, server.url("/stall"))) }
        #expect(error?.kind == .timeout)
        #expect(error?.kind.isRetryable == true)
        #expect(try transport.send(HTTPRequest(.get, server.url("/echo"))).status == 200)
    }

    @Test(arguments: ["/hang-up", "/truncated"])
    func connectionClosedEarlyIsConnectionLost(path: String) throws {
        let server = try TestServer()
        let error = #expect(throws: HTTPError.self) {
            try HTTPTransport(options: options).send(HTTPRequest(.get, server.url(path)))
        }
        #expect(error?.kind == .connectionLost)
        #expect(error?.kind.isRetryable == true)
        #expect(error?.message.isEmpty == false)
    }

    /// TLS to a server that speaks plain HTTP: the handshake fails.
    @Test func tlsHandshakeFailureIsTLS() throws {
        let server = try TestServer()
        let error = #expect(throws: HTTPError.self) {
            try HTTPTransport(options: options).send(HTTPRequest(.get, "https://127.0.0.1:\(server.port)/echo"))
        }
        #expect(error?.kind == .tls)
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "http://[::1/"])
    func urlThatIsNotHTTPIsInvalid(url: String) throws {
        let error = #expect(throws: HTTPError.self) { try HTTPTransport(options: options).send(HTTPRequest(.get, url)) }
        #expect(error?.kind == .invalidURL)
    }

    @Test func headerWithALineBreakIsRefused() throws {
        let server = try TestServer()
        let error = #expect(throws: HTTPError.self) {
            try HTTPTransport(options: options).send(
                HTTPRequest(.get, server.url("/echo"), headers: [("X-Note", "a\r\nX-Injected: 1")]))
        }
        #expect(error?.kind == .other)
        #expect(error?.message.contains("X-Injected") == false)
    }
}
