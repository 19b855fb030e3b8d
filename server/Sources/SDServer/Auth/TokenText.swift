import Crypto
import Foundation
import SDStore

/// The text of a bearer token, `sdt_<token_id>_<secret>`: token_id is 16 lower-case hex digits (8 random
/// bytes) by which the server finds the token's record without knowing the secret, the secret 43
/// characters of base64url (32 random bytes). The server keeps only the SHA-256 of the whole text.
public struct TokenText: Sendable {
    public static let prefix = "sdt_"
    public let id: String
    public let text: String

    /// A new token from the system's random number generator.
    public static func generate() -> TokenText {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let id = hex(idBytes)
        return TokenText(id: id, text: "\(prefix)\(id)_\(randomBase64URL())")
    }

    /// 32 bytes from the system's random number generator in base64url without padding (43
    /// characters): a token's secret, or a dashboard session's cookie.
    static func randomBase64URL() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The token in `text`, or nil when it does not have the token's shape.
    public init?(parsing text: String) {
        let utf8 = Array(text.utf8)
        let idEnd = Self.prefix.utf8.count + 16
        guard utf8.count == idEnd + 1 + 43, text.hasPrefix(Self.prefix), utf8[idEnd] == UInt8(ascii: "_") else {
            return nil
        }
        let id = utf8[Self.prefix.utf8.count..<idEnd], secret = utf8[(idEnd + 1)...]
        guard id.allSatisfy(Self.isLowerHex), secret.allSatisfy(Self.isBase64URL) else { return nil }
        self.init(id: String(decoding: id, as: UTF8.self), text: text)
    }

    private init(id: String, text: String) {
        self.id = id
        self.text = text
    }

    /// The SHA-256 of the token's text, in lower-case hex: what the database stores.
    public var sha256: String { Self.hex(Array(SHA256.hash(data: Array(text.utf8)))) }

    /// The record to store for this token.
    public func record(name: String, scopes: [TokenScope], createdAt: Timestamp = .now()) -> TokenRecord {
        TokenRecord(
            id: id, name: name, scopes: scopes.map(\.rawValue), sha256: sha256, createdAt: createdAt, revokedAt: nil)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_")
    }
}

/// What a token lets its holder do. Push does not imply read: a machine that only uploads runs
/// cannot read everyone's.
public enum TokenScope: String, Sendable, CaseIterable {
    case read, push

    /// Scopes from "read,push", or the first word that is not a scope.
    public static func parse(_ text: String) -> Result<[TokenScope], TokenScopeError> {
        var scopes = [TokenScope]()
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = word.trimmingCharacters(in: .whitespaces)
            guard let scope = TokenScope(rawValue: name) else { return .failure(TokenScopeError(word: name)) }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return .success(scopes)
    }
}

/// A scope list with a word that is not a scope.
public struct TokenScopeError: Error, CustomStringConvertible, Sendable {
    public let word: String
    public var description: String {
        "'\(word)' is not a token scope; give read, push or read,push"
    }
}
