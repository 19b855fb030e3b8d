import Foundation
import SDJSON
import Testing

/// `sdtrack-server token create|list|revoke` and `serve`, through the built binary.
@Suite struct TokenCommandTests {
    @Test func tokensAreShownOnceStoredAsDigestsAndRevocable() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("server.db").path
        let created = try runServerBinary(["token", "create", "--db", db, "--name", "ci", "--scope", "read,push"])
        #expect(created.status == 0)
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("sdt_") && token.count == 4 + 16 + 1 + 43)
        #expect(created.stderr.contains("not be shown again"))
        let secret = String(token.suffix(43))

        let listed = try runServerBinary(["token", "list", "--db", db, "--json"])
        #expect(listed.status == 0)
        #expect(!listed.stdout.contains(secret))
        let tokens = JSONValue.parse(listed.stdout)?["tokens"]
        guard case .array(let entries)? = tokens else { throw TestFailure("no tokens array: \(listed.stdout)") }
        #expect(entries.count == 1)
        let id = try #require(entries.first?["token_id"]?.stringValue)
        #expect(token.hasPrefix("sdt_\(id)_"))
        #expect(entries.first?["scopes"] == .array([.string("read"), .string("push")]))
        #expect(entries.first?["revoked_at"] == .null)

        // The database and its journal hold neither the token nor its secret.
        for suffix in ["", "-wal", "-shm"] {
            guard let bytes = FileManager.default.contents(atPath: db + suffix) else { continue }
            #expect(bytes.range(of: Data(secret.utf8)) == nil)
            #expect(bytes.range(of: Data(token.utf8)) == nil)
        }

        let server = try ServeProcess(db: db)
        defer { server.stop() }
        let client = HTTPTestClient(base: "http://127.0.0.1:\(server.port)")
        #expect((try await client.get("/v1/info", token: token)).status == 200)

        let revoked = try runServerBinary(["token", "revoke", "--db", db, id])
        #expect(revoked.status == 0)
        try await Task.sleep(for: .milliseconds(1100))
        #expect((try await client.get("/v1/info", token: token)).status == 401)
        #expect(server.stderrSoFar().contains(secret) == false)

        let again = try runServerBinary(["token", "revoke", "--db", db, id])
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("Error: "))
        let badScope = try runServerBinary(["token", "create", "--db", db, "--name", "x", "--scope", "write"])
        #expect(badScope.status == 64)
    }

    @Test func serveRefusesANetworkAddressWithoutTheFlag() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("server.db").path
        let result = try runServerBinary(["serve", "--db", db, "--listen", "0.0.0.0:0"])
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("--allow-plain-http-on-network"))
    }
}
