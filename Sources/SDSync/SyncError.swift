import SDHTTP
import SDStore

/// Why a sync stopped. Each is one line for the user; `exitCode` is what `sdtrack sync` exits with.
public struct SyncError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The server could not be reached at all (refused, unknown host): nothing was sent.
        case offline
        /// The server kept failing (timeouts, resets, 429, 5xx) past the retries.
        case unavailable
        /// The request cannot be made as asked: TLS refused, a bad URL or CA file, no libcurl.
        case transport
        /// The server refused the token (401) or its scope (403).
        case unauthorized
        /// No token for the remote, or a credentials file anyone else may read.
        case credentials
        /// The server answered something that is not sdtrack's protocol.
        case protocolError = "protocol"
        /// The local database failed.
        case store
        /// A bad remote name or URL.
        case usage
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// 75 (EX_TEMPFAIL) when trying again later may succeed (the server unreachable or failing),
    /// else 1.
    public var exitCode: Int32 { kind == .offline || kind == .unavailable ? 75 : 1 }

    static func store(_ error: StoreError) -> SyncError { SyncError(.store, error.message) }
}
