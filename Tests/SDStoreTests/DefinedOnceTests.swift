import Foundation
import SDJSON
import SDSchema
import SDTestSupport
import Testing

@testable import SDStore

/// Each concept is declared once, and what repeats it elsewhere (SQL) is pinned to it here.
@Suite struct DefinedOnceTests {
    let folder: URL
    let path: String

    init() throws {
        folder = try temporaryFolder()
        path = folder.appendingPathComponent("runs.db").path
    }

    /// The runs table's columns are RunField's names, config_json and group_key (derived, v003);
    /// its configuration columns are ConfigColumn's; the rounds table's metrics are RoundMetric's.
    @Test func tablesHoldTheDeclaredColumnsAndNoOthers() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try RunStore(path: path, create: true)
        func columns(_ table: String) throws -> [String] {
            try store.database.connection.rows("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]) {
                $0.string(0) ?? ""
            }
        }
        #expect(Set(try columns("runs")) == Set(RunField.all.map(\.name) + ["config_json", "group_key"]))
        #expect(RunField.all.count == Set(RunField.all.map(\.name)).count)
        #expect(Set(ConfigColumn.allCases.map(\.name)).isSubset(of: try columns("runs")))
        #expect(try columns("rounds") == ["run_id", "t"] + RoundMetric.allCases.map(\.name))
        #expect(ConfigKey.columns == ["experiment"] + ConfigColumn.allCases.map(\.name))
    }

    /// Every field reads back what was set, and the kind of each agrees with its column's type.
    @Test func everyFieldSetsAndReadsItsValue() throws {
        var run = sampleRun()
        for field in RunField.all {
            let value: FieldValue =
                switch field.kind {
                case .text: .text(field == .status ? "failed" : field == .source ? "import" : "x-\(field.name)")
                case .timestamp: .text("2026-11-30T08:00:00.123Z")
                case .integer: .integer(7)
                case .real: .real(0.25)
                case .bool: .bool(true)
                }
            #expect(field.set(value, on: &run), "\(field.name)")
            #expect(field.value(of: run) == value, "\(field.name)")
            #expect(field.set(nil, on: &run) == !field.isRequired, "\(field.name)")
        }
        #expect(!RunField.status.set(.text("paused"), on: &run) && !RunField.createdAt.set(.text("noon"), on: &run))
        #expect(!RunField.pid.set(.text("1"), on: &run) && !RunField.boundsHeld.set(.integer(1), on: &run))
    }

    /// The group key the SQL triggers compute (v003) is `GroupKey.of`, for configurations with
    /// nested objects, arrays, unicode keys, numbers in every form and the excluded keys.
    @Test func sqlGroupKeyIsGroupKeyOf() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try RunStore(path: path, create: true)
        let configs = [
            #"{"dataset":"toy","seed":3,"sdtrack_version":"0.3.0","resolved":{"eps":0.01},"eps":0.01}"#,
            #"{"kernel":{"name":"rbf","gamma":80.0,"bandwidth":null},"b":[1,2.5,"x",{"z":1,"a":2}],"A":true}"#,
            #"{"é":1e-05,"e":-0.0,"big":1e300,"int":12345678901234,"neg":-7,"nested":{"seed":1}}"#,
            #"{"lr":0.1,"model":"resnet18","seed":"text seeds too"}"#,
            "{}",
        ]
        for config in configs {
            var run = sampleRun(status: .finished)
            run.configJSON = config
            try store.insertComplete(run, rounds: [RoundRecord(t: 0)])
            let sql = try store.database.connection.scalar(
                "SELECT group_key FROM runs WHERE run_id = ?", [.text(run.id)])
            let expected = GroupKey.of(try #require(JSONValue.parse(config)))
            #expect(sql == .text(expected), "\(config)")
        }
    }

    /// Every writer stores configurations in canonical form, and v005 makes older ones so: runs
    /// recorded before and after the upgrade group together.
    @Test func configurationsAreCanonicalBeforeAndAfterTheUpgrade() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = try Database(path: path, create: true, migrations: Array(Schema.migrations.prefix(4).map(\.sql)))
        try old.connection.run(
            """
            INSERT INTO runs (run_id, status, source, created_at, host, sdtrack_version, config_json)
            VALUES ('a', 'finished', 'sdtrack', '2026-01-01T00:00:00.000Z', 'h', '0.2.0', ?)
            """, [.text(#"{"seed":1,"kernel":{"name":"rbf","gamma":80.0},"dataset":"toy"}"#)])
        let store = try RunStore(path: path, create: false)
        #expect(try store.run(id: "a").configJSON == #"{"dataset":"toy","kernel":{"gamma":80,"name":"rbf"},"seed":1}"#)
        var new = sampleRun(status: .finished)
        new.configJSON = #"{"dataset": "toy", "seed": 2, "kernel": {"gamma": 80, "name": "rbf"}}"#
        try store.insertComplete(new, rounds: [RoundRecord(t: 0, gcv: 1)])
        #expect(
            try store.run(id: new.id).configJSON == #"{"dataset":"toy","kernel":{"gamma":80,"name":"rbf"},"seed":2}"#)
        let keys = try store.database.connection.rows("SELECT DISTINCT group_key FROM runs") { $0.string(0) ?? "" }
        #expect(keys == [#"{"dataset":"toy","kernel":{"gamma":80,"name":"rbf"}}"#])
    }

    /// The store refuses a bad tag key from every writer, and a configuration that is not an object.
    @Test func everyWriterObeysTheTagSyntax() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try RunStore(path: path, create: true)
        var bad = sampleRun()
        bad.tags = [Tag(key: "two words", value: "x")]
        #expect(throws: StoreError.self) { try store.insert(bad) }
        bad.status = .finished
        let error = #expect(throws: StoreError.self) { try store.importRuns([CompleteRun(run: bad, rounds: [])]) }
        #expect(
            error?.code == .invalidTag
                && error?.message == "tag key 'two words' is not letters, digits, '.', '_' and '-'")
        let good = sampleRun()
        try store.insert(good)
        #expect(throws: StoreError.self) {
            try store.update(runID: good.id, tags: [Tag(key: "", value: "x")], note: nil)
        }
        #expect(try store.runs().count == 1 && store.run(id: good.id).tags.isEmpty)
        var array = sampleRun()
        array.configJSON = "[1, 2]"
        #expect((#expect(throws: StoreError.self) { try store.insert(array) })?.code == .invalidRecord)
        for (text, key) in [("a=b", "a"), ("a.b_c-D9=x=y", "a.b_c-D9"), ("k=", "k")] {
            #expect(try Tag.parse(text).key == key)
        }
        for text in ["noequals", "=v", "é=1", "a b=1"] {
            #expect((#expect(throws: StoreError.self) { try Tag.parse(text) })?.code == .invalidTag, "\(text)")
        }
    }

    /// Store errors are facts for any front end: no command-line options or commands in them.
    @Test func storeErrorsCarryFactsNotCommandLineAdvice() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var messages = [String]()
        func record(_ body: () throws -> Void) {
            do { try body() } catch let error as StoreError { messages.append(error.message) } catch {}
        }
        record { _ = try RunStore(path: folder.path, create: true) }
        record { _ = try RunStore(path: folder.appendingPathComponent("missing.db").path, create: false) }
        let text = folder.appendingPathComponent("text.db").path
        try Data(repeating: UInt8(ascii: "x"), count: 5000).write(to: URL(fileURLWithPath: text))
        record { _ = try RunStore(path: text, create: true) }
        let store = try RunStore(path: path, create: true)
        try store.insert(sampleRun(id: "aaaa0000-0000-4000-8000-000000000000"))
        try store.insert(sampleRun(id: "aaaa1111-0000-4000-8000-000000000000"))
        record { _ = try store.resolve("bbbb") }
        record { _ = try store.resolve("aaaa") }
        record { _ = try store.resolve("zz!") }
        record { try store.insert(sampleRun(id: "aaaa0000-0000-4000-8000-000000000000")) }
        #expect(messages.count == 7)
        for message in messages {
            #expect(!message.contains("--") && !message.contains("sdtrack ") && !message.contains("\n"), "\(message)")
        }
    }
}

