import CCurl

/// A curl_slist of request header lines, for CURLOPT_HTTPHEADER, which keeps the list's
/// pointer (not a copy): the list must outlive the transfer that uses it, so the transport
/// holds it until the next request.
final class CurlHeaderList {
    private let library: CurlLibrary
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String], library: CurlLibrary) throws(HTTPError) {
        self.library = library
        for line in lines {
            // curl_slist_append copies the text; it returns NULL (list unchanged) when out of memory.
            guard let longer = ccurl_slist_append(library.api, pointer, line) else {
                throw HTTPError(.other, "out of memory building the request headers")
            }
            pointer = longer
        }
    }

    deinit {
        ccurl_slist_free_all(library.api, pointer)
    }
}
