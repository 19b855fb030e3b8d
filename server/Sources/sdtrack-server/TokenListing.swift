import SDJSON
import SDStore

/// Tokens as `token list` prints them: id, name, scopes and times, never a digest or a secret.
enum TokenListing {
    static let jsonFormat = "sdtrack.tokens/1"

    static func json(_ tokens: [TokenRecord]) -> JSONValue {
        .object([
            ("format", .string(jsonFormat)),
            (
                "tokens",
                .array(
                    tokens.map { token in
                        .object([
                            ("token_id", .string(token.id)), ("name", .string(token.name)),
                            ("scopes", .array(token.scopes.map(JSONValue.string))),
                            ("created_at", .string(token.createdAt.iso8601)),
                            ("revoked_at", .optional(token.revokedAt?.iso8601)),
                        ])
                    })
            ),
        ])
    }

    static func table(_ tokens: [TokenRecord]) -> String {
        let rows: [[String]] =
            [["id", "name", "scopes", "created (UTC)", "revoked (UTC)"]]
            + tokens.map { token in
                [
                    token.id, token.name, token.scopes.joined(separator: ","), token.createdAt.iso8601,
                    token.revokedAt?.iso8601 ?? "-",
                ]
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).enumerated().map { index, cell in
                index == row.count - 1 ? cell.0 : cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
