/// How much one request may ask of the server. The defaults suit a client's batches (4 MiB) with
/// room to spare; tests pass small ones. Parsed JSON takes about 15 times its text in memory, so
/// the inflated size, not only the size sent, is what bounds a request's memory. `GET /v1/info`
/// reports them so that a client can size its batches.
public struct ServerLimits: Sendable, Equatable {
    /// The largest request body as sent (compressed or not).
    public var maxRequestBytes: Int
    /// The largest body after gzip: a small compressed body can inflate to gigabytes.
    public var maxInflatedBytes: Int
    /// The most items one push may carry.
    public var maxBatchItems: Int
    /// The most requests with a body (pushes, checks) served at once; more are told to retry
    /// (429), so that writers queue in the clients, not in the server's memory.
    public var maxConcurrentPushes: Int

    public init(
        maxRequestBytes: Int = 32 << 20, maxInflatedBytes: Int = 32 << 20, maxBatchItems: Int = 1000,
        maxConcurrentPushes: Int = 8
    ) {
        self.maxRequestBytes = maxRequestBytes
        self.maxInflatedBytes = maxInflatedBytes
        self.maxBatchItems = maxBatchItems
        self.maxConcurrentPushes = maxConcurrentPushes
    }
}
