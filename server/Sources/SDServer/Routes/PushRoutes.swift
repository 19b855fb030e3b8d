import Hummingbird
import SDDocuments
import SDJSON
import SDStore

/// The write endpoints. Each item of a push gets its own result: a malformed item is `rejected`, a
/// run that contradicts the stored one is a `conflict`, and neither fails the others. Only a body that
/// is not a push at all (or too large) fails the request.
enum PushRoutes {
    /// `POST /v1/runs` with an `sdtrack.push/1` document.
    static func push(_ server: ServerContext, _ request: Request) async throws(ServerError) -> Response {
        let document = try await server.bodies.json(of: request)
        if case .array(let items)? = document["items"], items.count > server.limits.maxBatchItems {
            throw .tooLarge(
                "\(items.count) items in one push; at most \(server.limits.maxBatchItems), send smaller batches")
        }
        return try await store(try decode(document), server)
    }

    /// `PUT /v1/runs/{id}` with one `sdtrack.record/1` document: a push of that one run.
    static func put(_ server: ServerContext, _ request: Request, id: String) async throws(ServerError) -> Response {
        let document = try await server.bodies.json(of: request)
        guard case .object(let members) = document else { throw .badRequest("the body is not a JSON object") }
        guard document["format"]?.stringValue == RunDocument.recordFormat else {
            throw .badRequest("the body must be an \(RunDocument.recordFormat) document")
        }
        guard document["run_id"]?.stringValue == id else {
            throw .badRequest("the record's run_id is not \(id), the run of the URL")
        }
        let record = JSONValue.object(members.filter { $0.0 != "format" })
        let push = JSONValue.object([
            ("format", .string(PushDocument.requestFormat)), ("items", .array([.object([("run", record)])])),
        ])
        return try await store(try decode(push), server)
    }

    /// `DELETE /v1/runs/{id}`: a run deleted where it was recorded, sent by the sync of a remote
    /// that propagates deletes. Idempotent: a run already gone answers `"deleted": false`.
    static func delete(_ server: ServerContext, id: String) async throws(ServerError) -> Response {
        guard RunRecord.isValidID(id) else {
            throw .badRequest("'\(id.prefix(40))' is not a run ID (a lower-case UUID)")
        }
        let deleted = try await server.withStore { store in
            do {
                try store.delete(runIDs: [id], force: true)
                return true
            } catch let error as StoreError where error.code == .unknownRun {
                return false
            }
        }
        return JSONResponse.make(.object([("run_id", .string(id)), ("deleted", .bool(deleted))]))
    }

    private static func decode(_ document: JSONValue) throws(ServerError) -> [PushDocument.Item] {
        do {
            return try PushDocument.items(in: document)
        } catch {
            throw .badRequest("the body is not an \(PushDocument.requestFormat) document: \(error.description)")
        }
    }

    /// Upserts the valid items in one call and answers every item's result in the items' order.
    private static func store(_ items: [PushDocument.Item], _ server: ServerContext) async throws(ServerError)
        -> Response
    {
        let valid = items.compactMap { item -> SyncItem? in
            if case .item(let syncItem) = item { return syncItem }
            return nil
        }
        var stored = valid.isEmpty ? [] : try await server.withStore { store in try store.upsert(valid) }[...]
        var results = [UpsertResult]()
        for item in items {
            switch item {
            case .item:
                guard let result = stored.popFirst() else {
                    throw ServerError(.internalServerError, code: "internal", "the store answered too few results")
                }
                results.append(result)
            case .rejected(let runID, let message):
                results.append(UpsertResult(runID: runID, outcome: .rejected, message: message))
            }
        }
        return JSONResponse.make(PushDocument.result(results))
    }
}
