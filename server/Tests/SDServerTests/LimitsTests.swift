import Foundation
import SDJSON
import SDServer
import Testing

@Suite struct LimitsTests {
    @Test func aBodyOverTheCapIs413() async throws {
        try await withTestServer(limits: ServerLimits(maxRequestBytes: 64 << 10)) { server in
            let padding = String(repeating: "x", count: 200 << 10)
            let answer = try await server.client.post(
                "/v1/runs", token: server.pushToken,
                json: .object([("format", .string("sdtrack.push/1")), ("items", .array([.string(padding)]))]))
            #expect(answer.status == 413)
            #expect(answer.errorCode == "too_large")
            #expect(try server.store.runs().isEmpty)
        }
    }

    @Test func tooManyItemsIs413() async throws {
        try await withTestServer(limits: ServerLimits(maxBatchItems: 2)) { server in
            let answer = try await server.client.post(
                "/v1/runs", token: server.pushToken, json: pushBody(items: Array(repeating: .object([]), count: 3)))
            #expect(answer.status == 413)
            #expect(answer.errorCode == "too_large")
        }
    }

    @Test func aGzipBombIs413() async throws {
        // 50 MB of zeros in about 50 KB.
        let bomb = gzip([UInt8](repeating: 0, count: 50_000_000))
        #expect(bomb.count < 100_000)
        try await withTestServer(limits: ServerLimits(maxInflatedBytes: 1 << 20)) { server in
            let answer = try await server.client.send(
                "POST", "/v1/runs", token: server.pushToken, body: bomb, headers: ["Content-Encoding": "gzip"])
            #expect(answer.status == 413)
            #expect(answer.errorCode == "too_large")
        }
    }

    @Test func damagedGzipIs400() async throws {
        try await withTestServer { server in
            var body = gzip(Array("{\"format\":\"sdtrack.push/1\",\"items\":[]}".utf8))
            body.removeLast(12)
            let answer = try await server.client.send(
                "POST", "/v1/runs", token: server.pushToken, body: body, headers: ["Content-Encoding": "gzip"])
            #expect(answer.status == 400)
        }
    }
}

@Suite struct PushLimitTests {
    @Test func pushesPastTheLimitAre429WithRetryAfter() async throws {
        try await withTestServer(limits: ServerLimits(maxConcurrentPushes: 0)) { server in
            let answer = try await server.client.post("/v1/runs", token: server.pushToken, json: pushBody(items: []))
            #expect(answer.status == 429)
            #expect(answer.header("Retry-After") == "1")
            #expect((try await server.client.get("/v1/runs", token: server.readToken)).status == 200)
        }
    }
}
