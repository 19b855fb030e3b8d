import Foundation
import SDDocuments
import SDJSON
import SDReports
import SDServer
import SDStore
import Testing

/// The read endpoints answer byte for byte what the command line prints with `--json`, computed by
/// the same library calls on the server's database.
@Suite struct ReadTests {
    /// A server holding three seeds of one configuration and a run of another experiment.
    func withRuns(_ body: (TestServer, [CompleteRun]) async throws -> Void) async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let runs =
            try (0..<3).map { try client.record(seed: $0, tags: [Tag(key: "sweep", value: "a")]) }
            + [try client.record(seed: 7, experiment: "other")]
        try await withTestServer { server in
            let pushed = try await server.client.post("/v1/runs", token: server.pushToken, json: pushBody(runs))
            #expect(outcomes(pushed) == ["inserted", "inserted", "inserted", "inserted"])
            try await body(server, runs)
        }
    }

    @Test func showAnswersRunsShowJSON() async throws {
        try await withRuns { server, runs in
            let id = runs[0].run.id
            let answer = try await server.client.get("/v1/runs/\(id)", token: server.readToken)
            #expect(answer.status == 200)
            #expect(answer.text == printed(RunDocument.show(try server.store.completeRuns(ids: [id])[0])))
            let prefix = try await server.client.get("/v1/runs/\(id.prefix(13))", token: server.readToken)
            #expect(prefix.text == answer.text)
            let missing = try await server.client.get(
                "/v1/runs/\(UUID().uuidString.lowercased())", token: server.readToken)
            #expect(missing.status == 404)
        }
    }

    @Test func listAnswersRunsListJSON() async throws {
        try await withRuns { server, _ in
            let all = try await server.client.get("/v1/runs", token: server.readToken)
            #expect(all.text == printed(RunDocument.list(try server.store.runs(matching: RunFilter(limit: 50)))))
            let filtered = try await server.client.get(
                "/v1/runs?experiment=sync-test&tag=sweep=a&status=finished&since=2020-01-01&limit=2",
                token: server.readToken)
            var filter = RunFilter(experiment: "sync-test", statuses: [.finished], limit: 2)
            filter.tags = [Tag(key: "sweep", value: "a")]
            filter.since = Timestamp(dateOrAge: "2020-01-01")
            #expect(filtered.text == printed(RunDocument.list(try server.store.runs(matching: filter))))
            #expect(
                filtered.json?["runs"].map { value in
                    if case .array(let runs) = value { return runs.count }
                    return -1
                } == 2)
        }
    }

    @Test func bestRoundsAndCurveAnswerTheQueryJSON() async throws {
        try await withRuns { server, _ in
            var query = RunQuery(filter: RunFilter(experiment: "sync-test"), metric: "gcv")
            let best = try await server.client.get(
                "/v1/best-rounds?experiment=sync-test&metric=gcv", token: server.readToken)
            #expect(best.status == 200)
            #expect(best.text == printed(try BestRoundsReport(query, store: server.store).json()))
            query.groupBy = [try #require(ConfigKey("kernel"))]
            query.filter.conditions = try WhereClause.parse("eps < 0.1")
            let curve = try await server.client.get(
                "/v1/curve?experiment=sync-test&metric=gcv&group-by=kernel&where=eps%20%3C%200.1",
                token: server.readToken)
            #expect(curve.status == 200)
            #expect(curve.text == printed(try CurveReport(query, store: server.store).json()))
            // --until, as the command line takes it; a time before every run leaves none.
            let until = try await server.client.get(
                "/v1/best-rounds?experiment=sync-test&metric=gcv&until=3000-01-01", token: server.readToken)
            #expect(until.text == best.text)
            let early = try await server.client.get("/v1/best-rounds?until=2000-01-01", token: server.readToken)
            #expect(early.status == 404)
        }
    }

    @Test func badParametersAre400NamingThem() async throws {
        try await withRuns { server, _ in
            for (path, parameter) in [
                ("/v1/runs?limit=-1", "limit"), ("/v1/runs?status=sleeping", "status"),
                ("/v1/runs?since=someday", "since"), ("/v1/runs?tag=nokey", "tag"),
                ("/v1/best-rounds?group-by=no%20such", "group-by"), ("/v1/curve?where=eps%20%3C", "where"),
                ("/v1/best-rounds?maximize=perhaps", "maximize"), ("/v1/runs?colour=red", "colour"),
            ] {
                let answer = try await server.client.get(path, token: server.readToken)
                #expect(answer.status == 400, "\(path)")
                #expect(answer.json?["error"]?["message"]?.stringValue?.contains(parameter) == true, "\(path)")
            }
            let unknownMetric = try await server.client.get("/v1/best-rounds?metric=nope", token: server.readToken)
            #expect(unknownMetric.status == 400)
            #expect(unknownMetric.errorCode == "unknown_metric")
            let noRuns = try await server.client.get("/v1/curve?experiment=none", token: server.readToken)
            #expect(noRuns.status == 404)
            #expect(noRuns.text.contains("server.db") == false)
        }
    }

    @Test func checkSaysWhatTheServerHas() async throws {
        try await withRuns { server, runs in
            let absent = UUID().uuidString.lowercased()
            let answer = try await server.client.post(
                "/v1/runs:check", token: server.readToken,
                json: .object([("run_ids", .array([.string(runs[0].run.id), .string(absent)]))]))
            #expect(answer.status == 200)
            let present = answer.json?["present"]?[runs[0].run.id]
            #expect(present?["round_count"]?.intValue == 4)
            #expect(present?["status"]?.stringValue == "finished")
            #expect(answer.json?["present"]?[absent] == nil)
            #expect(answer.json?["missing"] == .array([.string(absent)]))
        }
    }
}
