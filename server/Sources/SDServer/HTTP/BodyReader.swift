import Hummingbird
import SDJSON

/// A request's JSON body, read within the limits: at most `maxRequestBytes` as sent (checked against
/// Content-Length before reading, and again while reading, since a client may not send one),
/// inflated when it says `Content-Encoding: gzip` (to at most `maxInflatedBytes`), and parsed.
struct BodyReader: Sendable {
    let limits: ServerLimits

    func json(of request: Request) async throws(ServerError) -> JSONValue {
        let bytes = try await inflated(request)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badRequest("the body is not UTF-8 text")
        }
        do throws(JSONSyntaxError) {
            return try JSONValue.parse(document: text)
        } catch {
            throw .badRequest("the body is not JSON: \(error.description)")
        }
    }

    /// The body's bytes after any content encoding.
    func inflated(_ request: Request) async throws(ServerError) -> [UInt8] {
        let encoding = request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard ["", "identity", "gzip", "x-gzip"].contains(encoding) else {
            throw ServerError(
                .unsupportedMediaType, code: "unsupported_encoding",
                "Content-Encoding \(encoding) is not supported; send gzip or no encoding")
        }
        let sent = try await collect(request)
        guard encoding.hasSuffix("gzip") else { return sent }
        do throws(GzipInflater.Failure) {
            return try GzipInflater.inflate(sent, cap: limits.maxInflatedBytes)
        } catch {
            switch error {
            case .tooLarge:
                throw .tooLarge("the body inflates past \(limits.maxInflatedBytes) bytes; send smaller batches")
            case .corrupt(let message):
                throw .badRequest("the gzip body cannot be inflated: \(message)")
            }
        }
    }

    /// The body as sent, refused as soon as it passes the cap.
    func collect(_ request: Request) async throws(ServerError) -> [UInt8] {
        let cap = limits.maxRequestBytes
        let tooLarge = ServerError.tooLarge("the body is larger than \(cap) bytes; send smaller batches")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > cap { throw tooLarge }
        var bytes = [UInt8]()
        do {
            for try await buffer in request.body {
                guard bytes.count + buffer.readableBytes <= cap else { throw tooLarge }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch let error as ServerError {
            throw error
        } catch {
            throw .badRequest("the body could not be read: \(error)")
        }
        return bytes
    }
}
