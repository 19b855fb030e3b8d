import Foundation
import SDTestSupport
import Testing

/// Every bad input of the issue: one clear `Error:` line first, a non-zero exit, no crash,
/// nothing on standard output.
@Suite struct BadInputTests {
    struct BadInput: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        /// Files to create in the test's folder first: name -> contents.
        var files: [String: String] = [:]
        /// Files whose bytes are not text: name -> bytes.
        var binaryFiles: [String: [UInt8]] = [:]
        let status: Int32
        let message: String
        var testDescription: String { label }
    }

    static let usage: Int32 = 64, failure: Int32 = 1

    static let cases: [BadInput] = [
        BadInput(
            label: "missing file", arguments: ["--data", "nope.csv"], status: failure,
            message: "no such file 'nope.csv'"),
        BadInput(
            label: "directory", arguments: ["--data", "folder"], files: ["folder/x": ""], status: failure,
            message: "'folder' is a directory"),
        BadInput(
            label: "not UTF-8", arguments: ["--data", "binary.csv"],
            binaryFiles: ["binary.csv": [0x78, 0x2C, 0x79, 0x0A, 0xFF, 0xFE, 0x0A]], status: failure,
            message: "not UTF-8"),
        BadInput(
            label: "empty file", arguments: ["--data", "empty.csv"], files: ["empty.csv": ""], status: failure,
            message: "empty.csv is empty"),
        BadInput(
            label: "ragged rows", arguments: ["--data", "r.csv"], files: ["r.csv": "x,y\n1,2\n3\n"], status: failure,
            message: "r.csv line 3 has 1 fields but the header has 2"),
        BadInput(
            label: "non-numeric cell", arguments: ["--data", "n.csv"], files: ["n.csv": "x,y\n1,2\n3,abc\n"],
            status: failure,
            message: "n.csv line 3, column 'y': 'abc' is not a finite decimal number"),
        BadInput(
            label: "NaN cell", arguments: ["--data", "n.csv"], files: ["n.csv": "x,y\nNaN,2\n3,4\n"], status: failure,
            message: "column 'x': 'NaN' is not a finite decimal number"),
        BadInput(
            label: "inf cell", arguments: ["--data", "n.csv"], files: ["n.csv": "x,y\n1,inf\n3,4\n"], status: failure,
            message: "column 'y': 'inf' is not a finite decimal number"),
        BadInput(
            label: "unknown target column", arguments: ["--data", "t.csv", "--target", "z"],
            files: ["t.csv": "x,y\n1,2\n3,4\n"],
            status: failure, message: "t.csv has no column 'z'; its columns are x, y"),
        BadInput(
            label: "unknown feature column", arguments: ["--data", "t.csv", "--features", "x,w"],
            files: ["t.csv": "x,y\n1,2\n3,4\n"],
            status: failure, message: "t.csv has no column 'w'"),
        BadInput(
            label: "one training point", arguments: ["--data", "one.csv"], files: ["one.csv": "x,y\n1,2\n"],
            status: failure,
            message: "one.csv has 1 training point; self-distillation needs at least 2"),
        BadInput(
            label: "duplicate points", arguments: ["--data", "d.csv", "--gamma", "10", "--eps", "0.1"],
            files: ["d.csv": "x,y\n0,0\n0.5,1\n0.5,-1\n1,3\n"], status: failure,
            message: "eps 0.1 is infeasible: the kernel cannot fit these targets closer than eps = 0.5"),
        BadInput(
            label: "infeasible eps", arguments: ["--kernel", "linear", "--eps", "0.01"], status: failure,
            message: "eps 0.01 is infeasible"),
        BadInput(label: "eps zero", arguments: ["--eps", "0"], status: usage, message: "--eps must be positive"),
        BadInput(label: "eps negative", arguments: ["--eps=-1"], status: usage, message: "--eps must be positive"),
        BadInput(
            label: "eps-rel zero", arguments: ["--eps-rel", "0"], status: usage, message: "--eps-rel must be positive"),
        BadInput(
            label: "fixed-c zero", arguments: ["--fixed-c", "0"], status: usage, message: "--fixed-c must be positive"),
        BadInput(
            label: "two modes", arguments: ["--eps", "0.1", "--fixed-c", "0.1"], status: usage, message: "give one"),
        BadInput(
            label: "bandwidth zero", arguments: ["--bandwidth", "0"], status: usage,
            message: "--bandwidth must be positive"),
        BadInput(
            label: "gamma negative", arguments: ["--gamma=-2"], status: usage, message: "--gamma must be positive"),
        BadInput(
            label: "depth zero", arguments: ["--kernel", "ntk", "--depth", "0"], status: usage,
            message: "--depth must be a whole number from 1 to 1000"),
        BadInput(
            label: "parameter of another kernel", arguments: ["--kernel", "linear", "--gamma", "1"], status: usage,
            message: "--gamma does not apply to the linear kernel"),
        BadInput(
            label: "unknown kernel", arguments: ["--kernel", "gaussian"], status: usage,
            message: "--kernel 'gaussian' is unknown; use one of rbf"),
        BadInput(
            label: "rounds zero", arguments: ["--rounds", "0"], status: usage,
            message: "--rounds must be from 1 to 1000000"),
        BadInput(
            label: "test fraction zero", arguments: ["--test-fraction", "0"], status: usage,
            message: "--test-fraction must be in (0, 1)"),
        BadInput(
            label: "test fraction one", arguments: ["--test-fraction", "1"], status: usage,
            message: "--test-fraction must be in (0, 1)"),
        BadInput(
            label: "test fraction above one", arguments: ["--test-fraction", "1.5"], status: usage,
            message: "--test-fraction must be in (0, 1)"),
        BadInput(
            label: "test fraction leaving no test point", arguments: ["--test-fraction", "0.01"], status: failure,
            message: "leaves 0 test and 11 training points"),
        BadInput(
            label: "test file with other columns", arguments: ["--data", "a.csv", "--test", "b.csv"],
            files: ["a.csv": "x,y\n1,2\n3,4\n", "b.csv": "u,y\n1,2\n"], status: failure,
            message: "the test file's features (u) differ"),
        BadInput(
            label: "noise for non-sine data", arguments: ["--noise", "0.1"], status: usage,
            message: "--n and --noise apply to the sine data only"),
    ]

    @Test(arguments: cases)
    func badInputGetsOneClearLine(input: BadInput) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let contents = input.files.mapValues { Data($0.utf8) }.merging(input.binaryFiles.mapValues { Data($0) }) { $1 }
        for (name, data) in contents {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let result = try sdtrack(["run"] + input.arguments, in: folder)
        #expect(result.status == input.status, "exit \(result.status): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.hasPrefix("Error: "), "\(result.stderr)")
        #expect(firstLine.contains(input.message), "\(firstLine)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("nan"))
    }
}
