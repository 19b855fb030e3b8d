import SDStore

/// What every route handler shares: the store, the thread its calls run on, the limits and the
/// body reader. One per server.
struct ServerContext: Sendable {
    let store: RunStore
    let executor: StoreExecutor
    let limits: ServerLimits
    let serverID: String

    var bodies: BodyReader { BodyReader(limits: limits) }

    /// Runs a store call off the event loops.
    func withStore<T: Sendable>(_ body: @escaping @Sendable (RunStore) throws -> T) async throws(ServerError) -> T {
        let store = self.store
        return try await executor.run { try body(store) }
    }
}
