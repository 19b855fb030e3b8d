import SDImport
import SDJSON
import SDStore
import SDTestSupport
import Testing

/// Every way ImportReader.read refuses a JSON Lines or CSV file: the file, the line, and what.
@Suite struct ImportErrorTests {
    /// A line that is not a JSON object names its line.
    @Test func aLineThatIsNotJSON() {
        let message = "runs.jsonl line 2 is not a JSON object; each line must be one object, a run header or a round"
        let syntax = { (column: Int, expected: String) in
            "runs.jsonl line 2 is not JSON (column \(column): expected \(expected)); each line must be one object, a "
                + "run header or a round"
        }
        #expect(
            importError(#"{"t": 0}"# + "\n{t: 1}", format: .jsonl, source: "runs.jsonl")
                == syntax(2, "a string in double quotes"))
        #expect(importError(#"{"t": 0}"# + "\n[1, 2]", format: .jsonl, source: "runs.jsonl") == message)
        #expect(
            importError(#"{"t": 0}"# + "\n" + #"{"t": 1}{"t": 2}"#, format: .jsonl, source: "runs.jsonl")
                == syntax(9, "the end of the document"))
    }

    /// A round without t names its line and says what a round and a header need.
    @Test func aRoundWithoutT() {
        expectImportError(
            #"{"t": 0}"# + "\n\n" + #"{"test_mse": 0.1}"#, prefix: "runs.jsonl line 3 has no \"t\"",
            "a round needs its number t")
    }

