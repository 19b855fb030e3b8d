import SDDocuments
import SDJSON
import SDStore
import SDTestSupport
import Testing

/// Documents sdtrack must refuse, each with where (`DocumentError.location`) and what.
@Suite struct DocumentRefusalTests {
    static let id = "0a1b2c3d-0000-4000-8000-0000000000ff"
    /// Where a problem with the first run of an export is reported.
    static let here = "runs[0] (run \(id))"

    /// A valid record (two rounds, a spectrum, tags) as object members, to be spoilt one way.
    static func validMembers() -> [(String, JSONValue)] {
        var run = documentRun(id: id, status: .finished, source: .sdtrack, full: true, roundCount: 2)
        run.tags = [Tag(key: "sweep", value: "eps")]
        return RunDocument.fields(
            of: CompleteRun(
                run: run,
                rounds: [
                    RoundRecord(t: 0, c: 1, testMSE: 0.5),
                    RoundRecord(t: 1, c: 2, extra: ["accuracy": 0.9]),
                ],
                spectrum: SpectrumRecord(d: [2, 1], z0: [0.5, -0.5], zeroTolerance: 1e-15)))
    }

    /// An export of the valid record with `change` applied to its members, written and parsed
    /// again as a file would be (the record holds its configuration as raw text).
    static func export(_ change: (inout [(String, JSONValue)]) -> Void) -> JSONValue {
        var members = validMembers()
        change(&members)
        let document = JSONValue.object([
            ("format", .string(RunDocument.exportFormat)), ("runs", .array([.object(members)])),
        ])
        return JSONValue.parse(document.serialized())!
    }

    /// An export of the valid record with member `key` set to `value` (removed for nil); a
    /// `.raw` value is written as it is (1e999 reads back as infinity).
    static func export(setting key: String, to value: JSONValue?) -> JSONValue {
        export { members in
            if let index = members.firstIndex(where: { $0.0 == key }) {
                if let value { members[index].1 = value } else { members.remove(at: index) }
            } else if let value {
                members.append((key, value))
            }
        }
    }

    /// The error reading `document` gives; nil when it is read.
    static func refusal(_ document: JSONValue) -> DocumentError? {
        do {
            let runs = try RunDocument.runs(in: document)
            Issue.record("read \(runs.count) runs from \(document.serialized().prefix(300))")
            return nil
        } catch {
            return error
        }
    }

    /// The same, for a document given as text.
    static func refusal(_ text: String) -> DocumentError? {
        guard let document = JSONValue.parse(text) else {
            Issue.record("not JSON: \(text)")
            return nil
        }
        return refusal(document)
    }

    /// The valid record really is read, so that each refusal below is the one change's doing.
    @Test func theUnspoiltRecordIsRead() throws {
        let runs = try RunDocument.runs(in: Self.export { _ in })
        #expect(runs.count == 1 && runs.first?.run.id == Self.id && runs.first?.rounds.count == 2)
    }

