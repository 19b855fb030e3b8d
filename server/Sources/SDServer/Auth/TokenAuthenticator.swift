import Crypto
import Foundation
import SDStore

/// Decides whether a request's bearer token is valid and what it may do, from the store's tokens,
/// kept in memory. The tokens are read again at most once a second, when a token is not in memory
/// or when what is in memory is older than a second: a token made, or revoked, by `sdtrack-server
/// token` in another process counts within about a second, and a flood of bad tokens costs at
/// most one read a second.
final class TokenAuthenticator: Sendable {
    private struct Cache {
        var tokens: [String: TokenRecord] = [:]
        var loadedAt: ContinuousClock.Instant?
    }

    private let store: RunStore
    private let executor: StoreExecutor
    private let cache = LockedValue(Cache())
    static let refreshInterval = Duration.seconds(1)

    init(store: RunStore, executor: StoreExecutor) {
        self.store = store
        self.executor = executor
    }

    /// The record of the token in an `Authorization` header's value, or a 401 that says why not.
    func authenticate(_ header: String?) async throws(ServerError) -> TokenRecord {
        guard let header else { throw .unauthorized("no bearer token; send Authorization: Bearer <token>") }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
            let token = TokenText(parsing: parts[1].trimmingCharacters(in: .whitespaces))
        else {
            throw .unauthorized("the Authorization header is not Bearer sdt_<id>_<secret>")
        }
        return try await authenticate(token)
    }

    /// The record of a token (a bearer token's, or the one given to the dashboard's login form).
    func authenticate(_ token: TokenText) async throws(ServerError) -> TokenRecord {
        try await authenticate(id: token.id, sha256: token.sha256)
    }

    /// The record of the token with this id and digest (what a dashboard session remembers of
    /// its token), or a 401 when it is unknown, or revoked since.
    func authenticate(id: String, sha256: String) async throws(ServerError) -> TokenRecord {
        guard let record = try await record(id: id), Self.digestsMatch(sha256, record.sha256) else {
            throw .unauthorized("unknown token")
        }
        guard record.revokedAt == nil else { throw .unauthorized("the token was revoked") }
        return record
    }

    /// The stored record of `id`, reading the tokens again when due.
    private func record(id: String) async throws(ServerError) -> TokenRecord? {
        let now = ContinuousClock.now
        let (cached, due) = cache.withLock { cache in
            let fresh = cache.loadedAt.map { now - $0 < Self.refreshInterval } ?? false
            return (cache.tokens[id], !fresh)
        }
        guard due else { return cached }
        let store = self.store
        let tokens = try await executor.run { () throws(StoreError) in try store.tokens() }
        let byID = Dictionary(tokens.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        cache.withLock { $0 = Cache(tokens: byID, loadedAt: now) }
        return byID[id]
    }

    /// Whether two hex digests are equal, in time that does not depend on where they differ.
    static func digestsMatch(_ presented: String, _ stored: String) -> Bool {
        let a = Array(presented.utf8), b = Array(stored.lowercased().utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
