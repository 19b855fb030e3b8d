/// Where the server listens: `HOST:PORT` (`[V6]:PORT` for IPv6 addresses). Port 0 asks the system
/// for a free port.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let `default` = ListenAddress(host: "127.0.0.1", port: 8337)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The address in `text`, or an error that says what form it should have.
    public init(parsing text: String) throws(ListenAddressError) {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ListenAddressError(text: text)
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw ListenAddressError(text: text)
            }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else {
            throw ListenAddressError(text: text)
        }
        self.init(host: String(host), port: number)
    }

    /// Whether only this machine can connect: 127.0.0.0/8, ::1 or localhost. An address, not a
    /// name that looks like one ("127.my.lan" could resolve anywhere).
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in part.count <= 3 && part.allSatisfy(\.isASCII) && UInt8(part) != nil }
    }

    /// `127.0.0.1:8337`, `[::1]:8337`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A listen address that is not HOST:PORT.
public struct ListenAddressError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public var description: String {
        "'\(text)' is not a listen address; give HOST:PORT such as 127.0.0.1:8337 or [::1]:8337 (port 0: any free port)"
    }
}
