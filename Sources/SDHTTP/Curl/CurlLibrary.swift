import CCurl

/// libcurl's functions, found in libcurl.so.4 on the first request of the process and kept
/// for its life. sdtrack does not link libcurl (every command would load it, and OpenSSL, at
/// start), so only a command that sends a request pays for loading it.
///
/// Every call into libcurl lives in this folder: this type loads it, `CurlEasy` and
/// `CurlHeaderList` make the calls, each return code checked where it is returned.
final class CurlLibrary: @unchecked Sendable {  // Sendable: `api` is written once, before it is shared.
    /// Loaded, and libcurl initialised, on first use: Swift runs a static's initialiser once,
    /// under a lock, as curl_global_init (not thread-safe) requires.
    private static let shared: Result<CurlLibrary, HTTPError> = load()

    /// The functions dlsym found.
    let api: UnsafePointer<ccurl_api>

    private init(api: UnsafePointer<ccurl_api>) {
        self.api = api
    }

    /// The process's libcurl, or `.unavailable` when it cannot be loaded or initialised.
    static func loaded() throws(HTTPError) -> CurlLibrary {
        try shared.get()
    }

    /// curl_easy_strerror: libcurl's one-line description of `code`.
    func describe(_ code: CURLcode) -> String {
        String(cString: ccurl_easy_strerror(api, code))
    }

    private static func load() -> Result<CurlLibrary, HTTPError> {
        let api = UnsafeMutablePointer<ccurl_api>.allocate(capacity: 1)
        api.initialize(to: ccurl_api())
        let reason = UnsafeMutablePointer<CChar>.allocate(capacity: 512)
        defer { reason.deallocate() }
        reason.initialize(to: 0)
        guard ccurl_load(api, reason, 512) == 1 else {
            api.deallocate()
            return .failure(
                HTTPError(
                    .unavailable,
                    "libcurl is not installed or cannot be loaded (\(String(cString: reason))): "
                        + "apt-get install libcurl4"))
        }
        let library = CurlLibrary(api: api)
        let code = ccurl_global_init(api)
        guard code == CURLE_OK else {
            return .failure(
                HTTPError(
                    .unavailable, "libcurl could not be initialised: \(library.describe(code))",
                    curlCode: Int(code.rawValue)))
        }
        return .success(library)
    }
}
