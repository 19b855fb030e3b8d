import CZlib

/// Inflates a gzip body with zlib, chunk by chunk, stopping as soon as the output would pass a cap:
/// a gzip bomb (megabytes of zeros in a few kilobytes) is refused after at most `cap` bytes of
/// output, never inflated whole first.
enum GzipInflater {
    enum Failure: Error, Equatable {
        /// The output passed the cap.
        case tooLarge
        /// Not gzip, truncated, or damaged: zlib's message.
        case corrupt(String)
    }

    /// The inflated bytes of `input` (one gzip member, or several concatenated, as RFC 1952 allows).
    static func inflate(_ input: [UInt8], cap: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip header and trailer, not a raw zlib stream.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let result: Result<Void, Failure> = input.withUnsafeBufferPointer { inputBytes in
            stream.next_in = UnsafeMutablePointer(mutating: inputBytes.baseAddress)
            stream.avail_in = UInt32(inputBytes.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { chunkBytes in
                    stream.next_out = chunkBytes.baseAddress
                    stream.avail_out = UInt32(chunkBytes.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, chunkBytes.count - Int(stream.avail_out))
                }
                guard output.count + produced <= cap else { return .failure(.tooLarge) }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // Another member may follow.
                    guard stream.avail_in > 0 else { return .success(()) }
                    guard inflateReset(&stream) == Z_OK else { return .failure(.corrupt("zlib could not restart")) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return .failure(.corrupt("the gzip data ends early"))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.corrupt(message))
                }
            }
        }
        try result.get()
        return output
    }
}
