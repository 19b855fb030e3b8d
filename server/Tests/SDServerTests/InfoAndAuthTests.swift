import Foundation
import SDServer
import SDStore
import Testing

@Suite struct InfoAndAuthTests {
    @Test func healthNeedsNoToken() async throws {
        try await withTestServer { server in
            let answer = try await server.client.get("/v1/health", token: nil)
            #expect(answer.status == 200)
            #expect(answer.text == "{\"status\":\"ok\"}\n")
        }
    }

    @Test func infoNamesTheServerAndItsLimits() async throws {
        let limits = ServerLimits(maxRequestBytes: 1000, maxInflatedBytes: 2000, maxBatchItems: 3)
        try await withTestServer(limits: limits) { server in
            let answer = try await server.client.get("/v1/info", token: server.pushToken)
            #expect(answer.status == 200)
            let json = try #require(answer.json)
            #expect(json["format"]?.stringValue == "sdtrack.server/1")
            #expect(json["server_id"]?.stringValue == (try server.store.serverID()))
            #expect(json["version"]?.stringValue == sdtrackVersion)
            #expect(json["limits"]?["max_request_bytes"]?.intValue == 1000)
            #expect(json["limits"]?["max_inflated_bytes"]?.intValue == 2000)
            #expect(json["limits"]?["max_batch_items"]?.intValue == 3)
        }
    }

    @Test func requestsWithoutAValidTokenAre401AndWriteNothing() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let body = pushBody([try client.record(seed: 0)])
        try await withTestServer { server in
            let wrongSecret = String(server.bothToken.dropLast()) + (server.bothToken.hasSuffix("A") ? "B" : "A")
            let unknown = TokenText.generate().text
            for token in [nil, "garbage", wrongSecret, unknown] {
                let answer = try await server.client.post("/v1/runs", token: token, json: body)
                #expect(answer.status == 401)
                #expect(answer.header("WWW-Authenticate") == "Bearer")
                #expect(answer.errorCode == "unauthorized")
                #expect((try await server.client.get("/v1/info", token: token)).status == 401)
            }
            #expect(try server.store.runs().isEmpty)
        }
    }

    @Test func aRevokedTokenIsRefusedWithinASecond() async throws {
        try await withTestServer { server in
            #expect((try await server.client.get("/v1/info", token: server.bothToken)).status == 200)
            #expect(try server.store.revokeToken(id: server.bothTokenID))
            try await Task.sleep(for: .milliseconds(1100))
            let answer = try await server.client.get("/v1/info", token: server.bothToken)
            #expect(answer.status == 401)
            #expect(answer.header("WWW-Authenticate") == "Bearer")
        }
    }

    @Test func aTokenWithoutTheScopeIs403AndWritesNothing() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let body = pushBody([try client.record(seed: 0)])
        try await withTestServer { server in
            let push = try await server.client.post("/v1/runs", token: server.readToken, json: body)
            #expect(push.status == 403)
            #expect(push.errorCode == "forbidden")
            let read = try await server.client.get("/v1/runs", token: server.pushToken)
            #expect(read.status == 403)
            #expect(try server.store.runs().isEmpty)
        }
    }

    @Test func unknownEndpointsAnswerAJSONError() async throws {
        try await withTestServer { server in
            let answer = try await server.client.get("/v1/nothing", token: server.bothToken)
            #expect(answer.status == 404)
            #expect(answer.errorCode == "not_found")
        }
    }
}
