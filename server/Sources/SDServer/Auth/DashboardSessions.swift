import Crypto
import Foundation
import Hummingbird

/// The dashboard's sign-ins. A browser cannot send a bearer token, so `POST /login` checks one and
/// gives the browser a session cookie instead: 32 random bytes, valid for 12 hours. The server holds
/// sessions in memory only, each under the SHA-256 of its cookie, with the id and the SHA-256 of the
/// token it stands for: never the token, nor the cookie itself. Every request of a session checks
/// that token again, so revoking it ends its sessions within a second. A restart ends every session;
/// past `capacity` sessions the oldest are dropped.
final class DashboardSessions: Sendable {
    struct Session: Sendable {
        let tokenID: String
        let tokenSHA256: String
        let expires: ContinuousClock.Instant
    }

    static let cookieName = "sdtrack_session"
    static let lifetime = Duration.seconds(12 * 3600)
    let capacity: Int
    private let sessions = LockedValue([String: Session]())

    init(capacity: Int = 10_000) { self.capacity = capacity }

    /// A new session for `token` (already authenticated); its cookie's value.
    func open(_ token: TokenText) -> String {
        let value = TokenText.randomBase64URL()
        let now = ContinuousClock.now
        let session = Session(tokenID: token.id, tokenSHA256: token.sha256, expires: now + Self.lifetime)
        sessions.withLock { sessions in
            if sessions.count >= capacity { sessions = sessions.filter { $0.value.expires > now } }
            while sessions.count >= capacity,
                let oldest = sessions.min(by: { $0.value.expires < $1.value.expires })?.key
            {
                sessions[oldest] = nil
            }
            sessions[Self.key(value)] = session
        }
        return value
    }

    /// The session of a cookie's value, unless it is unknown or has expired.
    func session(_ value: String) -> Session? {
        guard value.utf8.count == 43 else { return nil }
        let key = Self.key(value), now = ContinuousClock.now
        return sessions.withLock { sessions in
            guard let session = sessions[key] else { return nil }
            guard session.expires > now else {
                sessions[key] = nil
                return nil
            }
            return session
        }
    }

    func close(_ value: String) {
        let key = Self.key(value)
        sessions.withLock { $0[key] = nil }
    }

    var count: Int { sessions.withLock { $0.count } }

    private static func key(_ value: String) -> String { TokenText.hex(Array(SHA256.hash(data: Array(value.utf8)))) }

    /// The cookie of a session: sent back only to this site (SameSite=Strict), unreadable by scripts
    /// (HttpOnly), over TLS only when the request came over TLS (`secure`).
    static func cookie(_ value: String, secure: Bool) -> Cookie {
        Cookie(
            name: cookieName, value: value, maxAge: Int(lifetime.components.seconds), path: "/", secure: secure,
            httpOnly: true, sameSite: .strict)
    }

    /// The cookie that makes a browser forget its session.
    static func clearingCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Whether the browser reached the server over TLS: the server speaks plain HTTP, so only a TLS
    /// proxy in front can say so, with `X-Forwarded-Proto: https`. (A client that claims it falsely
    /// only gets a cookie its browser will not send back over plain HTTP.)
    static func overTLS(_ request: Request) -> Bool {
        request.head.scheme == "https"
            || request.headers[.xForwardedProto]?.lowercased().hasPrefix("https") == true
    }
}
