import Foundation

/// A point in time to the millisecond, written as ISO 8601 UTC text
/// (2026-11-29T07:01:02.345Z): readable in any language, and sorted as text it sorts in time.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) { self.millisecondsSince1970 = millisecondsSince1970 }

    public static func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(millisecondsSince1970: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }

    public var secondsSince1970: Double { Double(millisecondsSince1970) / 1000 }

    public func adding(seconds: Double) -> Timestamp {
        Timestamp(millisecondsSince1970: millisecondsSince1970 + Int64((seconds * 1000).rounded()))
    }

    /// The ISO 8601 form sdtrack stores.
    public var iso8601: String {
        var seconds = time_t(millisecondsSince1970.floorDivided(by: 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
                      Int(millisecondsSince1970 - millisecondsSince1970.floorDivided(by: 1000) * 1000))
    }

    public var description: String { iso8601 }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z` (always UTC);
    /// nil for anything else.
    public init?(iso8601 text: String) {
        let pattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?Z?$/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(match.1)! - 1900
        parts.tm_mon = Int32(match.2)! - 1
        parts.tm_mday = Int32(match.3)!
        parts.tm_hour = match.4.map { Int32($0)! } ?? 0
        parts.tm_min = match.5.map { Int32($0)! } ?? 0
        parts.tm_sec = match.6.map { Int32($0)! } ?? 0
        guard (1 ... 12).contains(parts.tm_mon + 1), (1 ... 31).contains(parts.tm_mday), parts.tm_hour < 24,
              parts.tm_min < 60, parts.tm_sec < 61 else { return nil }
        let fraction = match.7.map { Int64($0.padding(toLength: 3, withPad: "0", startingAt: 0))! } ?? 0
        millisecondsSince1970 = Int64(timegm(&parts)) * 1000 + fraction
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
