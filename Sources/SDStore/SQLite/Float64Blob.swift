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
        var values = [Double]()
        values.reserveCapacity(bytes.count / 8)
        bytes.withUnsafeBytes { decode($0, appendingTo: &values) }
        return values
    }

    /// Appends the values of `bytes` to `values`; a trailing partial value is ignored.
    static func decode(_ bytes: UnsafeRawBufferPointer, appendingTo values: inout [Double]) {
        for offset in stride(from: 0, to: bytes.count - 7, by: 8) {
            values.append(
                Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        }
    }
}
