/// Counts the pushes being served and refuses one more than `limit` with 429: every push holds a
/// batch in memory and waits for the one write connection, so past a few at once more would only
/// queue in the server's memory; clients retry after a second instead.
final class PushLimiter: Sendable {
    private let limit: Int
    private let inFlight = LockedValue(0)

    init(limit: Int) { self.limit = limit }

    func run<T>(_ body: () async throws -> T) async throws -> T {
        let admitted = inFlight.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw ServerError(
                .tooManyRequests, code: "too_many_pushes", "\(limit) pushes are being served; retry", retryAfter: 1)
        }
        defer { inFlight.withLock { $0 -= 1 } }
        return try await body()
    }
}
