import Foundation
import SDTestSupport
import Testing

/// The database the built binary writes has exactly the schema that schema/*.sql creates,
/// checked by Python's sqlite3 (no sdtrack code on the reference side).
@Suite struct SchemaFileTests {
    static let compare = """
        import glob, os, sqlite3, sys
        def describe(connection):
            objects = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, "
                + "name").fetchall()
            pragmas = [(p, connection.execute(f"PRAGMA {p}").fetchone()[0]) for p in ("application_id", "user_version")]
            return [tuple(row) for row in objects] + pragmas
        written = describe(sqlite3.connect(sys.argv[1]))
        reference = sqlite3.connect(sys.argv[2])
        files = sorted(glob.glob(os.path.join(sys.argv[3], "*.sql")))
        for version, path in enumerate(files, 1):
            reference.executescript(open(path, encoding="utf-8").read())
            reference.execute(f"PRAGMA user_version = {version}")
        expected = describe(reference)
        for row in sorted(set(written) ^ set(expected), key=str):
            print("only in the binary's:" if row in written else "only in schema/:", row)
        sys.exit(0 if written == expected and len(files) > 0 else 1)
        """

    @Test func binaryCreatesExactlyTheSchemaOfTheSchemaFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try sdtrack(["run"], in: folder).status == 0)
        try requirePython(modules: ["sqlite3"])
        let result = try python([
            "-c", Self.compare, folder.appendingPathComponent("sdtrack.db").path,
            folder.appendingPathComponent("reference.db").path, repository.appendingPathComponent("schema").path,
        ])
        #expect(result.status == 0, "schemas differ:\n\(result.stdout)\(result.stderr)")
    }

    /// The fuzz build (tools/fuzz/run) compiles the store without SwiftPM's resources, from a
    /// stub that must name every migration: a new schema/vNNN file breaks it otherwise.
    @Test func theFuzzBuildsResourceStubNamesEveryMigration() throws {
        let stub = try String(
            contentsOf: repository.appendingPathComponent("tools/fuzz/PackageResourcesStub.swift"), encoding: .utf8)
        let migrations = try FileManager.default.contentsOfDirectory(
            atPath: repository.appendingPathComponent("schema").path
        ).filter { $0.hasSuffix(".sql") }
        #expect(!migrations.isEmpty)
        for file in migrations {
            let name = file.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
            #expect(stub.contains("static let \(name): [UInt8]"), "tools/fuzz/PackageResourcesStub.swift lacks \(name)")
        }
    }
}
