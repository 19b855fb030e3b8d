import CCurl

/// One libcurl easy handle: the options of a transfer, and the connections it keeps open
/// between transfers (keep-alive), which `reset()` keeps. Every call is checked and a failure
/// becomes an `HTTPError` at once. Not thread-safe: libcurl allows one thread at a time per
/// handle.
final class CurlEasy {
    let library: CurlLibrary
    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER: libcurl writes a more specific message than curl_easy_strerror's
    /// here ("Failed to connect to 127.0.0.1 port 9 ..."). It must live as long as the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPError) {
        let library = try CurlLibrary.loaded()
        guard let handle = ccurl_easy_init(library.api) else {
            throw HTTPError(.unavailable, "libcurl could not create a handle (curl_easy_init)")
        }
        self.library = library
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
    }

    deinit {
        ccurl_easy_cleanup(library.api, handle)
        errorBuffer.deallocate()
    }

    /// Every option back to libcurl's default, for the next request; open connections, the
    /// DNS cache and TLS sessions stay.
    func reset() throws(HTTPError) {
        ccurl_easy_reset(library.api, handle)
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
    }

    /// An option of type long (numbers and switches).
    func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
        try check(ccurl_setopt_long(library.api, handle, option, value), setting: option)
    }

    /// An option of type string. libcurl copies it (but CURLOPT_POSTFIELDS: see `set(_:pointer:)`).
    func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
        try check(ccurl_setopt_pointer(library.api, handle, option, value), setting: option)
    }

    /// An option that keeps a pointer: the memory must stay valid until the transfer ends.
    func set(_ option: CURLoption, pointer: UnsafeRawPointer?) throws(HTTPError) {
        try check(ccurl_setopt_pointer(library.api, handle, option, pointer), setting: option)
    }

    /// An option of type curl_off_t (the *_LARGE sizes).
    func set(_ option: CURLoption, offset: Int64) throws(HTTPError) {
        try check(ccurl_setopt_offset(library.api, handle, option, curl_off_t(offset)), setting: option)
    }

    /// CURLOPT_WRITEFUNCTION or CURLOPT_HEADERFUNCTION.
    func set(_ option: CURLoption, callback: curl_write_callback) throws(HTTPError) {
        try check(ccurl_setopt_write_callback(library.api, handle, option, callback), setting: option)
    }

    /// CURLOPT_XFERINFOFUNCTION.
    func set(progress callback: curl_xferinfo_callback) throws(HTTPError) {
        try check(
            ccurl_setopt_xferinfo_callback(library.api, handle, callback), setting: CURLOPT_XFERINFOFUNCTION)
    }

    /// Runs the transfer the options describe, to its end.
    func perform() throws(HTTPError) {
        errorBuffer[0] = 0
        let code = ccurl_easy_perform(library.api, handle)
        guard code != CURLE_OK else { return }
        let detail = String(cString: errorBuffer).trimmingSpaces()
        let summary = library.describe(code)
        // The buffer's text is the more specific, and often repeats the summary.
        let message = detail.isEmpty ? summary : detail.contains(summary) ? detail : "\(summary) (\(detail))"
        throw HTTPError(HTTPError.kind(of: code), message, curlCode: Int(code.rawValue))
    }

    /// A number libcurl knows after a transfer (CURLINFO_RESPONSE_CODE, ...).
    func long(_ info: CURLINFO) throws(HTTPError) -> Int {
        var value = 0
        let code = ccurl_getinfo_long(library.api, handle, info, &value)
        guard code == CURLE_OK else {
            throw HTTPError(
                .other, "libcurl cannot tell \(info.rawValue): \(library.describe(code))", curlCode: Int(code.rawValue))
        }
        return value
    }

    /// A floating-point measure of the last transfer (CURLINFO_TOTAL_TIME, ...).
    func double(_ info: CURLINFO) throws(HTTPError) -> Double {
        var value = 0.0
        let code = ccurl_getinfo_double(library.api, handle, info, &value)
        guard code == CURLE_OK else {
            throw HTTPError(
                .other, "libcurl cannot tell \(info.rawValue): \(library.describe(code))", curlCode: Int(code.rawValue))
        }
        return value
    }

    private func check(_ code: CURLcode, setting option: CURLoption) throws(HTTPError) {
        guard code != CURLE_OK else { return }
        // A setopt fails for an option this libcurl lacks, a value out of range, or no memory.
        throw HTTPError(
            HTTPError.kind(of: code), "libcurl refused option \(option.rawValue): \(library.describe(code))",
            curlCode: Int(code.rawValue))
    }
}
