import Foundation

/// A bearer token of a collection server as the server keeps it: never the token itself, only
/// its SHA-256, so that a copy of the database grants nothing.
public struct TokenRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    /// "read", "push".
    public var scopes: [String]
    /// Lower-case hex SHA-256 of the whole token text.
    public var sha256: String
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?

    public init(
        id: String, name: String, scopes: [String], sha256: String, createdAt: Timestamp, revokedAt: Timestamp? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.sha256 = sha256
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// The server-only tables (schema v006): the server's id and its tokens.
extension RunStore {
    /// The id of the server that keeps this database, made the first time it is asked for.
    /// Clients key what the server acknowledged by it.
    public func serverID() throws(StoreError) -> String {
        try database.write { connection in
            if case .text(let id)? = try connection.scalar("SELECT id FROM server_identity") { return id }
            let id = UUID().uuidString.lowercased()
            try connection.run(
                "INSERT INTO server_identity (id, created_at) VALUES (?, ?)",
                [.text(id), .text(Timestamp.now().iso8601)])
            return id
        }
    }

    public func addToken(_ token: TokenRecord) throws(StoreError) {
        try database.write { connection in
            if try connection.scalar("SELECT 1 FROM server_tokens WHERE token_id = ?", [.text(token.id)]) != nil {
                throw StoreError(.conflict, "a token with id \(token.id) exists already", path: path)
            }
            try connection.run(
                """
                INSERT INTO server_tokens (token_id, name, scopes, sha256, created_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(token.id), .text(token.name), .text(token.scopes.joined(separator: ",")), .text(token.sha256),
                    .text(token.createdAt.iso8601), .text(token.revokedAt?.iso8601),
                ])
        }
    }

    /// Every token, revoked ones too, oldest first.
    public func tokens() throws(StoreError) -> [TokenRecord] {
        try database.read { connection in
            try connection.rows(
                "SELECT token_id, name, scopes, sha256, created_at, revoked_at FROM server_tokens ORDER BY created_at"
            ) { row in
                TokenRecord(
                    id: row.string(0) ?? "", name: row.string(1) ?? "",
                    scopes: (row.string(2) ?? "").split(separator: ",").map(String.init), sha256: row.string(3) ?? "",
                    createdAt: row.string(4).flatMap(Timestamp.init(iso8601:)) ?? Timestamp(millisecondsSince1970: 0),
                    revokedAt: row.string(5).flatMap(Timestamp.init(iso8601:)))
            }
        }
    }

    /// Revokes a token; false when there is no such token or it was revoked already.
    public func revokeToken(id: String, at time: Timestamp = .now()) throws(StoreError) -> Bool {
        try database.write { connection in
            try connection.run(
                "UPDATE server_tokens SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL",
                [.text(time.iso8601), .text(id)])
            return connection.changes > 0
        }
    }
}
