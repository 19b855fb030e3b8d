import Hummingbird
import SDJSON
import SDStore

/// `GET /v1/health` (no token: for load balancers and `sdtrack sync` before it has one) and
/// `GET /v1/info` (any valid token): who the server is and how large a push may be.
enum InfoRoutes {
    static let infoFormat = "sdtrack.server/1"

    static func health() -> Response {
        JSONResponse.make(.object([("status", .string("ok"))]))
    }

    static func info(_ server: ServerContext) -> Response {
        let limits = server.limits
        return JSONResponse.make(
            .object([
                ("format", .string(infoFormat)), ("server_id", .string(server.serverID)),
                ("version", .string(sdtrackVersion)),
                (
                    "limits",
                    .object([
                        ("max_request_bytes", .int(limits.maxRequestBytes)),
                        ("max_inflated_bytes", .int(limits.maxInflatedBytes)),
                        ("max_batch_items", .int(limits.maxBatchItems)),
                    ])
                ),
            ]))
    }
}
