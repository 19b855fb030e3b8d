import Hummingbird
import SDJSON

/// A JSON document as an HTTP response, written by SDJSON so that the bytes are those the command
/// line prints with `--json` (same number forms, same key order), plus the newline `print` adds.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var bytes = value.serializedBytes()
        bytes.append(UInt8(ascii: "\n"))
        let buffer = ByteBuffer(bytes: bytes)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