/// Limits the store keeps for every writer.
@Suite struct StoreLimitTests {
    /// Round numbers run from 0 to RoundRecord.largestT: a t of 10^9 would make curves of
    /// gigabytes. Run IDs are lower-case UUIDs.
    @Test func roundNumbersAndRunIDsAreChecked() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try RunStore(path: folder.appendingPathComponent("runs.db").path, create: true)
        for t in [-1, RoundRecord.largestT + 1, Int.max] {
            let error = #expect(throws: StoreError.self) {
                try store.importRuns([CompleteRun(run: sampleRun(status: .finished), rounds: [RoundRecord(t: t)])])
            }
            #expect(error?.code == .invalidRecord, "\(t)")
        }
        #expect(RoundRecord.isValidT(RoundRecord.largestT) && !RoundRecord.isValidT(RoundRecord.largestT + 1))
        // Curves are dense: values far apart would make a large blob out of a tiny file.
        try store.importRuns([
            CompleteRun(
                run: sampleRun(status: .finished), rounds: [RoundRecord(t: 0, gcv: 1), RoundRecord(t: 99_999, gcv: 2)])
        ])
        let sparse = #expect(throws: StoreError.self) {
            try store.importRuns([
                CompleteRun(
                    run: sampleRun(status: .finished),
                    rounds: [RoundRecord(t: 0, gcv: 1), RoundRecord(t: 999_999, gcv: 2, extra: ["loss": 1])])
            ])
        }
        #expect(
            sparse?.code == .invalidRecord
                && sparse?.message.contains("3 values spread over 2000000 round slots") == true)
        for id in ["RUN", "3F2A8C1E-0000-4000-8000-000000000001", "3f2a8c1e00004000800000000000000001"] {
            #expect((#expect(throws: StoreError.self) { try store.insert(sampleRun(id: id)) })?.code == .invalidRecord)
        }
        #expect(try store.runs().count == 1)
    }

    /// A text is a time only if it names one: no leap second (23:59:60 is the next day, and on
    /// 9999-12-31 it rolled over into year 10000, written back as ":000"), no 31 February.
    @Test func timesAreStrict() {
        for text in ["9999-12-31T23:59:60Z", "2026-02-31", "2026-04-31T00:00", "2026-13-01", "2026-02-29"] {
            #expect(Timestamp(iso8601: text) == nil, "\(text)")
        }
        for text in ["9999-12-31T23:59:59.999Z", "2028-02-29", "0001-01-01T00:00:00.000Z"] {
            #expect(Timestamp(iso8601: text).map { Timestamp(iso8601: $0.iso8601) == $0 } == true, "\(text)")
        }
        #expect(Timestamp(iso8601: "9999-12-31T23:59:59.999Z")?.iso8601 == "9999-12-31T23:59:59.999Z")
    }

    /// An age is at most 10^11 s: beyond, it is not a time (it used to overflow).
    @Test func agesAreBounded() {
        let now = Timestamp(iso8601: "2026-11-30T00:00:00Z")!
        #expect(Timestamp(dateOrAge: "7d", now: now) == now.adding(seconds: -7 * 86_400))
        for text in ["1e13d", "1e300w", "infd", "-1d", "nand"] {
            #expect(Timestamp(dateOrAge: text, now: now) == nil, "\(text)")
        }
    }
}
