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

    /// The ISO 8601 form sdtrack stores. Formatted by hand: lists print thousands of these.
    public var iso8601: String {
        let milliseconds = millisecondsSince1970.floorDivided(by: 1000)
        var seconds = time_t(milliseconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(48 + value / divisor))
                value %= divisor
                divisor /= 10
            }
        }
        append(Int(parts.tm_year) + 1900, digits: 4)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mon) + 1, digits: 2)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mday), digits: 2)
        bytes.append(UInt8(ascii: "T"))
        append(Int(parts.tm_hour), digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_min), digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_sec), digits: 2)
        bytes.append(UInt8(ascii: "."))
        append(Int(millisecondsSince1970 - milliseconds * 1000), digits: 3)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { iso8601 }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z` (always UTC);
    /// nil for anything else. Hand-written: a list of 10,000 runs parses 30,000 of these.
    public init?(iso8601 text: String) {
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "Z") { bytes.removeLast() }
        func number(_ range: Range<Int>) -> Int32? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int32 = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        func separator(_ index: Int, _ allowed: String) -> Bool {
            index < bytes.count && allowed.utf8.contains(bytes[index])
        }
        guard bytes.count >= 10, let year = number(0..<4), separator(4, "-"), let month = number(5..<7),
            separator(7, "-"),
            let day = number(8..<10)
        else { return nil }
        var hour: Int32 = 0, minute: Int32 = 0, second: Int32 = 0, fraction: Int64 = 0
        if bytes.count > 10 {
            guard separator(10, "T "), let h = number(11..<13), separator(13, ":"), let m = number(14..<16) else {
                return nil
            }
            (hour, minute) = (h, m)
            if bytes.count > 16 {
                guard separator(16, ":"), let s = number(17..<19) else { return nil }
                second = s
                if bytes.count > 19 {
                    let digits = bytes.count - 20
                    guard separator(19, "."), (1...3).contains(digits), let f = number(20..<bytes.count) else {
                        return nil
                    }
                    fraction = Int64(f) * [100, 10, 1][digits - 1]
                }
            }
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        // timegm moves a day that does not exist (2026-02-31 to 2026-03-03): such a text is no
        // time. (Leap seconds are refused above for the same reason: 23:59:60 is the next day.)
        guard parts.tm_year == year - 1900, parts.tm_mon == month - 1, parts.tm_mday == day else { return nil }
        millisecondsSince1970 = Int64(seconds) * 1000 + fraction
    }

    /// The forms a user gives a time in: a UTC date or date-time (`init(iso8601:)`), or an age
    /// such as 30m, 2h, 7d, 2w meaning that long before `now` (units s, m, h, d, w); nil for
    /// anything else.
    public init?(dateOrAge text: String, now: Timestamp = .now()) {
        if let time = Timestamp(iso8601: text) {
            self = time
            return
        }
        guard let seconds = Self.ageSeconds(text), seconds <= Self.longestAge else { return nil }
        let time = now.adding(seconds: -seconds)
        // Before the year 1 a time has no ISO 8601 text sdtrack writes or reads (found by fuzzing:
        // 151112w from 2026 is the year -929).
        guard time >= Self.earliest else { return nil }
        self = time
    }

    /// The longest age an `init(dateOrAge:)` takes, in seconds: 10^11 (some 3,000 years); a
    /// time further back does not fit in milliseconds. The time it names must also be after
    /// `earliest`.
    public static let longestAge = 1e11

    /// 0001-01-01T00:00:00.000Z: the earliest time with a four-digit year.
    public static let earliest = Timestamp(millisecondsSince1970: -62_135_596_800_000)

    /// The seconds of an age written as a decimal count and a unit (30m, 1.5h, 7d, 2w; units s,
    /// m, h, d, w), whatever its size; nil when `text` is not an age.
    public static func ageSeconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let count = text.dropLast()
        // Digits and one point only: Double() would also take "0x10", "nan", "1e3".
        guard let unit = text.last.flatMap({ units[$0] }), !count.isEmpty, count != ".",
            count.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), count.filter({ $0 == "." }).count <= 1,
            let value = Double(count)
        else { return nil }
        return value * unit
    }

    /// What `init(dateOrAge:)` accepts, in words for messages.
    public static let dateOrAgeForms =
        "a UTC date or date-time (2026-11-29, 2026-11-29T08:00) or an age (30m, 2h, 7d, 2w)"

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
