import Foundation
import SDTestSupport

/// A real HTTP/1.1 server on loopback, for one test: Python's http.server, started from a
/// script written to a temporary folder, stopped when the value is released. It counts the
/// connections it accepts, and each path plays one part a server or a network can play.
final class TestServer {
    /// The port the server listens on (127.0.0.1).
    let port: Int
    /// A port nothing listens on: bound and closed by the server at start.
    let closedPort: Int
    private let process: Process
    private let input: Pipe
    private let folder: URL

    init() throws {
        folder = try temporaryFolder()
        let script = try write(Self.script, to: "server.py", in: folder)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let output = Pipe()
        input = Pipe()
        process.standardOutput = output
        // The server exits when this pipe closes, so that none outlives a crashed test run
        // (unless another child started meanwhile inherited the pipe).
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestSupportError("the test server exited before printing its port") }
            line.append(chunk)
        }
        let ports = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard ports.count == 2 else {
            throw TestSupportError("the test server printed \(String(decoding: line, as: UTF8.self))")
        }
        port = ports[0]
        closedPort = ports[1]
    }

    deinit {
        // SIGKILL, not terminate()'s SIGTERM: a child started from a test thread inherits its
        // blocked signals, SIGTERM among them.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// http://127.0.0.1:PORT + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Paths:
    ///   /echo         the request body back, with X-Method, X-Expect, X-Authorization and
    ///                 X-Body-Length saying what the server received ("none" for no header)
    ///   /connections  the number of TCP connections accepted so far
    ///   /busy         503 with Retry-After: 7 and a JSON error body
    ///   /gzip         a gzip-compressed body (Content-Encoding: gzip)
    ///   /stall        headers announcing 1000 body bytes, then nothing for a minute (libcurl
    ///                 averages speed over 5 s: a few bytes first would delay the abort)
    ///   /hang-up      the connection closed without a response
    ///   /truncated    10 of 1000 body bytes, then the connection closed
    static let script = #"""
        import gzip, os, signal, socket, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        connections = 0
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive

            def setup(self):
                global connections
                with lock:
                    connections += 1
                super().setup()

            def log_message(self, *args):
                pass

            def read_body(self):
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def route(self):
                body = self.read_body()
                if self.path == "/echo":
                    self.reply(200, body, [
                        ("Content-Type", "application/octet-stream"),
                        ("X-Method", self.command),
                        ("X-Expect", self.headers.get("Expect", "none")),
                        ("X-Authorization", self.headers.get("Authorization", "none")),
                        ("X-Body-Length", str(len(body))),
                    ])
                elif self.path == "/connections":
                    with lock:
                        count = connections
                    self.reply(200, str(count).encode())
                elif self.path == "/busy":
                    self.reply(503, b'{"error":{"code":"busy","message":"try later"}}', [
                        ("Retry-After", "7"), ("Content-Type", "application/json; charset=utf-8")])
                elif self.path == "/gzip":
                    self.reply(200, gzip.compress(b"sdtrack " * 1000), [("Content-Encoding", "gzip")])
                elif self.path == "/stall":
                    self.send_response(200)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.flush()
                    time.sleep(60)
                    self.close_connection = True
                elif self.path == "/truncated":
                    self.send_response(200)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b"x" * 10)
                    self.close_connection = True
                elif self.path == "/hang-up":
                    self.close_connection = True
                else:
                    self.reply(404)

            do_GET = do_POST = do_PUT = do_DELETE = route

        # Started from a test thread, this process inherits its blocked signals: unblock them.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])

        def exit_when_stdin_closes():
            sys.stdin.read()
            os._exit(0)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
        closed.close()
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
        print(server.server_address[1], closed_port, flush=True)
        server.serve_forever()
        """#
}
