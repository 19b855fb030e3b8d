import Crypto
import Foundation
import Hummingbird
import SDCharts
import SDReports

/// A dashboard page as an HTTP response. Pages show a token's data, so no cache keeps them; they
/// are self-contained (inline style, inline SVG, one inline script for the round slider), so the
/// policy lets them load nothing and send forms only to this server; no other site may frame them.
/// The one script is allowed by its SHA-256, not as any inline script: text a run brings into a
/// page (a label, a note) could not run even if it escaped its escaping.
enum HTMLResponse {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
        + Data(SHA256.hash(data: Data(Page.sliderScript.utf8))).base64EncodedString()
        + "'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func make(_ page: Page, status: HTTPResponse.Status = .ok) -> Response {
        make(document: page.document(), status: status)
    }

    /// A page's document (built off the event loop, where the store's calls run).
    static func make(document: String, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(string: document)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLength] = String(buffer.readableBytes)
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        secure(&headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// 303 See Other: after a form, or to the login page.
    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.contentLength] = "0"
        secure(&headers)
        return Response(status: .seeOther, headers: headers)
    }

    static func secure(_ headers: inout HTTPFields) {
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.xFrameOptions] = "DENY"
        headers[.referrerPolicy] = "same-origin"
    }

    /// The page of an error: its status as the title, and its one line of message.
    static func error(_ error: ServerError) -> Response {
        var page = Page(title: "\(error.status.code) \(error.status.reasonPhrase)")
        page.paragraph(error.message)
        let signIn = error.status == .unauthorized || error.status == .forbidden
        page.navigation([signIn ? (text: "log in", href: "/login") : (text: "runs", href: "/")])
        var response = make(page, status: error.status)
        if let retryAfter = error.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// Header names the dashboard uses that HTTPTypes does not name.
extension HTTPFields.Element.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
