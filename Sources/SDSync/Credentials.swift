import Foundation

/// Where `sdtrack sync` finds a remote's bearer token, never on the command line (where `ps`
/// would show it): `SDTRACK_TOKEN_<NAME>` (the remote's name in capitals, other characters as
/// `_`), else `SDTRACK_TOKEN`, else a credentials file (`SDTRACK_CREDENTIALS`, else
/// ~/.config/sdtrack/credentials) of lines `<remote name or URL> <token>`, which only its owner
/// may read.
public enum Credentials {
    public static func token(remote: String?, url: String, environment: [String: String]) throws(SyncError) -> String {
        if let remote, let token = environment[variable(for: remote)], !token.isEmpty { return token }
        if let token = environment["SDTRACK_TOKEN"], !token.isEmpty { return token }
        let path =
            environment["SDTRACK_CREDENTIALS"]
            ?? (environment["HOME"].map { $0 + "/.config/sdtrack/credentials" } ?? "")
        if !path.isEmpty, let token = try fileToken(path: path, keys: [remote, url].compactMap { $0 }) {
            return token
        }
        throw SyncError(
            .credentials,
            "no token for \(remote ?? url): set \(remote.map(variable(for:)) ?? "SDTRACK_TOKEN") or SDTRACK_TOKEN, "
                + "or add a line '\(remote ?? url) TOKEN' to \(path.isEmpty ? "~/.config/sdtrack/credentials" : path)")
    }

    /// `SDTRACK_TOKEN_TEAM_A` for remote `team-a`.
    public static func variable(for remote: String) -> String {
        "SDTRACK_TOKEN_" + String(remote.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    private static func fileToken(path: String, keys: [String]) throws(SyncError) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        guard status.st_mode & 0o077 == 0 else {
            throw SyncError(
                .credentials,
                "\(path) may be read by others (mode \(String(status.st_mode & 0o777, radix: 8))); "
                    + "run chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SyncError(.credentials, "cannot read \(path)")
        }
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(whereSeparator: \.isWhitespace)
            if parts.count == 2, keys.contains(String(parts[0])) { return String(parts[1]) }
        }
        return nil
    }
}
