#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// One process at a time runs a sweep on a database: a second would run the same points again
/// (it looks for finished points when it starts). An advisory lock on `<db>.sweep-<id>.lock`,
/// held while the sweep runs and let go by the system when the process ends, however it ends.
public final class SweepLock {
    private let descriptor: Int32

    /// Takes the lock, or throws SweepError when another process holds it.
    public init(databasePath: String, sweep: String) throws(SweepError) {
        let path = databasePath + ".sweep-\(sweep).lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SweepError("cannot open the sweep's lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SweepError(
                "sweep \(sweep) is running on \(databasePath) already; wait for it, or split the sweep with --shard")
        }
    }

    deinit { close(descriptor) }
}