    /// t must be a whole number 0, 1, 2, ...
    @Test func aTThatIsNotARoundNumber() {
        for (t, shown) in [
            ("-1", "-1"), ("1.5", "1.5"), (#""0""#, #""0""#), ("null", "null"), ("1000000000", "1000000000"),
        ] {
            expectImportError(
                #"{"t": \#(t)}"#, prefix: "runs.jsonl line 1: ",
                "t must be a round number 0, 1, 2, ... 999999, got \(shown)")
        }
    }

    /// A t too large for a double (1e999) is named as written or as infinite, not as null.
    @Test func anInfiniteTIsNotCalledNull() {
        let message = importError(#"{"t": 1e999}"#, format: .jsonl, source: "runs.jsonl")
        #expect(message?.hasPrefix("runs.jsonl line 1: t must be a round number") == true)
        #expect(message?.hasSuffix("got null") == false, "\(String(describing: message))")
    }

    /// A round given twice in one run names both lines; the same t in another run is fine.
    @Test func aRoundGivenTwice() throws {
        let text = [#"{"t": 0}"#, #"{"t": 1}"#, #"{"t": 2}"#, #"{"t": 1, "loss": 2}"#].joined(separator: "\n")
        #expect(
            importError(text, format: .jsonl, source: "runs.jsonl")
                == "runs.jsonl line 4: round t = 1 appears twice in one run (first on line 2); give each round once")
        let twoRuns = [#"{"run": {}}"#, #"{"t": 0}"#, #"{"run": {}}"#, #"{"t": 0}"#].joined(separator: "\n")
        #expect(try ImportReader.read(twoRuns, format: .jsonl, source: "runs.jsonl").count == 2)
        expectImportError(
            "t,loss\n0,1\n1,2\n0,3", format: .csv, source: "r.csv", prefix: "r.csv line 4: ",
            "round t = 0 appears twice in one run (first on line 2)")
    }

    /// A metric that is not a number names the metric and what was given.
    @Test func aMetricThatIsNotANumber() {
        expectImportError(
            #"{"t": 0}"# + "\n" + #"{"t": 1, "accuracy": "high"}"#, prefix: "runs.jsonl line 2: ",
            #"metric 'accuracy' is "high", not a finite number"#)
        expectImportError(
            #"{"t": 0, "test_mse": true}"#, prefix: "runs.jsonl line 1: ",
            "metric 'test_mse' is true, not a finite number")
        expectImportError(
            #"{"t": 0, "loss": [1]}"#, prefix: "runs.jsonl line 1: ", "metric 'loss' is [1], not a finite number")
    }

    /// 1e999 reads as infinity and is named so, not as null.
    @Test func anInfiniteMetricIsNamedInf() {
        #expect(
            importError(#"{"t": 0, "loss": 1e999}"#, format: .jsonl, source: "runs.jsonl")
                == "runs.jsonl line 1: metric 'loss' is inf, not a finite number")
        #expect(
            importError(#"{"t": 0, "loss": -1e999}"#, format: .jsonl, source: "runs.jsonl")
                == "runs.jsonl line 1: metric 'loss' is -inf, not a finite number")
    }

    /// A header field sdtrack does not know is refused, listing the ones it knows.
    @Test func anUnknownHeaderField() {
        #expect(
            importError(
                #"{"run": {"experiment": "e", "owner": "ana"}}"# + "\n" + #"{"t": 0}"#, format: .jsonl,
                source: "runs.jsonl")
                == "runs.jsonl line 1: unknown run field 'owner'; use id, experiment, config, tags, note, created_at")
    }

    /// A header field of the wrong type, or a "run" that is not an object, is refused.
    @Test func aHeaderFieldOfTheWrongType() {
        for (field, value) in [
            ("note", "5"), ("experiment", "[]"), ("config", #""K=3""#),
            ("tags", #"["a"]"#), ("id", "7"), ("created_at", "1795000000"),
        ] {
            expectImportError(
                #"{"run": {"\#(field)": \#(value)}}"# + "\n" + #"{"t": 0}"#, prefix: "runs.jsonl line 1: ",
                "run field '\(field)' has the wrong type (\(value)); see the README's import format")
        }
        expectImportError(
            #"{"run": "resnet"}"# + "\n" + #"{"t": 0}"#, prefix: "runs.jsonl line 1: ", #""run" must be an object"#)
        expectImportError(
            #"{"run": {"experiment": ""}}"# + "\n" + #"{"t": 0}"#, prefix: "runs.jsonl line 1: ",
            "experiment must not be empty")
    }

    /// created_at must be a UTC time.
    @Test func aBadCreatedAt() {
        expectImportError(
            #"{"t": 0}"# + "\n" + #"{"run": {"created_at": "yesterday"}}"# + "\n" + #"{"t": 0}"#,
            prefix: "runs.jsonl line 2: ", "created_at 'yesterday' is not a UTC time such as 2026-11-29T08:00:00Z")
    }

    /// A header id that is not a UUID is refused at the header's line.
    @Test func aRunIDThatIsNotAUUID() {
        expectImportError(
            #"{"run": {"id": "run-7"}}"# + "\n" + #"{"t": 0}"#, prefix: "runs.jsonl line 1: ",
            "run id 'run-7' is not a UUID")
    }

    /// A configuration column's value must be of its kind (K "ten", seed 1.5, gamma "x").
    @Test func aConfigColumnOfTheWrongKind() {
        let cases = [
            (#""K": "ten""#, #"config K must be a whole number, got "ten""#),
            (#""seed": 1.5"#, "config seed must be a whole number, got 1.5"),
            (#""gamma": "x""#, #"config gamma must be a finite number, got "x""#),
            (#""dataset": 5"#, "config dataset must be a string, got 5"),
            (#""kernel": {"gamma": 1}"#, #"config kernel must be a string, got {"gamma":1}"#),
        ]
        for (member, problem) in cases {
            expectImportError(
                #"{"t": 0}"# + "\n" + #"{"run": {"config": {\#(member)}}}"# + "\n" + #"{"t": 0}"#,
                prefix: "runs.jsonl line 2: ", problem)
        }
        // A --config value is checked on its own: the error names --config, not a line of the file.
        expectImportError(
            "t,loss\n0,1", format: .csv, source: "r.csv", prefix: "--config ", "K must be a whole number",
            options: ImportOptions(config: [("K", .string("ten"))]))
    }

    /// A tag key with a space, or a tag value that is not a string, in a header is an
    /// ImportError naming the file and the line.
    @Test func aBadTagInAHeader() throws {
        let text = #"{"run": {"tags": {"a b": "x"}}}"# + "\n" + #"{"t": 0}"#
        let error = #expect(throws: ImportError.self) {
            try ImportReader.read(text, format: .jsonl, source: "runs.jsonl")
        }
        #expect(error?.description == "runs.jsonl line 1: tag key 'a b' is not letters, digits, '.', '_' and '-'")
        expectImportError(
            #"{"run": {"tags": {"who": 3}}}"# + "\n" + #"{"t": 0}"#, prefix: "runs.jsonl line 1: ",
            "tag 'who' must have a string value, got 3")
    }

    /// A header followed by no rounds is refused at the header's line.
    @Test func aHeaderWithNoRounds() {
        #expect(
            importError(
                #"{"run": {"experiment": "a"}}"# + "\n" + #"{"run": {"experiment": "b"}}"# + "\n" + #"{"t": 0}"#,
                format: .jsonl, source: "runs.jsonl")?
                .hasPrefix("runs.jsonl line 1: this run has no rounds") == true)
        #expect(
            importError(#"{"t": 0}"# + "\n\n" + #"{"run": {}}"# + "\n", format: .jsonl, source: "runs.jsonl")?
                .hasPrefix("runs.jsonl line 3: this run has no rounds") == true)
    }

    /// An empty file (or one of blank lines) has no rounds.
    @Test func anEmptyFile() {
        for text in ["", "\n\n", "  \n\t\n"] {
            #expect(
                importError(text, format: .jsonl, source: "runs.jsonl")
                    == #"runs.jsonl has no rounds; each line should be a round such as {"t": 0, "test_mse": 0.1}"#)
        }
        expectImportError(
            "", format: .csv, source: "r.csv", prefix: "r.csv is empty", "give a header row such as t,test_mse")
        expectImportError(
            "t,loss\n", format: .csv, source: "r.csv", prefix: "r.csv line 2: this run has no rounds",
            "follow its header")
    }

    /// A CSV file without a column t names its header.
    @Test func csvWithoutT() {
        #expect(
            importError("step,loss\n0,1\n", format: .csv, source: "r.csv")
                == "r.csv has no column 't'; its header is step,loss; add the round number t")
    }

    /// A CSV row with another number of fields than the header names its line.
    @Test func csvRaggedRow() {
        #expect(
            importError("t,loss,acc\n0,1,0.5\n1,2\n", format: .csv, source: "r.csv")
                == "r.csv line 3 has 2 fields but the header has 3")
        #expect(
            importError("t,loss\n0,1,0.5\n", format: .csv, source: "r.csv")
                == "r.csv line 2 has 3 fields but the header has 2")
    }

    /// A CSV header naming a column twice is refused.
    @Test func csvDuplicateColumn() {
        #expect(
            importError("t,loss,loss\n0,1,2\n", format: .csv, source: "r.csv") == "r.csv has two columns named 'loss'")
        #expect(importError("t,t\n0,0\n", format: .csv, source: "r.csv") == "r.csv has two columns named 't'")
    }

    /// A CSV cell that is not a number, or a bad t, names its line (and column).
    @Test func csvBadCells() {
        #expect(
            importError("t,loss\n0,1\n1,abc\n", format: .csv, source: "r.csv")
                == "r.csv line 3, column 'loss': 'abc' is not a finite decimal number")
        #expect(
            importError("t,loss\n0,inf\n", format: .csv, source: "r.csv")
                == "r.csv line 2, column 'loss': 'inf' is not a finite decimal number")
        expectImportError(
            "t,loss\nx,1\n", format: .csv, source: "r.csv", prefix: "r.csv line 2: ",
            #"t must be a round number 0, 1, 2, ... 999999, got "x""#)
        expectImportError(
            "t,loss\n,1\n", format: .csv, source: "r.csv", prefix: "r.csv line 2: ",
            #"t must be a round number 0, 1, 2, ... 999999, got """#)
    }
}
