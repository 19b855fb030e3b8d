import Foundation
import SDDocuments
import SDJSON
import SDServer
import SDStore
import Testing

@Suite struct PushTests {
    /// DELETE needs the push scope, and is idempotent.
    @Test func aDeleteNeedsThePushScopeAndARunAlreadyGoneIsNotAnError() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let run = try client.record(seed: 0)
        try await withTestServer { server in
            _ = try await server.client.post("/v1/runs", token: server.pushToken, json: pushBody([run]))
            let path = "/v1/runs/" + run.run.id
            #expect(try await server.client.send("DELETE", path, token: server.readToken).status == 403)
            #expect(try await server.client.send("DELETE", path).status == 401)
            #expect(try server.store.completeRuns(ids: [run.run.id]).count == 1)
            let deleted = try await server.client.send("DELETE", path, token: server.pushToken)
            #expect(deleted.status == 200 && deleted.json?["deleted"] == .bool(true))
            let again = try await server.client.send("DELETE", path, token: server.pushToken)
            #expect(again.status == 200 && again.json?["deleted"] == .bool(false))
            #expect(try await server.client.send("DELETE", "/v1/runs/nope", token: server.pushToken).status == 400)
        }
    }

    @Test func aBatchInsertsItsRunsAndARepeatIsUnchanged() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let runs = try (0..<3).map { try client.record(seed: $0) }
        try await withTestServer { server in
            let first = try await server.client.post("/v1/runs", token: server.pushToken, json: pushBody(runs))
            #expect(first.status == 200)
            #expect(first.json?["format"]?.stringValue == "sdtrack.push-result/1")
            #expect(outcomes(first) == ["inserted", "inserted", "inserted"])
            for run in runs {
                let stored = try server.store.completeRuns(ids: [run.run.id])[0]
                #expect(RunDocument.show(stored) == RunDocument.show(run))
            }
            let again = try await server.client.post("/v1/runs", token: server.bothToken, json: pushBody(runs))
            #expect(outcomes(again) == ["unchanged", "unchanged", "unchanged"])
        }
    }

    @Test func aConflictingRunIsAPerItemConflictAndChangesNothing() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let run = try client.record(seed: 0), other = try client.record(seed: 1)
        try await withTestServer { server in
            _ = try await server.client.post("/v1/runs", token: server.pushToken, json: pushBody([run]))
            let before = try server.store.completeRuns(ids: [run.run.id])[0]
            var changed = run
            changed.rounds[1].gcv = 99
            let answer = try await server.client.post(
                "/v1/runs", token: server.pushToken, json: pushBody([changed, other]))
            #expect(answer.status == 200)
            #expect(outcomes(answer) == ["conflict", "inserted"])
            #expect(try server.store.completeRuns(ids: [run.run.id])[0] == before)
        }
    }

    @Test func aMalformedItemIsRejectedAndTheOthersAreStored() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let a = try client.record(seed: 0), b = try client.record(seed: 1)
        let broken = JSONValue.object([("run", .object([("run_id", .string("not-a-run")), ("rounds", .int(3))]))])
        let items: [JSONValue] = [
            .object([("run", .object(RunDocument.fields(of: a)))]), broken,
            .object([("run", .object(RunDocument.fields(of: b)))]),
        ]
        try await withTestServer { server in
            let answer = try await server.client.post("/v1/runs", token: server.pushToken, json: pushBody(items: items))
            #expect(answer.status == 200)
            #expect(outcomes(answer) == ["inserted", "rejected", "inserted"])
            let message = answer.json?["results"].flatMap { value -> String? in
                guard case .array(let results) = value else { return nil }
                return results[1]["message"]?.stringValue
            }
            #expect(message?.isEmpty == false)
            #expect(Set(try server.store.runs().map(\.id)) == [a.run.id, b.run.id])
        }
    }

    @Test func putStoresOneRecord() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let run = try client.record(seed: 0)
        let record = RunDocument.show(run).serializedBytes()
        try await withTestServer { server in
            let answer = try await server.client.send(
                "PUT", "/v1/runs/\(run.run.id)", token: server.pushToken, body: record)
            #expect(answer.status == 200)
            #expect(outcomes(answer) == ["inserted"])
            let elsewhere = try await server.client.send(
                "PUT", "/v1/runs/\(UUID().uuidString.lowercased())", token: server.pushToken, body: record)
            #expect(elsewhere.status == 400)
        }
    }

    @Test func gzipBodiesAreAccepted() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let run = try client.record(seed: 0)
        try await withTestServer { server in
            let answer = try await server.client.send(
                "POST", "/v1/runs", token: server.pushToken, body: gzip(pushBody([run]).serializedBytes()),
                headers: ["Content-Encoding": "gzip"])
            #expect(answer.status == 200)
            #expect(outcomes(answer) == ["inserted"])
        }
    }

    @Test func malformedJSONIs400WithWhereItStops() async throws {
        try await withTestServer { server in
            let answer = try await server.client.send(
                "POST", "/v1/runs", token: server.pushToken, body: Array("{\"format\": \n [1,".utf8))
            #expect(answer.status == 400)
            #expect(answer.errorCode == "malformed")
            let message = answer.json?["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("line 2, column"))
            let notAPush = try await server.client.post(
                "/v1/runs", token: server.pushToken, json: .object([("format", .string("sdtrack.runs/1"))]))
            #expect(notAPush.status == 400)
        }
    }

    @Test func otherEncodingsAre415() async throws {
        try await withTestServer { server in
            let answer = try await server.client.send(
                "POST", "/v1/runs", token: server.pushToken, body: [1, 2, 3], headers: ["Content-Encoding": "br"])
            #expect(answer.status == 415)
        }
    }
}