    /// A document that is not an object, or has no format, is refused at the document itself.
    @Test func refusesANonObjectOrAMissingFormat() {
        for text in ["[]", "3", "null", #""sdtrack.export/1""#] {
            #expect(Self.refusal(text) == DocumentError("", "the document is not a JSON object"), "\(text)")
        }
        let noFormat = Self.refusal(#"{"runs": []}"#)
        #expect(noFormat?.location == "")
        #expect(
            noFormat?.problem == #"the document has no "format"; sdtrack reads sdtrack.export/1 and sdtrack.record/1"#)
        #expect(
            Self.refusal(#"{"format": 1, "runs": []}"#)?.problem.hasPrefix(#"the document has no "format""#) == true)
    }

    /// sdtrack.runs/1 (runs list --json) is refused with the advice to export the runs instead.
    @Test func refusesARunsListSayingToExport() {
        let error = Self.refusal(#"{"format": "sdtrack.runs/1", "runs": []}"#)
        #expect(error?.location == "")
        #expect(error?.problem.contains("sdtrack.runs/1 lists runs without their rounds") == true)
        #expect(error?.problem.hasSuffix("export them with sdtrack runs export") == true)
    }

    /// A newer sdtrack.export/2 (or record/2) says to upgrade; an unknown format says what is read.
    @Test func refusesNewerAndUnknownFormats() {
        for format in ["sdtrack.export/2", "sdtrack.record/12"] {
            let error = Self.refusal(#"{"format": "\#(format)", "runs": []}"#)
            #expect(error?.location == "")
            #expect(
                error?.problem == "format \(format) is newer than this sdtrack's (sdtrack.export/1, sdtrack.record/1); "
                    + "upgrade sdtrack")
        }
        let unknown = Self.refusal(#"{"format": "mlflow.runs/1", "runs": []}"#)
        #expect(
            unknown
                == DocumentError(
                    "", "format mlflow.runs/1 is not one sdtrack imports (sdtrack.export/1, sdtrack.record/1)"))
    }

    /// An export must be exactly {"format", "runs": [...]}.
    @Test func refusesAnExportOfAnotherShape() {
        let shape = #"an sdtrack.export/1 document is {"format", "runs": [...]}"#
        #expect(Self.refusal(#"{"format": "sdtrack.export/1"}"#) == DocumentError("", shape))
        #expect(Self.refusal(#"{"format": "sdtrack.export/1", "runs": {}}"#) == DocumentError("", shape))
        #expect(Self.refusal(#"{"format": "sdtrack.export/1", "runs": [], "extra": 1}"#) == DocumentError("", shape))
        #expect(
            Self.refusal(#"{"format": "sdtrack.export/1", "runs": [3]}"#)
                == DocumentError("runs[0]", "a run must be a JSON object"))
    }

    /// An unknown field, or a field given twice, is named at the run's place in the document.
    @Test func refusesUnknownAndRepeatedFields() {
        #expect(
            Self.refusal(Self.export(setting: "colour", to: .string("red")))
                == DocumentError("runs[0]", #"unknown field "colour""#))
        // The JSON reader refuses a repeated key in a file; a value built in code meets the
        // record's own check.
        var repeated = Self.validMembers()
        repeated.append(("note", .string("again")))
        #expect(JSONValue.parse(JSONValue.object(repeated).serialized()) == nil)
        let built = JSONValue.object([
            ("format", .string(RunDocument.exportFormat)), ("runs", .array([.object(repeated)])),
        ])
        #expect(Self.refusal(built) == DocumentError("runs[0]", #"field "note" is given twice"#))
        #expect(
            Self.refusal(Self.export { $0.insert(("format", .string(RunDocument.recordFormat)), at: 0) })
                == DocumentError("runs[0]", #"unknown field "format""#), "a record inside an export has no format")
    }

    /// Every required field (run_id, status, created_at, ...) is refused when missing; a
    /// missing run_id names the run "?".
    @Test func refusesEachMissingRequiredField() {
        let required = RunField.all.filter(\.isRequired).map(\.name)
        #expect(required.contains("run_id") && required.contains("status") && required.contains("created_at"))
        #expect(required.contains("round_count") && required.contains("host"))
        for name in required {
            let location = name == "run_id" ? "runs[0] (run ?)" : Self.here
            #expect(
                Self.refusal(Self.export(setting: name, to: nil))
                    == DocumentError(location, #"field "\#(name)" is missing"#))
        }
    }

    /// A required field given as null is refused too.
    @Test func refusesANullRequiredField() {
        #expect(
            Self.refusal(Self.export(setting: "created_at", to: .null))
                == DocumentError(Self.here, "created_at must not be null"))
        #expect(
            Self.refusal(Self.export(setting: "host", to: .null)) == DocumentError(Self.here, "host must not be null"))
    }

    /// Values of the wrong kind name the field, what it must be, and what was given.
    @Test func refusesValuesOfTheWrongKind() {
        let cases: [(String, JSONValue, String)] = [
            ("pid", .string("x"), #"pid must be a whole number or null, got "x""#),
            ("bounds_held", .int(1), "bounds_held must be true or false or null, got 1"),
            ("K", .number(1.5), "K must be a whole number or null, got 1.5"),
            ("gamma", .string("80"), #"gamma must be a finite number or null, got "80""#),
            ("note", .int(3), "note must be a string or null, got 3"),
            ("started_at", .int(3), "started_at must be a UTC time such as 2026-11-29T08:00:00.000Z or null, got 3"),
            (
                "created_at", .string("yesterday"),
                #"created_at "yesterday" is not a UTC time such as 2026-11-29T08:00:00.000Z"#
            ),
            (
                "ended_at", .string("2026-13-01"),
                #"ended_at "2026-13-01" is not a UTC time such as 2026-11-29T08:00:00.000Z"#
            ),
        ]
        for (name, value, problem) in cases {
            #expect(Self.refusal(Self.export(setting: name, to: value)) == DocumentError(Self.here, problem), "\(name)")
        }
    }

    /// A status or source sdtrack does not know is refused.
    @Test func refusesAnInvalidStatusOrSource() {
        #expect(
            Self.refusal(Self.export(setting: "status", to: .string("paused")))
                == DocumentError(Self.here, #"status "paused" is not one of running, finished, failed, killed"#))
        #expect(
            Self.refusal(Self.export(setting: "status", to: .string("Finished")))
                == DocumentError(Self.here, #"status "Finished" is not one of running, finished, failed, killed"#))
        #expect(
            Self.refusal(Self.export(setting: "source", to: .string("mlflow")))
                == DocumentError(Self.here, #"source "mlflow" is not one of sdtrack, import"#))
    }

    /// A run_id that is not a lower-case UUID is refused, naming the run by what was given.
    @Test func refusesARunIDThatIsNotALowercaseUUID() {
        for id in ["0A1B2C3D-0000-4000-8000-0000000000FF", "run-7", ""] {
            #expect(
                Self.refusal(Self.export(setting: "run_id", to: .string(id)))
                    == DocumentError("runs[0] (run \(id))", "run_id is not a lower-case UUID"), "\(id)")
        }
    }

    /// config must be an object and rounds an array.
    @Test func refusesConfigAndRoundsOfTheWrongShape() {
        for config in [JSONValue.array([]), .string("{}"), .null] {
            #expect(
                Self.refusal(Self.export(setting: "config", to: config))
                    == DocumentError(Self.here, "config must be a JSON object"), "\(config.serialized())")
        }
        #expect(
            Self.refusal(Self.export(setting: "config", to: nil))
                == DocumentError(Self.here, "config must be a JSON object"))
        for rounds in [JSONValue.object([]), .null, .int(2)] {
            #expect(
                Self.refusal(Self.export(setting: "rounds", to: rounds))
                    == DocumentError(Self.here, "rounds must be an array"), "\(rounds.serialized())")
        }
        #expect(
            Self.refusal(Self.export(setting: "rounds", to: nil)) == DocumentError(Self.here, "rounds must be an array")
        )
    }

    /// A round without t, with t -1 or 1.5, with a non-number metric or a null extra metric
    /// is refused at rounds[i].
    @Test func refusesBadRounds() {
        let at = "\(Self.here).rounds[1]"
        func rounds(_ second: String) -> JSONValue {
            Self.export(setting: "rounds", to: JSONValue.parse(#"[{"t": 0}, \#(second)]"#)!)
        }
        #expect(
            Self.refusal(rounds(#"{"test_mse": 0.5}"#))
                == DocumentError(at, "t must be a round number 0, 1, 2, ... 999999, got none"))
        #expect(
            Self.refusal(rounds(#"{"t": -1}"#))
                == DocumentError(at, "t must be a round number 0, 1, 2, ... 999999, got -1"))
        #expect(
            Self.refusal(rounds(#"{"t": 1.5}"#))
                == DocumentError(at, "t must be a round number 0, 1, 2, ... 999999, got 1.5"))
        #expect(
            Self.refusal(rounds(#"{"t": "1"}"#))
                == DocumentError(at, #"t must be a round number 0, 1, 2, ... 999999, got "1""#))
        #expect(
            Self.refusal(rounds(#"{"t": 1, "test_mse": "low"}"#))
                == DocumentError(at, #"metric test_mse is "low", not a finite number"#))
        #expect(
            Self.refusal(rounds(#"{"t": 1, "accuracy": null}"#))
                == DocumentError(at, "metric accuracy is null, not a finite number"), "an extra metric is never null")
        #expect(Self.refusal(rounds("[1]")) == DocumentError(at, "a round must be a JSON object"))
    }

    /// A null docs/math.md metric is a missing one, and t may be written 2.0.
    @Test func acceptsNullMetricsAndWholeNumberT() throws {
        let document = Self.export(
            setting: "rounds", to: JSONValue.parse(#"[{"t": 0, "c": null}, {"t": 2.0, "df": 3}]"#)!)
        let runs = try RunDocument.runs(in: document)
        #expect(runs.first?.rounds == [RoundRecord(t: 0), RoundRecord(t: 2, df: 3)])
    }

    /// A spectrum whose arrays are not `length` long, or that holds a non-finite entry, is refused.
    @Test func refusesBadSpectra() {
        let at = "\(Self.here).spectrum"
        func spectrum(_ text: String) -> JSONValue { Self.export(setting: "spectrum", to: JSONValue.parse(text)!) }
        #expect(
            Self.refusal(spectrum(#"{"length": 3, "eigenvalues": [2, 1], "z0": [1, 0], "zero_tolerance": 0}"#))
                == DocumentError(at, "length is 3 but eigenvalues has 2 and z0 2 values"))
        #expect(
            Self.refusal(spectrum(#"{"length": 2, "eigenvalues": [2, 1], "z0": [1], "zero_tolerance": 0}"#))
                == DocumentError(at, "length is 2 but eigenvalues has 2 and z0 1 values"))
        #expect(
            Self.refusal(spectrum(#"{"length": 0, "eigenvalues": [], "z0": [], "zero_tolerance": 0}"#))
                == DocumentError(at, "length is 0 but eigenvalues has 0 and z0 0 values"))
        #expect(
            Self.refusal(spectrum(#"{"length": 2, "eigenvalues": [2, null], "z0": [1, 0], "zero_tolerance": 0}"#))
                == DocumentError(at, "eigenvalues holds null, not a finite number"))
        #expect(
            Self.refusal(spectrum(#"{"length": 2, "eigenvalues": [2, 1], "z0": [1, "0"], "zero_tolerance": 0}"#))
                == DocumentError(at, #"z0 holds "0", not a finite number"#))
        let shape =
            #"a spectrum is {"length", "eigenvalues", "z0", "zero_tolerance"}, with a finite zero_tolerance >= 0"#
        #expect(
            Self.refusal(spectrum(#"{"length": 2, "eigenvalues": [2, 1], "z0": [1, 0]}"#)) == DocumentError(at, shape))
        #expect(Self.refusal(spectrum("[]")) == DocumentError(at, shape))
    }

    /// An infinite zero_tolerance (1e999) is refused like any other non-finite spectrum
    /// value: accepted, it could never be exported again (it would be written as null).
    @Test func refusesAnInfiniteZeroTolerance() {
        let document = Self.export(
            setting: "spectrum",
            to: .raw(
                #"{"length": 2, "eigenvalues": [2, 1], "z0": [1, 0], "zero_tolerance": 1e999}"#))
        let error = Self.refusal(document)
        #expect(error?.location == "\(Self.here).spectrum")
        #expect(error?.problem.contains("zero_tolerance") == true, "\(String(describing: error))")
    }

    /// round_count must equal the number of rounds given.
    @Test func refusesARoundCountThatIsNotTheNumberOfRounds() {
        #expect(
            Self.refusal(Self.export(setting: "round_count", to: .int(5)))
                == DocumentError(Self.here, "round_count is 5 but there are 2 rounds"))
        #expect(
            Self.refusal(Self.export(setting: "round_count", to: .int(0)))
                == DocumentError(Self.here, "round_count is 0 but there are 2 rounds"))
    }

    /// A tag must have a string value and a key of letters, digits, '.', '_' and '-'.
    @Test func refusesBadTags() {
        #expect(
            Self.refusal(Self.export(setting: "tags", to: .object([("who", .int(1))])))
                == DocumentError(Self.here, "tag 'who' must have a string value, got 1"))
        #expect(
            Self.refusal(Self.export(setting: "tags", to: .object([("who", .null)])))
                == DocumentError(Self.here, "tag 'who' must have a string value, got null"))
        #expect(
            Self.refusal(Self.export(setting: "tags", to: .object([("a b", .string("x"))])))
                == DocumentError(Self.here, "tag key 'a b' is not letters, digits, '.', '_' and '-'"))
        #expect(
            Self.refusal(Self.export(setting: "tags", to: .object([("", .string("x"))])))
                == DocumentError(Self.here, "tag key '' is not letters, digits, '.', '_' and '-'"))
        #expect(
            Self.refusal(Self.export(setting: "tags", to: .array([])))
                == DocumentError(Self.here, "tags must be an object of key: value strings, got []"))
    }

    /// Missing tags and spectrum read as none.
    @Test func missingTagsAndSpectrumReadAsNone() throws {
        let runs = try RunDocument.runs(
            in: Self.export { members in members.removeAll { ["tags", "spectrum"].contains($0.0) } })
        #expect(runs.first?.run.tags == [] && runs.first?.spectrum == nil)
    }

    /// In an sdtrack.record/1 document the run is named without a place in an array.
    @Test func aRecordDocumentNamesTheRunOnly() {
        // Each member written and parsed again, as a file would be (the configuration is raw text).
        var members = Self.validMembers().map { ($0.0, JSONValue.parse($0.1.serialized())!) }
        members.insert(("format", .string(RunDocument.recordFormat)), at: 0)
        members[members.firstIndex { $0.0 == "status" }!].1 = .string("paused")
        #expect(
            Self.refusal(.object(members))
                == DocumentError("run \(Self.id)", #"status "paused" is not one of running, finished, failed, killed"#))
        members.append(("colour", .string("red")))
        #expect(Self.refusal(.object(members)) == DocumentError("", #"unknown field "colour""#))
        #expect(DocumentError("", "p").description == "p" && DocumentError("runs[0]", "p").description == "runs[0]: p")
    }

    /// A number too large for a double (1e999) is named as written or as infinite, not as
    /// "null", which the field accepts.
    @Test func anInfiniteFieldValueIsNotCalledNull() {
        let error = Self.refusal(Self.export(setting: "r0", to: .raw("1e999")))
        #expect(error?.location == Self.here)
        #expect(error?.problem.hasPrefix("r0 must be a finite number") == true)
        #expect(error?.problem.hasSuffix("got null") == false, "\(String(describing: error))")
        let metric = Self.refusal(Self.export(setting: "rounds", to: .raw(#"[{"t": 0}, {"t": 1, "df": 1e999}]"#)))
        #expect(metric?.location == "\(Self.here).rounds[1]")
        #expect(metric?.problem.hasPrefix("metric df is null") == false, "\(String(describing: metric))")
        let spectrum = Self.refusal(
            Self.export(
                setting: "spectrum",
                to: .raw(
                    #"{"length": 2, "eigenvalues": [2, 1e999], "z0": [1, 0], "zero_tolerance": 0}"#)))
        #expect(spectrum?.location == "\(Self.here).spectrum")
        #expect(spectrum?.problem.hasPrefix("eigenvalues holds null") == false, "\(String(describing: spectrum))")
    }

    /// A required field's message does not offer null, which it refuses.
    @Test func aRequiredFieldsMessageDoesNotOfferNull() {
        let error = Self.refusal(Self.export(setting: "round_count", to: .string("2")))
        #expect(error?.location == Self.here)
        #expect(error?.problem.hasPrefix("round_count must be a whole number") == true)
        #expect(error?.problem.contains("or null") == false, "\(String(describing: error))")
    }
}
