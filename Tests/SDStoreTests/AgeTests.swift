import Testing

@testable import SDStore

/// Ages (--since 7d): decimal counts and five units only, and at most 10^11 seconds back.
@Suite struct AgeTests {
    @Test func agesAreDecimalCountsOfAUnit() {
        let now = Timestamp(millisecondsSince1970: 1_795_000_000_000)
        #expect(Timestamp(dateOrAge: "1.5h", now: now) == now.adding(seconds: -5400))
        #expect(Timestamp(dateOrAge: "2w", now: now) == now.adding(seconds: -1_209_600))
        for refused in ["0x10d", "nand", "infd", "1e3s", "-1d", "d", ".d", "1.2.3h", "1y", "7 d", "１d"] {
            #expect(Timestamp(dateOrAge: refused, now: now) == nil, "\(refused)")
        }
        #expect(Timestamp.ageSeconds("1000000000d") == 86_400e9)
        #expect(Timestamp(dateOrAge: "1000000000d", now: now) == nil)
    }

    /// Found by fuzzing: an age within 10^11 seconds can still reach before the year 1, whose
    /// time has no ISO 8601 text; such an age is refused, and every age read writes back.
    @Test func anAgeBeforeTheYearOneIsRefused() {
        let now = Timestamp(iso8601: "2026-11-30T12:00:00.000Z")!
        #expect(Timestamp(dateOrAge: "151112w", now: now) == nil)
        let earliest = Timestamp(
            dateOrAge: "\(Int(now.secondsSince1970 - Timestamp.earliest.secondsSince1970))s", now: now)
        #expect(earliest == Timestamp.earliest && Timestamp(iso8601: earliest!.iso8601) == earliest)
    }
}
