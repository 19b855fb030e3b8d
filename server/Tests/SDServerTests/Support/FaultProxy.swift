import Foundation

/// A fault-injecting HTTP proxy between `sdtrack sync` and a server: a Python 3 (standard library) script the
/// test writes to its folder and starts. It listens on 127.0.0.1 (a free port, printed as `port N`) and
/// forwards every request to the server on a fresh connection; the first `count` uploads (POST /v1/runs) get
/// the fault instead, each logged as a line `fault MODE`:
/// - `drop`: forwarded, the server's whole answer read, then the client's connection closed unanswered;
/// - `503`: answered 503 with `Retry-After: SECONDS` without being forwarded;
/// - `stall`: forwarded, the answer read, then held SECONDS before the connection is closed unanswered.
final class FaultProxy: @unchecked Sendable {
    enum Mode: String {
        case drop, stall, none
        case unavailable = "503"
    }

    let child: ChildProcess
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    init(upstreamPort: Int, mode: Mode, count: Int, seconds: Double = 0, folder: URL) async throws {
        let script = folder.appendingPathComponent("fault_proxy.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        child = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script.path, "\(upstreamPort)", mode.rawValue, "\(count)", "\(seconds)"], folder: folder)
        let line = try await child.waitForLine(startingWith: "port ", in: \.stdoutURL)
        guard let port = Int(line.dropFirst(5)) else { throw TestFailure("the proxy said \(line)") }
        self.port = port
    }

    /// How many faults it injected so far.
    var faults: Int { child.stdoutSoFar().split(separator: "\n").filter { $0.hasPrefix("fault ") }.count }

    func stop() async {
        child.signal(SIGKILL)
        await child.waitForExit()
    }

    static let script = #"""
        import http.client
        import http.server
        import sys
        import threading
        import time

        UPSTREAM = int(sys.argv[1])
        MODE = sys.argv[2]
        LEFT = [int(sys.argv[3])]
        SECONDS = float(sys.argv[4])
        LOCK = threading.Lock()
        HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "expect",
               "proxy-connection", "te", "upgrade"}


        def log(text):
            with LOCK:
                sys.stdout.write(text + "\n")
                sys.stdout.flush()


        def take_fault(method, path):
            if MODE == "none" or method != "POST" or path != "/v1/runs":
                return False
            with LOCK:
                if LEFT[0] <= 0:
                    return False
                LEFT[0] -= 1
                return True


        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                fault = take_fault(self.command, self.path)
                if fault and MODE == "503":
                    log("fault 503")
                    payload = b'{"error":{"code":"unavailable","message":"injected by the test proxy"}}'
                    self.send_response(503)
                    self.send_header("Retry-After", str(int(SECONDS)))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
                upstream = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=120)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    payload = response.read()
                except OSError as error:
                    log("upstream " + str(error))
                    self.close_connection = True
                    return
                finally:
                    upstream.close()
                if fault and MODE == "drop":
                    log("fault drop")
                    self.close_connection = True
                    return
                if fault and MODE == "stall":
                    log("fault stall")
                    time.sleep(SECONDS)
                    self.close_connection = True
                    return
                self.send_response_only(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = relay


        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass


        server = Server(("127.0.0.1", 0), Handler)
        log("port %d" % server.server_address[1])
        server.serve_forever()
        """#
}
