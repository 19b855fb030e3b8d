import SDJSON
import SDTestSupport
import Testing

/// The reader's fast decimal conversion (Eisel-Lemire) gives the bits strtod gives, the
/// independent reference (Swift's Double(String) is glibc's correctly rounded strtod).
@Suite struct DecimalToDoubleTests {
    static func parsed(_ text: String) -> Double? { JSONValue.parse(text)?.doubleValue }

    /// Numbers known to trip converters: halfway cases, the edges of the normal and subnormal
    /// ranges, overflow, long and short mantissas.
    @Test func hardCasesMatchStrtod() throws {
        let cases = [
            "1e23", "8.98846567431158e307", "9007199254740993", "9007199254740993.0", "2.2250738585072011e-308",
            "2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062327e-324",
            "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "1e-400", "1e400", "0.1", "0.30000000000000004", "123456789012345678", "1234567890123456789.5",
            "7.450580596923828125e-9", "4.35679198e-20", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124", "0.0000000000000000000000000000001",
            "-0.0", "-1.5e-310", "3.0540316421191e-309", "5e-324", "1e-324", "2e-323",
        ]
        for text in cases {
            let expected = try #require(Double(text))
            #expect(Self.parsed(text)?.bitPattern == expected.bitPattern, "\(text)")
        }
    }

    /// The shortest round-trip text of a million random doubles reads back exactly.
    @Test func shortestTextOfRandomDoublesReadsBack() {
        var random = TestRandom(seed: 348)
        var mismatches = [String]()
        for _ in 0..<1_000_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            let text = value.description
            if Self.parsed(text)?.bitPattern != value.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// Random decimals of 1 to 19 digits with exponents from -350 to 350 convert as strtod does.
    @Test func randomDecimalsMatchStrtod() throws {
        var random = TestRandom(seed: 2021)
        var mismatches = [String]()
        for _ in 0..<500_000 {
            let digitCount = Int.random(in: 1...19, using: &random)
            var digits = String(Int.random(in: 1...9, using: &random))
            for _ in 1..<digitCount { digits.append(String(Int.random(in: 0...9, using: &random))) }
            let point = Int.random(in: 1...digitCount, using: &random)
            let mantissa =
                point == digitCount
                ? digits : String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            let text = mantissa + "e" + String(Int.random(in: -350...350, using: &random))
            let expected = try #require(Double(text))
            if Self.parsed(text)?.bitPattern != expected.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}

/// "-0" is -0.0, as strtod reads it (the fuzzer's one mismatch).
@Suite struct NegativeZeroTests {
    @Test func minusZeroKeepsItsSign() {
        for text in ["-0", "-0.0", "-0e5", "-0.000"] {
            #expect(JSONValue.parse(text)?.doubleValue?.bitPattern == (-0.0).bitPattern, "\(text)")
        }
        #expect(
            JSONValue.parse("0")?.doubleValue?.bitPattern == (0.0).bitPattern && JSONValue.parse("0")?.intValue == 0)
    }
}
