import Foundation
import SDSchema
import SDTestSupport
import Testing

@testable import SDStore

/// schema/ is the one source of truth: the binary's migrations are its files, and the
/// database the store creates is exactly what those files create.
@Suite struct SchemaTests {
    static let schemaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schema")

    static func sqlFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: schemaFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func embeddedMigrationsAreTheSchemaFilesInOrder() throws {
        let files = try Self.sqlFiles()
        #expect(files.map(\.lastPathComponent) == Schema.migrations.map(\.name))
        for (file, migration) in zip(files, Schema.migrations) {
            #expect(
                try String(contentsOf: file, encoding: .utf8) == migration.sql,
                "\(file.lastPathComponent) differs from the embedded copy")
        }
        #expect(Schema.version == files.count)
    }

    @Test func storeCreatesExactlyWhatTheSchemaFilesCreate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let byStore = folder.appendingPathComponent("store.db").path
        _ = try RunStore(path: byStore, create: true)

        // The reference: the files applied by hand, with nothing of SDStore but the connection.
        let byHand = folder.appendingPathComponent("hand.db").path
        let connection = try SQLiteConnection(path: byHand, mode: .create)
        for (index, file) in try Self.sqlFiles().enumerated() {
            try connection.execute(try String(contentsOf: file, encoding: .utf8))
            try connection.execute("PRAGMA user_version = \(index + 1)")
        }
        #expect(try Self.describe(byStore) == Self.describe(byHand))
        #expect(try Self.describe(byStore).contains { $0.hasPrefix("table|runs|") })
    }

    /// The schema objects, application_id and user_version of a database.
    static func describe(_ path: String) throws -> [String] {
        let connection = try SQLiteConnection(path: path, mode: .existing)
        var lines = try connection.rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name") {
            row in
            [row.string(0), row.string(1), row.string(2), row.string(3)].map { $0 ?? "" }.joined(separator: "|")
        }
        for pragma in ["application_id", "user_version"] {
            lines.append("\(pragma)=\(String(describing: try connection.scalar("PRAGMA \(pragma)")))")
        }
        return lines
    }

    @Test func olderDatabaseIsUpgradedInPlaceKeepingItsRuns() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.db").path
        let store = try RunStore(path: path, create: true)
        let run = sampleRun(status: .finished)
        try store.insertComplete(run, rounds: [RoundRecord(t: 0, testMSE: 0.5)])

        let next = Schema.migrations.map(\.sql) + ["ALTER TABLE runs ADD COLUMN upgraded TEXT DEFAULT 'yes';"]
        let upgraded = try Database(path: path, create: false, migrations: next)
        #expect(try upgraded.connection.scalar("PRAGMA user_version") == .integer(Int64(next.count)))
        #expect(
            try upgraded.connection.scalar("SELECT upgraded FROM runs WHERE run_id = ?", [.text(run.id)])
                == .text("yes"))
        #expect(
            try upgraded.connection.scalar("SELECT test_mse FROM rounds WHERE run_id = ?", [.text(run.id)])
                == .real(0.5))
        // This sdtrack now meets a schema newer than its own, and refuses it.
        #expect(#expect(throws: StoreError.self) { try RunStore(path: path, create: false) }?.code == .newerSchema)
    }

    /// v003: runs recorded before it get their group key when the file is upgraded; runs
    /// written after it get theirs from the triggers, whoever writes them.
    @Test func groupKeyIsTheConfigurationWithoutSeedVersionAndResolvedValues() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("v2.db").path
        let config = #"{"K":5,"kernel":{"name":"rbf"},"resolved":{"eps":0.1},"sdtrack_version":"0.1.0","seed":3}"#
        let expected = SQLiteValue.text(#"{"K":5,"kernel":{"name":"rbf"}}"#)
        let insert = """
            INSERT INTO runs (run_id, status, source, created_at, host, sdtrack_version, config_json)
            VALUES (?, 'finished', 'import', '2026-01-01T00:00:00.000Z', 'h', '0.1.0', ?)
            """
        let old = try Database(path: path, create: true, migrations: Array(Schema.migrations.prefix(2).map(\.sql)))
        try old.connection.run(insert, [.text("a"), .text(config)])

        let upgraded = try Database(path: path, create: false)
        #expect(try upgraded.connection.scalar("SELECT group_key FROM runs WHERE run_id = 'a'") == expected)
        try upgraded.connection.run(
            insert, [.text("b"), .text(config.replacingOccurrences(of: "\"seed\":3", with: "\"seed\":4"))])
        #expect(try upgraded.connection.scalar("SELECT group_key FROM runs WHERE run_id = 'b'") == expected)
        try upgraded.connection.run("UPDATE runs SET config_json = '{\"K\":6,\"seed\":1}' WHERE run_id = 'b'")
        #expect(try upgraded.connection.scalar("SELECT group_key FROM runs WHERE run_id = 'b'") == .text(#"{"K":6}"#))
    }

    @Test func newerDatabaseIsRefusedUntouched() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("new.db").path
        _ = try RunStore(path: path, create: true)
        try SQLiteConnection(path: path, mode: .existing).execute("PRAGMA user_version = \(Schema.version + 1)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try RunStore(path: path, create: true) }
        #expect(error?.code == .newerSchema)
        #expect(error?.message.contains("newer than this sdtrack's") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
