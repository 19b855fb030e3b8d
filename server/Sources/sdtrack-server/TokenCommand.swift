import ArgumentParser
import Foundation
import SDJSON
import SDServer
import SDStore

/// `sdtrack-server token create|list|revoke`. The database keeps only each token's SHA-256: a token
/// is shown once, when it is made.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make, list and revoke the bearer tokens clients use.",
        subcommands: [CreateToken.self, ListTokens.self, RevokeToken.self]
    )
}

struct CreateToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make a token and print it (once: it is not stored).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Who or what the token is for, e.g. the machine that pushes with it.")
    var name: String

    @Option(help: ArgumentHelp("What it may do: read, push, or read,push.", valueName: "scopes"))
    var scope: String

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name needs a name") }
        if case .failure(let error) = TokenScope.parse(scope) { throw ValidationError("--scope: \(error)") }
    }

    func run() throws {
        let scopes = try TokenScope.parse(scope).get()
        let store = try database.open(create: true)
        let token = TokenText.generate()
        do {
            try store.addToken(token.record(name: name, scopes: scopes))
        } catch {
            throw CommandError(error.message)
        }
        print(token.text)
        FileHandle.standardError.write(
            Data("sdtrack-server: token \(token.id) for '\(name)'; it will not be shown again\n".utf8))
    }
}

struct ListTokens: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the tokens (never their secrets).")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON (sdtrack.tokens/1) instead of the table.")
    var json = false

    func run() throws {
        let tokens: [TokenRecord]
        do {
            tokens = try database.open(create: false).tokens().sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        } catch let error as StoreError {
            throw CommandError(error.message)
        }
        if json {
            print(TokenListing.json(tokens).serialized())
        } else {
            print(tokens.isEmpty ? "no tokens in \(database.db)" : TokenListing.table(tokens))
        }
    }
}

struct RevokeToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a token: the server refuses it within a second.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The token's id (the 16 hex digits after sdt_; see token list).")
    var id: String

    func run() throws {
        let revoked: Bool
        do {
            revoked = try database.open(create: false).revokeToken(id: id)
        } catch let error as StoreError {
            throw CommandError(error.message)
        }
        guard revoked else { throw CommandError("no active token \(id) in \(database.db); see token list") }
        FileHandle.standardError.write(Data("sdtrack-server: token \(id) revoked\n".utf8))
    }
}
