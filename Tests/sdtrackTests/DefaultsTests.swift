import Foundation
import SDTestSupport
import Testing

/// Every default gives a meaningful run, and so does every `sdtrack run` the README shows.
@Suite struct DefaultsTests {
    /// Each built-in data set with every other option at its default, and with each kernel of
    /// full rank. (Linear and polynomial kernels span a finite feature space: degree 3 on 1-D
    /// data is 4 functions, and eps-rel 0.05 is below what they can fit; they say so.)
    @Test(arguments: ["toy", "sine", "diabetes"])
    func theDefaultsRun(data: String) throws {
        for kernel in [nil, "rbf", "laplacian", "matern32", "matern52", "ntk"] {
            let arguments = ["run", "--no-record", "--data", data] + (kernel.map { ["--kernel", $0] } ?? [])
            let result = try sdtrack(arguments)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
            #expect(result.stdout.contains("collapse") && !result.stdout.contains("VIOLATED"), "\(result.stdout)")
        }
    }

    /// The README's `sdtrack run` lines (those without shell variables), as printed there.
    @Test func theREADMEsRunInvocationsRun() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n")
        let invocations = lines.compactMap { line -> [String]? in
            var text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("$ ") { text.removeFirst(2) }
            guard text.hasPrefix("sdtrack run "), !text.contains("$"), !text.contains("...") else { return nil }
            return text.split(separator: " ").dropFirst().map(String.init)
        }
        #expect(invocations.count >= 2)
        for arguments in invocations {
            let result = try sdtrack(arguments + ["--no-record"])
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
    }

    /// The examples `sdtrack run --help` shows.
    @Test func theHelpsRunExamplesRun() throws {
        let help = try sdtrack(["run", "--help"]).stdout
        let examples = help.split(separator: "\n").compactMap { line -> [String]? in
            guard let range = line.range(of: "sdtrack run "), !line.hasPrefix("USAGE") else { return nil }
            return line[range.upperBound...].split(separator: " ").map(String.init)
        }
        #expect(!examples.isEmpty)
        for arguments in examples {
            let result = try sdtrack(["run"] + arguments + ["--no-record"])
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
    }
}
