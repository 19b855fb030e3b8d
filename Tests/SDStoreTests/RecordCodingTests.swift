import Foundation
import SDTestSupport
import Testing

@testable import SDStore

@Suite struct RecordCodingTests {
    @Test func blobsAreLittleEndianFloat64() {
        #expect(Float64Blob.encode([1.0]) == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(Float64Blob.encode([-2.5]) == [0, 0, 0, 0, 0, 0, 0x04, 0xC0])
        let values = [0, -0.0, .leastNonzeroMagnitude, .pi, -1e308, .infinity, 1 / 3]
        let decoded = Float64Blob.decode(Float64Blob.encode(values))!
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(Float64Blob.decode([1, 2, 3]) == nil)
    }

    @Test func timestampsAreISO8601UTCAndSortAsText() {
        let time = Timestamp(millisecondsSince1970: 1_795_000_000_123)
        #expect(time.iso8601 == "2026-11-18T11:06:40.123Z")
        #expect(Timestamp(iso8601: time.iso8601) == time)
        #expect(Timestamp(iso8601: "2026-11-18")?.iso8601 == "2026-11-18T00:00:00.000Z")
        #expect(Timestamp(iso8601: "2026-11-18T11:06")?.iso8601 == "2026-11-18T11:06:00.000Z")
        #expect(Timestamp(iso8601: "1969-12-31T23:59:59.999Z")?.millisecondsSince1970 == -1)
        #expect(Timestamp(millisecondsSince1970: -1).iso8601 == "1969-12-31T23:59:59.999Z")
        for bad in ["", "2026-13-01", "2026-11-18T25:00", "yesterday", "2026-11-18T09:46:40.1234Z"] {
            #expect(Timestamp(iso8601: bad) == nil, "\(bad)")
        }
        let earlier = Timestamp(millisecondsSince1970: 999), later = Timestamp(millisecondsSince1970: 1000)
        #expect(earlier < later && earlier.iso8601 < later.iso8601)
    }
}
