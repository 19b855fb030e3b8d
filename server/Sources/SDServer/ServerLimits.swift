/// How much one request may ask of the server. The defaults suit batches of a few thousand runs
/// with their spectra; tests pass small ones. `GET /v1/info` reports them so that a client can size
/// its batches.
public struct ServerLimits: Sendable, Equatable {
    /// The largest request body as sent (compressed or not).
    public var maxRequestBytes: Int
    /// The largest body after gzip: a small compressed body can inflate to gigabytes.
    public var maxInflatedBytes: Int
    /// The most items one push may carry.
    public var maxBatchItems: Int
    /// The most pushes served at once; more are told to retry (429), so that writers queue in
    /// the clients, not in the server's memory.
    public var maxConcurrentPushes: Int

    public init(
        maxRequestBytes: Int = 64 << 20, maxInflatedBytes: Int = 512 << 20, maxBatchItems: Int = 1000,
        maxConcurrentPushes: Int = 8
    ) {
        self.maxRequestBytes = maxRequestBytes
        self.maxInflatedBytes = maxInflatedBytes
        self.maxBatchItems = maxBatchItems
        self.maxConcurrentPushes = maxConcurrentPushes
    }
}
