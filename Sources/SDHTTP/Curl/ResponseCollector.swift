import CCurl

/// Where libcurl's callbacks put one response: header lines as they arrive, and the body
/// (already decoded when the server compressed it). libcurl passes the collector back to the
/// callbacks as their user data pointer; its owner keeps it alive during the transfer.
final class ResponseCollector {
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body: [UInt8] = []

    /// Empties the collector for the next response.
    func clear() {
        headers.removeAll()
        body.removeAll()
    }

    /// The user data pointer for CURLOPT_WRITEDATA and CURLOPT_HEADERDATA: unretained, so the
    /// owner must keep the collector until the transfer ends.
    var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// CURLOPT_WRITEFUNCTION: appends body bytes. Returning fewer bytes than given would abort
    /// the transfer.
    static let writeBody: curl_write_callback = { bytes, size, count, userData in
        let length = size * count
        guard let bytes, let userData, length > 0 else { return length }
        let collector = Unmanaged<ResponseCollector>.fromOpaque(userData).takeUnretainedValue()
        collector.body.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: length))
        return length
    }

    /// CURLOPT_HEADERFUNCTION: one whole header line per call, the status line included.
    static let writeHeader: curl_write_callback = { bytes, size, count, userData in
        let length = size * count
        guard let bytes, let userData, length > 0 else { return length }
        let collector = Unmanaged<ResponseCollector>.fromOpaque(userData).takeUnretainedValue()
        let line = String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
        collector.add(headerLine: line)
        return length
    }

    private func add(headerLine line: String) {
        if line.hasPrefix("HTTP/") {
            // A status line starts a response: drop an interim one's headers (100 Continue).
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(
                (line[..<colon].trimmingSpaces().lowercased(), line[line.index(after: colon)...].trimmingSpaces()))
        }
        // Otherwise the blank line that ends the headers.
    }
}
