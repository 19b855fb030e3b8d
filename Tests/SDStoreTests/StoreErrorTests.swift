import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// Files that are not a usable sdtrack database: a clear error, and the file as it was.
@Suite struct StoreErrorTests {
    static func expectRefused(_ path: String, create: Bool = true, _ code: StoreError.Code, _ fragment: String) throws {
        let before = FileManager.default.contents(atPath: path)
        let error = #expect(throws: StoreError.self) { try RunStore(path: path, create: create) }
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
        #expect(FileManager.default.contents(atPath: path) == before, "the file changed")
    }

    @Test func refusesUnusableFiles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        try Self.expectRefused(folder.path, .cannotOpen, "is a directory")
        try Self.expectRefused(
            folder.appendingPathComponent("missing.db").path, create: false, .missing, "no database at")
        try Self.expectRefused(folder.appendingPathComponent("no/such/folder.db").path, .cannotOpen, "cannot open")
        try Self.expectRefused(
            try file("text.db", Array(repeating: UInt8(ascii: "x"), count: 5000)), .notSDTrack,
            "is not an SQLite database")

        let other = folder.appendingPathComponent("other.db").path
        try SQLiteConnection(path: other, mode: .create).execute(
            "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hi');")
        try Self.expectRefused(other, .notSDTrack, "of another program")
    }

    @Test func refusesACorruptDatabase() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("corrupt.db").path
        _ = try RunStore(path: path, create: true)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Page 1 holds the schema table: scramble its b-tree page after the 100-byte header.
        for offset in 100..<400 { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 7919) }
        try bytes.write(to: URL(fileURLWithPath: path))
        try Self.expectRefused(path, .corrupt, "is corrupt")
    }
}
