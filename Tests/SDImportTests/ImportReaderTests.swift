import Foundation
import SDDocuments
import SDImport
import SDJSON
import SDStore
import SDTestSupport
import Testing

/// The description of the error reading `text` gives; nil (and an issue) when it is read.
func importError(
    _ text: String, format: ImportFormat, source: String,
    options: ImportOptions = ImportOptions()
) -> String? {
    do {
        let runs = try ImportReader.read(text, format: format, source: source, options: options)
        Issue.record("read \(runs.count) runs from \(source): \(text.prefix(200))")
        return nil
    } catch {
        return error.description
    }
}

/// Checks that reading `text` fails with a message that starts with `prefix` (the file and
/// the line) and contains `fragment`.
func expectImportError(
    _ text: String, format: ImportFormat = .jsonl, source: String = "runs.jsonl", prefix: String,
    _ fragment: String, options: ImportOptions = ImportOptions(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let message = importError(text, format: format, source: source, options: options)
    #expect(message?.hasPrefix(prefix) == true, "\(String(describing: message))", sourceLocation: sourceLocation)
    #expect(message?.contains(fragment) == true, "\(String(describing: message))", sourceLocation: sourceLocation)
}

/// A configuration's JSON text, canonical, for comparing configurations whatever their order.
func canonical(_ json: String) -> String? { JSONValue.parse(json)?.canonical.serialized() }

@Suite struct ImportReaderTests {
    static let jsonLines = """
        {"run": {"id": "3F2A8C1E-0000-4000-8000-000000000001", "experiment": "resnet-sd", "config": {"model": \
        "resnet18", "dataset": "cifar10", "seed": 0, "K": 100, "kernel": {"name": "ntk", "depth": 3}, "eps": 0.01}, \
        "tags": {"who": "ana", "batch": "7"}, "note": "from pytorch", "created_at": "2026-11-29T08:00:00Z"}}
        {"t": 2, "test_mse": 0.030, "accuracy": 0.921, "loss": null}
        {"t": 0, "test_mse": 0.031, "train_mse": 0.02, "truth_mse": 0.001, "gcv": 0.5, "df": 3, "c": 0.1, "r": 2.5, \
        "target_norm": 1, "target_mse": 0.01, "rkhs_norm": 7, "accuracy": 0.912}

        {"t": 1, "test_mse": 0.029, "accuracy": 0.925, "gcv": null}
        {"run": {"experiment": "vgg"}}
          {"t": 0, "loss": 1.5}
        {"t": 1, "loss": 1.25}
        """

    /// JSON Lines: headers start runs; nulls are skipped; docs/math.md's metric names fill their
    /// fields and others go to extra; rounds are sorted by t; header fields are used.
    @Test func jsonLinesWithHeadersReadsEveryRun() throws {
        let before = Timestamp.now()
        let runs = try ImportReader.read(Self.jsonLines, format: .jsonl, source: "runs.jsonl")
        let after = Timestamp.now()
        #expect(runs.count == 2)
        let first = try #require(runs.first), second = try #require(runs.last)

        #expect(first.run.id == "3f2a8c1e-0000-4000-8000-000000000001", "a UUID is kept, in lower case")
        #expect(first.run.experiment == "resnet-sd" && first.run.note == "from pytorch")
        #expect(first.run.tags == [Tag(key: "batch", value: "7"), Tag(key: "who", value: "ana")])
        #expect(first.run.createdAt == Timestamp(iso8601: "2026-11-29T08:00:00Z"))
        #expect(first.run.startedAt == first.run.createdAt)
        #expect(
            canonical(first.run.configJSON)
                == #"{"K":100,"dataset":"cifar10","eps":0.01,"kernel":{"depth":3,"name":"ntk"},"model":"resnet18","#
                + #""seed":0}"#
        )
        #expect(first.run.config.dataset == "cifar10" && first.run.config.k == 100 && first.run.config.seed == 0)
        #expect(first.run.config.kernel == "ntk" && first.run.config.eps == 0.01 && first.run.config.gamma == nil)

        #expect(first.rounds.map(\.t) == [0, 1, 2])
        #expect(
            first.rounds[0]
                == RoundRecord(
                    t: 0, c: 0.1, r: 2.5, targetNorm: 1, trainMSE: 0.02, targetMSE: 0.01,
                    testMSE: 0.031, truthMSE: 0.001, df: 3, gcv: 0.5, rkhsNorm: 7,
                    extra: ["accuracy": 0.912]))
        #expect(first.rounds[1] == RoundRecord(t: 1, testMSE: 0.029, extra: ["accuracy": 0.925]))
        #expect(first.rounds[2] == RoundRecord(t: 2, testMSE: 0.030, extra: ["accuracy": 0.921]))

        #expect(second.run.experiment == "vgg" && second.run.note == nil && second.run.tags.isEmpty)
        #expect(RunRecord.isValidID(second.run.id) && second.run.id != first.run.id)
        #expect(second.run.createdAt >= before && second.run.createdAt <= after, "no created_at: now")
        #expect(second.run.configJSON == "{}")
        #expect(second.rounds == [RoundRecord(t: 0, extra: ["loss": 1.5]), RoundRecord(t: 1, extra: ["loss": 1.25])])

        for run in runs {
            #expect(run.provenance == .filledIn && run.run.source == .import && run.run.status == .finished)
            #expect(
                run.run.host == RunLiveness.currentHost && run.run.pid == nil
                    && run.run.sdtrackVersion == sdtrackVersion)
            #expect(run.run.endedAt.map { $0 >= before && $0 <= after } == true)
            #expect(run.spectrum == nil)
        }
    }

    /// A file of rounds without a header is one run named "default".
    @Test func jsonLinesWithoutAHeaderIsOneDefaultRun() throws {
        let runs = try ImportReader.read(
            #"{"t": 1, "test_mse": 0.2}"# + "\n" + #"{"t": 0, "test_mse": 0.3}"#,
            format: .jsonl, source: "r.jsonl")
        #expect(runs.count == 1)
        #expect(runs.first?.run.experiment == "default" && runs.first?.rounds.map(\.testMSE) == [0.3, 0.2])
    }

    /// The options win over the file: experiment, note, tags (replacing a tag with the same
    /// key) and configuration keys (overriding the file's, and filling the columns).
    @Test func optionsWinOverTheFile() throws {
        let options = ImportOptions(
            experiment: "override", tags: [Tag(key: "who", value: "bo"), Tag(key: "new", value: "1")],
            note: "from the command line",
            config: [("seed", .int(7)), ("lr", .number(0.1)), ("dataset", .string("cifar100"))])
        let runs = try ImportReader.read(Self.jsonLines, format: .jsonl, source: "runs.jsonl", options: options)
        #expect(runs.count == 2)
        for run in runs {
            #expect(run.run.experiment == "override" && run.run.note == "from the command line")
            #expect(run.run.config.seed == 7 && run.run.config.dataset == "cifar100")
            #expect(JSONValue.parse(run.run.configJSON)?["lr"] == .number(0.1))
        }
        #expect(
            runs.first?.run.tags == [
                Tag(key: "batch", value: "7"), Tag(key: "new", value: "1"), Tag(key: "who", value: "bo"),
            ])
        #expect(runs.last?.run.tags == [Tag(key: "new", value: "1"), Tag(key: "who", value: "bo")])
        #expect(
            runs.first.flatMap { canonical($0.run.configJSON) }
                == #"{"K":100,"dataset":"cifar100","eps":0.01,"kernel":{"depth":3,"name":"ntk"},"lr":0.1,"#
                + #""model":"resnet18","seed":7}"#
        )
    }

    /// key=value options: numbers, booleans, else strings; refused without a key or '='.
    @Test func configOptionsParse() throws {
        #expect(try ImportOptions.parseConfig("seed=3") == ("seed", .number(3)))
        #expect(try ImportOptions.parseConfig("lr=1e-3") == ("lr", .number(0.001)))
        #expect(try ImportOptions.parseConfig("shuffle=true") == ("shuffle", .bool(true)))
        #expect(try ImportOptions.parseConfig("model=resnet18") == ("model", .string("resnet18")))
        #expect(try ImportOptions.parseConfig("expr=a=b") == ("expr", .string("a=b")))
        #expect(try ImportOptions.parseConfig("x=inf") == ("x", .string("inf")))
        #expect(try ImportOptions.parseConfig("empty=") == ("empty", .string("")))
        for bad in ["seed", "=3", ""] {
            #expect(throws: ImportError.self, "\(bad)") { try ImportOptions.parseConfig(bad) }
        }
    }

    /// CSV: a header with t, one row per round; an empty cell is a missing metric; quoted
    /// cells and names lose their quotes; spaces are trimmed; blank lines are skipped.
    @Test func csvReadsOneRun() throws {
        let text =
            "\"t\",test_mse,\"accuracy\",train_mse\n"
            + "0,0.5,0.9,\n"
            + "\"2\", 0.3 ,\"0.95\",0.1\n"
            + " \n"
            + "1,,0.92,0.2\n"
        let runs = try ImportReader.read(
            text, format: .csv, source: "run.csv",
            options: ImportOptions(config: [("model", .string("vgg11")), ("seed", .number(3))]))
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(
            run.rounds == [
                RoundRecord(t: 0, testMSE: 0.5, extra: ["accuracy": 0.9]),
                RoundRecord(t: 1, trainMSE: 0.2, extra: ["accuracy": 0.92]),
                RoundRecord(t: 2, trainMSE: 0.1, testMSE: 0.3, extra: ["accuracy": 0.95]),
            ])
        #expect(run.provenance == .filledIn && run.run.source == .import && run.run.status == .finished)
        #expect(run.run.experiment == "default" && run.run.config.seed == 3)
        #expect(canonical(run.run.configJSON) == #"{"model":"vgg11","seed":3}"#)
    }

    /// Lines may end in CRLF (Windows, and Python's csv module by default), in JSON Lines too.
    @Test func crlfLineEndsAreLineEnds() throws {
        let csv = try ImportReader.read("t,loss\r\n0,1.5\r\n1,1.25\r\n", format: .csv, source: "run.csv")
        #expect(
            csv.first?.rounds == [RoundRecord(t: 0, extra: ["loss": 1.5]), RoundRecord(t: 1, extra: ["loss": 1.25])])
        let lines = try ImportReader.read(
            #"{"run": {"experiment": "w"}}"# + "\r\n" + #"{"t": 0, "loss": 1.5}"# + "\r\n"
                + #"{"t": 1, "loss": 1.25}"# + "\r\n", format: .jsonl, source: "runs.jsonl")
        #expect(lines.first?.run.experiment == "w")
        #expect(
            lines.first?.rounds == [RoundRecord(t: 0, extra: ["loss": 1.5]), RoundRecord(t: 1, extra: ["loss": 1.25])])
    }

    /// A CSV column may be placed anywhere, and t may be written 3.0.
    @Test func csvTAnywhere() throws {
        let runs = try ImportReader.read("loss,t\n1.5,3.0\n2,0\n", format: .csv, source: "run.csv")
        #expect(runs.first?.rounds == [RoundRecord(t: 0, extra: ["loss": 2]), RoundRecord(t: 3, extra: ["loss": 1.5])])
    }

    /// A quoted CSV field may hold a comma (RFC 4180; Python's csv module quotes exactly such
    /// fields), and then it is one field.
    @Test func csvQuotedFieldMayHoldAComma() throws {
        let runs = try ImportReader.read(
            "t,\"loss, validation\",accuracy\n0,0.5,0.9\n", format: .csv, source: "run.csv")
        #expect(runs.first?.rounds == [RoundRecord(t: 0, extra: ["loss, validation": 0.5, "accuracy": 0.9])])
    }

    /// ImportFormat.guess goes by the file's extension, in any case.
    @Test func formatIsGuessedFromTheExtension() {
        #expect(ImportFormat.guess(path: "runs.jsonl") == .jsonl)
        #expect(ImportFormat.guess(path: "/data/out.NDJSON") == .jsonl)
        #expect(ImportFormat.guess(path: "dir.v2/run.csv") == .csv)
        #expect(ImportFormat.guess(path: "export.json") == .json)
        #expect(ImportFormat.guess(path: "Export.JSON") == .json)
        #expect(ImportFormat.guess(path: "notes.txt") == nil)
        #expect(ImportFormat.guess(path: "runs") == nil)
        #expect(ImportFormat.guess(path: "runs.json.gz") == nil)
    }

    /// A .json file holding JSON Lines (several lines, or a single round) is read as JSON Lines.
    @Test func aJSONFileOfJSONLinesIsReadAsJSONLines() throws {
        let lines = try ImportReader.read(Self.jsonLines, format: .json, source: "runs.json")
        #expect(lines.count == 2 && lines.allSatisfy { $0.provenance == .filledIn })
        #expect(lines.first?.rounds.count == 3 && lines.first?.run.experiment == "resnet-sd")
        let single = try ImportReader.read(#"{"t": 0, "test_mse": 0.1}"#, format: .json, source: "one.json")
        #expect(single.count == 1 && single.first?.rounds == [RoundRecord(t: 0, testMSE: 0.1)])
        let header = try ImportReader.read(
            #"{"run": {"experiment": "e"}}"# + "\n" + #"{"t": 0}"#, format: .json, source: "h.json")
        #expect(header.count == 1 && header.first?.run.experiment == "e")
    }

    /// A .json file of JSON Lines with a bad line reports that line, not "is not JSON".
    @Test func aJSONFileOfJSONLinesReportsItsBadLine() {
        let text = #"{"t": 0, "loss": 1}"# + "\n" + #"{"t": 1, "loss": "high"}"#
        expectImportError(
            text, format: .json, source: "runs.json", prefix: "runs.json line 2",
            "metric 'loss' is \"high\", not a finite number")
    }

    /// A .json file holding one export document is read as that document, exactly as recorded;
    /// the options' labels still win.
    @Test func aJSONFileOfOneExportIsADocument() throws {
        let recorded = documentRun(
            id: "3f2a8c1e-0000-4000-8000-0000000000d1", note: "recorded", tags: [Tag(key: "k", value: "v")])
        let text = RunDocument.export([recorded]).serialized()
        let runs = try ImportReader.read(text, format: .json, source: "export.json")
        #expect(runs.count == 1)
        #expect(
            runs.first
                == CompleteRun(
                    run: recorded.run, rounds: recorded.rounds, spectrum: recorded.spectrum,
                    provenance: .recorded))
        let labelled = try ImportReader.read(
            text, format: .json, source: "export.json",
            options: ImportOptions(experiment: "x", tags: [Tag(key: "z", value: "1")], note: "n"))
        #expect(labelled.first?.run.experiment == "x" && labelled.first?.run.note == "n")
        #expect(labelled.first?.run.tags == [Tag(key: "k", value: "v"), Tag(key: "z", value: "1")])
        #expect(labelled.first?.provenance == .recorded && labelled.first?.run.createdAt == recorded.run.createdAt)
    }

    /// --config (ImportOptions.config) is refused for a document, saying why.
    @Test func configOptionsAreRefusedForADocument() {
        let text = RunDocument.export([documentRun(id: "3f2a8c1e-0000-4000-8000-0000000000d2")]).serialized()
        let message = importError(
            text, format: .json, source: "export.json",
            options: ImportOptions(config: [("seed", .int(1))]))
        #expect(
            message?.hasPrefix("--config applies to JSON Lines and CSV files") == true, "\(String(describing: message))"
        )
        #expect(message?.contains("export.json is an sdtrack document") == true)
    }

    /// A document's refusal names the file and the place in the document.
    @Test func aDocumentErrorNamesTheFileAndThePlace() {
        let id = "3f2a8c1e-0000-4000-8000-0000000000d3"
        let text = RunDocument.export([documentRun(id: id)]).serialized().replacingOccurrences(
            of: #""status":"finished""#,
            with: #""status":"paused""#)
        #expect(
            importError(text, format: .json, source: "e.json")
                == #"e.json: runs[0] (run \#(id)): status "paused" is not one of running, finished, failed, killed"#)
        #expect(
            importError(#"{"format": "sdtrack.export/2", "runs": []}"#, format: .json, source: "e.json")?
                .hasPrefix("e.json: format sdtrack.export/2 is newer") == true)
        #expect(
            importError("{\"format\": ", format: .json, source: "e.json")?.hasPrefix("e.json is not JSON: line 1")
                == true)
    }
}
