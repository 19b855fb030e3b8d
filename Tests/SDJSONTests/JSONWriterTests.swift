import Foundation
import SDJSON
import SDTestSupport
import Testing

/// Numbers written and read back exactly, checked against Python's float reader and writer
/// (an independent implementation of shortest round-trip text and correct rounding).
@Suite struct JSONWriterTests {
    /// Doubles of every magnitude, sign and kind: whole, tiny, subnormal, huge, -0.
    static func doubles(count: Int) -> [Double] {
        var random = TestRandom(seed: 20261130)
        var values: [Double] = [
            0, -0.0, 1, -1, 80, 0.1, 1e-05, 2.5e3, 9007199254740992, 9007199254740994,
            -9007199254740992, 1e300, Double.leastNonzeroMagnitude, Double.leastNormalMagnitude,
            Double.greatestFiniteMagnitude,
        ]
        while values.count < count {
            let bits = random.next()
            let value = Double(bitPattern: bits)
            if value.isFinite { values.append(value) }
            values.append(Double(Int(truncatingIfNeeded: bits) >> 20))  // whole numbers
            values.append(Double(bits % 1_000_000) / 1000)  // short decimals
        }
        return values
    }

    @Test func numbersReadBackBitForBit() throws {
        for value in Self.doubles(count: 20_000) {
            let text = try #require(JSONNumber.text(value))
            let read = try #require(JSONValue.parse(text)?.doubleValue, "\(text)")
            #expect(read.bitPattern == value.bitPattern, "\(value) written as \(text) read back as \(read)")
        }
    }

    @Test func wholeNumbersAreWrittenAsIntegersAndNonFiniteAsNull() {
        #expect(
            JSONValue.array([
                .number(80), .number(-3), .number(0), .number(-0.0), .number(0.5), .number(1e16),
                .number(.nan), .number(.infinity),
            ]).serialized()
                == "[80,-3,0,-0.0,0.5,1e+16,null,null]")
        #expect(JSONNumber.text(1e20) == "1e+20" && JSONNumber.text(9007199254740994) == "9.007199254740994e+15")
    }

    /// Python reads what we write as the same doubles, and we read what Python writes.
    @Test func pythonAgreesOnEveryNumber() throws {
        try requirePython(modules: ["json", "struct"])
        let values = Self.doubles(count: 3000)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ours = try write(JSONValue.numbers(values).serialized(), to: "ours.json", in: folder)
        let script = """
            import json, struct, sys
            values = json.load(open(sys.argv[1]))
            print(json.dumps([struct.pack('<d', float(v)).hex() for v in values]))
            print(json.dumps([repr(float(v)) for v in values]))
            """
        let result = try python(["-c", script, ours])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let bits = try #require(
            JSONValue.parse(lines[0]).flatMap { value -> [String]? in
                guard case .array(let items) = value else { return nil }
                return items.compactMap(\.stringValue)
            })
        #expect(
            bits
                == values.map { value in
                    withUnsafeBytes(of: value.bitPattern.littleEndian) {
                        $0.map { String(format: "%02x", $0) }.joined()
                    }
                })
        let pythonTexts = try #require(
            JSONValue.parse(lines[1]).flatMap { value -> [String]? in
                guard case .array(let items) = value else { return nil }
                return items.compactMap(\.stringValue)
            })
        for (text, value) in zip(pythonTexts, values) {
            #expect(JSONValue.parse(text)?.doubleValue?.bitPattern == value.bitPattern, "\(text)")
        }
    }

    @Test func canonicalFormSortsKeysAtEveryDepthAndKeepsTheLastOfARepeatedKey() throws {
        // The reader refuses a repeated key; a value built in code may still have one.
        #expect(JSONValue.parse(#"{"b":1,"b":2}"#) == nil)
        let nested = try #require(JSONValue.parse(#"{"z":[{"y":2,"x":1}],"k":3.0}"#))
        let value = JSONValue.object([
            ("b", .int(1)), ("a", nested), ("b", .int(2)), ("é", .int(0)), ("Z", .number(0.5)),
        ])
        #expect(value.canonical.serialized() == #"{"Z":0.5,"a":{"k":3,"z":[{"x":1,"y":2}]},"b":2,"é":0}"#)
        #expect(value.canonical == JSONValue.parse(value.canonical.serialized()))
        #expect(JSONValue.raw(#"{"b":1,"a":2}"#).canonical.serialized() == #"{"a":2,"b":1}"#)
    }
}
