import ArgumentParser
import SDStore

/// A time given on the command line: a UTC date or date-time (2026-11-29, 2026-11-29T08:00),
/// or an age such as 30m, 2h, 7d, 2w meaning that long before now.
enum TimeArgument {
    static let help = "a UTC date or date-time (2026-11-29, 2026-11-29T08:00) or an age (30m, 2h, 7d, 2w)"

    static func parse(_ text: String, option: String, now: Timestamp = .now()) throws -> Timestamp {
        if let timestamp = Timestamp(iso8601: text) { return timestamp }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count >= 0, count.isFinite {
            return now.adding(seconds: -count * unit)
        }
        throw ValidationError("\(option) '\(text)' is not a time; give \(help)")
    }
}
