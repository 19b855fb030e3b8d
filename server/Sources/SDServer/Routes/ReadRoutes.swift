import Hummingbird
import SDDocuments
import SDJSON
import SDReports
import SDStore

/// The read endpoints, each answering exactly the JSON that the command line prints with `--json`
/// for the same question, from the same library calls.
enum ReadRoutes {
    /// `GET /v1/runs/{id}`: `sdtrack runs show ID --json` (a unique prefix works too).
    static func show(_ server: ServerContext, id: String) async throws(ServerError) -> Response {
        JSONResponse.make(
            try await server.withStore { store in
                RunDocument.show(try store.completeRuns(ids: [try store.resolve(id)])[0])
            })
    }

    /// `GET /v1/runs`: `sdtrack runs list --json` with the same filters.
    static func list(_ server: ServerContext, _ request: Request) async throws(ServerError) -> Response {
        let filter = try QueryParameters(request).runFilter()
        return JSONResponse.make(
            try await server.withStore { store in RunDocument.list(try store.runs(matching: filter)) })
    }

    /// `GET /v1/best-rounds`: `sdtrack query best-rounds --json`.
    static func bestRounds(_ server: ServerContext, _ request: Request) async throws(ServerError) -> Response {
        let query = try QueryParameters(request).runQuery()
        return JSONResponse.make(
            try await server.withStore { store in try BestRoundsReport(query, store: store).json() })
    }

    /// `GET /v1/curve`: `sdtrack query curve --json`.
    static func curve(_ server: ServerContext, _ request: Request) async throws(ServerError) -> Response {
        let query = try QueryParameters(request).runQuery()
        return JSONResponse.make(try await server.withStore { store in try CurveReport(query, store: store).json() })
    }

    /// `POST /v1/runs:check` with `{"run_ids": [...]}`: what the server holds of each run, for
    /// `sdtrack sync --verify` to compare with what it believes was acknowledged. Runs the server does
    /// not have are under "missing".
    static func check(_ server: ServerContext, _ request: Request) async throws(ServerError) -> Response {
        let body = try await server.bodies.json(of: request)
        guard case .array(let values)? = body["run_ids"], let ids = Optional(values.compactMap(\.stringValue)),
            ids.count == values.count
        else {
            throw .badRequest("the body must be {\"run_ids\": [\"<run id>\", ...]}")
        }
        guard ids.count <= server.limits.maxBatchItems * 10 else {
            throw .tooLarge("more than \(server.limits.maxBatchItems * 10) run ids; ask in parts")
        }
        let answer = try await server.withStore { store in
            var present = [(String, JSONValue)](), missing = [JSONValue]()
            for id in ids {
                do {
                    guard RunRecord.isValidID(id) else { throw StoreError(.unknownRun, id) }
                    let run = try store.run(id: id)
                    present.append(
                        (
                            id,
                            .object([
                                ("round_count", .int(run.roundCount)), ("status", .string(run.status.rawValue)),
                                ("labels_edited_at", .optional(run.labelsEditedAt?.iso8601)),
                            ])
                        ))
                } catch let error as StoreError where error.code == .unknownRun {
                    missing.append(.string(id))
                }
            }
            return JSONValue.object([("present", .object(present)), ("missing", .array(missing))])
        }
        return JSONResponse.make(answer)
    }
}
