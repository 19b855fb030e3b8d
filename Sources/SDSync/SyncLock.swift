import Foundation

/// One sync of a database at a time: an exclusive lock (flock) on `<database>.sync-lock`, which
/// the kernel releases when the process ends however it ends, so a killed sync never leaves it.
final class SyncLock {
    private let descriptor: Int32

    /// Takes the lock; when another sync holds it, calls `waiting` once and waits for it.
    init(databasePath: String, waiting: () -> Void) throws(SyncError) {
        let path = databasePath + ".sync-lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SyncError(.store, "cannot create \(path) (\(String(cString: strerror(errno))))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { throw Self.failure(path) }
            waiting()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else { throw Self.failure(path) }
            }
        }
    }

    private static func failure(_ path: String) -> SyncError {
        SyncError(.store, "cannot lock \(path) (\(String(cString: strerror(errno))))")
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
