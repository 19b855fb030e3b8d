/// Vectors of doubles as SQLite blobs: 8 bytes per value, IEEE 754 binary64,
/// little-endian, whatever the machine (numpy reads them with dtype '<f8').
enum Float64Blob {
    static func encode(_ values: [Double]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// nil when the byte count is not a multiple of 8.
    static func decode(_ bytes: [UInt8]) -> [Double]? {
        guard bytes.count % 8 == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: 8).map { offset in
            var bits: UInt64 = 0
            for index in (0 ..< 8).reversed() { bits = bits << 8 | UInt64(bytes[offset + index]) }
            return Double(bitPattern: bits)
        }
    }
}
