import CCurl
import Glibc

/// Where libcurl's callbacks put one response: header lines as they arrive, and the body
/// (already decoded when the server compressed it). libcurl passes the collector back to the
/// callbacks as their user data pointer; its owner keeps it alive during the transfer.
final class ResponseCollector {
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body: [UInt8] = []
    /// The largest body taken (decoded): past it the transfer is aborted (`tooLarge`), so that a
    /// server cannot fill the client's memory (a gzip answer can inflate a thousandfold).
    var maxBodyBytes = Int.max
    private(set) var tooLarge = false

    /// Seconds without a byte moving either way after which the transfer is aborted (`stalled`).
    /// libcurl's own low-speed check averages over about five seconds, so it fires seconds late.
    var stallLimit = 30.0
    private(set) var stalled = false
    private var bytesMoved: Int64 = 0
    private var lastMoved = 0.0

    /// Empties the collector for the next response.
    func clear() {
        headers.removeAll()
        body.removeAll()
        stalled = false
        tooLarge = false
        bytesMoved = 0
        lastMoved = Self.now()
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
        guard collector.body.count + length <= collector.maxBodyBytes else {
            collector.tooLarge = true
            return 0
        }
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

    /// CURLOPT_XFERINFOFUNCTION, called at least once a second: aborts a transfer that has not
    /// moved a byte for `stallLimit` seconds.
    static let watchProgress: curl_xferinfo_callback = { userData, _, received, _, sent in
        guard let userData else { return 0 }
        let collector = Unmanaged<ResponseCollector>.fromOpaque(userData).takeUnretainedValue()
        return collector.keepGoing(moved: Int64(received) + Int64(sent)) ? 0 : 1
    }

    private func keepGoing(moved: Int64) -> Bool {
        let now = Self.now()
        if moved != bytesMoved {
            bytesMoved = moved
            lastMoved = now
        } else if now - lastMoved > stallLimit {
            stalled = true
        }
        return !stalled
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
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
