import Foundation

/// Where a run is in its life. sdtrack stores running, finished or failed as a run goes; a
/// running row whose process is gone reads as killed (see `RunLiveness`). A run imported from
/// another database as killed is stored as killed.
public enum RunStatus: String, Sendable, CaseIterable {
    case running, finished, failed, killed

    /// Finished or failed: the run's end (status, ended_at, error, summary) is written, once.
    /// A killed run has none: it may still be ended by a copy that has its end (a sync).
    public var hasEnded: Bool { self == .finished || self == .failed }
}

/// Decides whether a run recorded as running still has a live process.
///
/// A run is killed when it ran on this host and its pid is gone, or when its heartbeat is
/// older than `staleAfter` (any host: a machine that lost power, or a pid reused by another
/// process). A live run writes a heartbeat every `Heartbeat.interval` seconds.
public struct RunLiveness: Sendable {
    /// Seconds without a heartbeat after which a run counts as killed.
    public static let staleAfter: Double = 120

    public let host: String
    public let now: Timestamp

    public init(host: String = RunLiveness.currentHost, now: Timestamp = .now()) {
        self.host = host
        self.now = now
    }

    public static var currentHost: String {
        var buffer = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The status a reader should see for a stored status.
    public func status(stored: RunStatus, host: String, pid: Int?, heartbeat: Timestamp?) -> RunStatus {
        guard stored == .running else { return stored }
        if host == self.host, let pid, !Self.processExists(pid) { return .killed }
        if let heartbeat, now.secondsSince1970 - heartbeat.secondsSince1970 > Self.staleAfter { return .killed }
        return .running
    }

    /// kill(pid, 0) checks for a process without signalling it; EPERM means it exists but
    /// belongs to another user.
    static func processExists(_ pid: Int) -> Bool {
        guard pid > 0, pid <= Int(Int32.max) else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }
}
