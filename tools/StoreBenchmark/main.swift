// store-benchmark: what recording costs a run, and how fast sdtrack answers over many runs.
//
// Targets: recording a K = 2000, 30-round run costs at most 5% of its compute (both timed in
// this process); `sdtrack runs list` over 10,000 runs answers in under 100 ms; best-rounds
// over 10,000 runs x 20 rounds (every group) in under 300 ms. Build and run with
//
//     swift build -c release --static-swift-stdlib --product sdtrack
//     swift run -c release --static-swift-stdlib store-benchmark [--runs 10000] [--keep] [--db PATH]
//
// --only recording|import|queries measures one part. --keep leaves the generated database and
// export in place (their paths are printed); --db PATH reuses
// such a database and skips the recording measurement, for profiling the queries.
//
// The binary is .build/release/sdtrack, or $SDTRACK_BINARY. Progress goes to stderr.

import Foundation
import SDAnalysis
import SDStore

let arguments = CommandLine.arguments
/// The value after `option`, if given.
func value(of option: String) -> String? {
    guard let index = arguments.firstIndex(of: option) else { return nil }
    guard index + 1 < arguments.count else {
        FileHandle.standardError.write(Data("store-benchmark: \(option) needs a value\n".utf8))
        exit(64)
    }
    return arguments[index + 1]
}
let runCount = value(of: "--runs").flatMap { Int($0) } ?? 10_000
let keep = arguments.contains("--keep")
/// --only recording|import|queries runs one part.
let only = value(of: "--only")
func runs(_ part: String) -> Bool { only == nil || only == part }
let reused = value(of: "--db")
let binary = ProcessInfo.processInfo.environment["SDTRACK_BINARY"] ?? ".build/release/sdtrack"
guard FileManager.default.isExecutableFile(atPath: binary) else {
    let build = "swift build -c release --static-swift-stdlib --product sdtrack"
    FileHandle.standardError.write(
        Data("store-benchmark: no sdtrack binary at \(binary); run `\(build)` first or set SDTRACK_BINARY\n".utf8))
    exit(1)
}

func row(_ cells: [String]) -> String {
    zip(cells, [44, 12, 12, 10]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
}

do {
    // 1. Recording cost.
    var costs = [RecordingCost]()
    for repetition in 1...3 where reused == nil && runs("recording") {
        let cost = try RecordingCost.measure()
        progress(
            String(
                format: "recording repetition %d: compute %.3f s, recording %.4f s", repetition, cost.compute,
                cost.recording))
        costs.append(cost)
    }
    if let cost = costs.count == 3 ? costs.sorted(by: { $0.fraction < $1.fraction })[1] : nil {
        print(
            "Recording one run: K = \(RecordingCost.size), \(RecordingCost.testCount) held out, "
                + "\(RecordingCost.rounds) rounds (median of 3)"
        )
        print(
            String(
                format: "  compute %.3f s, recording %.1f ms: %.2f%% of compute (target <= 5%%) %@",
                cost.compute, cost.recording * 1000, cost.fraction * 100, cost.fraction <= 0.05 ? "holds" : "MISSED"))
    }

    // 2. Importing an export.
    if reused == nil && runs("import") {
        let folder = (temporaryDatabase("import") as NSString).deletingLastPathComponent
        progress(
            "making an export of \(ImportCost.runs) runs x \(ImportCost.rounds) rounds, K = "
                + "\(ImportCost.spectrumLength)"
        )
        let exportPath = try ImportCost.makeExport(folder: folder)
        let megabytes = (try FileManager.default.attributesOfItem(atPath: exportPath)[.size] as? Int ?? 0) / 1_000_000
        var figures = [ImportCost.Figures]()
        for repetition in 0..<3 {
            figures.append(try ImportCost.measure(path: exportPath, folder: folder, repetition: repetition))
        }
        let median = figures.sorted { $0.total < $1.total }[1]
        print(
            "\nImporting an export: \(ImportCost.runs) runs x \(ImportCost.rounds) rounds with K = "
                + "\(ImportCost.spectrumLength) "
                + "spectra (\(megabytes) MB), into an empty database (median of 3)")
        print(row(["what", "time", "baseline", "ratio"]))
        let stages = [
            ("read the file (baseline)", median.read), ("parse the JSON", median.parse),
            ("turn it into records", median.decode), ("write the runs (one transaction)", median.write),
        ]
        for (label, seconds) in stages {
            print(
                row([
                    "  " + label, String(format: "%.1f ms", seconds * 1000),
                    String(format: "%.1f ms", median.read * 1000),
                    String(format: "%.1f", seconds / median.read),
                ]))
        }
        print(
            String(
                format: "  in process, all stages: %.3f s (target <= 0.5 s) %@", median.total,
                median.total <= 0.5 ? "holds" : "MISSED"))
        var command = [Double]()
        for repetition in 0..<3 {
            sync()
            command.append(
                try Timing.process(
                    binary, ["import", exportPath, "--db", folder + "/cli-\(repetition).db"], repetitions: 1))
        }
        let commandMedian = Timing.median(command)
        print(
            String(
                format: "  sdtrack import FILE, fresh process: %.3f s (target <= 0.5 s) %@", commandMedian,
                commandMedian <= 0.5 ? "holds" : "MISSED"))
        if keep { print("kept the export: \(exportPath)") } else { try? FileManager.default.removeItem(atPath: folder) }
    }
    guard runs("queries") else { exit(0) }

    // 3. Reading many runs.
    let path = reused ?? temporaryDatabase("runs.db")
    progress("generating \(runCount) runs x \(SyntheticDatabase.roundsPerRun) rounds in \(path)")
    let generation = reused != nil ? 0 : try Timing.seconds { try SyntheticDatabase.create(path: path, runs: runCount) }
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0) / 1_000_000
    print(
        "\nA database of \(runCount) runs x \(SyntheticDatabase.roundsPerRun) rounds (\(size) MB, generated in "
            + "\(String(format: "%.1f", generation)) s)"
    )
    print(row(["what", "median", "baseline", "ratio"]))

    var times = [Double]()
    for _ in 0..<20 { times.append(try Timing.seconds { _ = try RunStore(path: path, create: false) }) }
    let open = Timing.median(times)
    func inProcess(_ label: String, repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var times = [Double]()
        for _ in 0..<repetitions { times.append(try Timing.seconds(body)) }
        let median = Timing.median(times)
        print(
            row([
                label, String(format: "%.1f ms", median * 1000), String(format: "%.1f ms", open * 1000),
                String(format: "%.1f", median / open),
            ]))
        return median
    }
    print(row(["open the database (baseline)", String(format: "%.1f ms", open * 1000), "", ""]))
    _ = try inProcess("in process: list newest 50", repetitions: 20) {
        _ = try RunStore(path: path, create: false).runs(matching: RunFilter(limit: 50))
    }
    _ = try inProcess("in process: list all", repetitions: 5) {
        _ = try RunStore(path: path, create: false).runs()
    }
    var series = [RunSeries]()
    _ = try inProcess("in process: read metric series", repetitions: 5) {
        series = try RunStore(path: path, create: false).series(
            matching: RunFilter(), metrics: ["test_mse", "gcv"], groupBy: nil)
    }
    _ = inProcess("in process: analyse them", repetitions: 5) {
        _ = BestRounds.analyze(series, metric: nil, maximize: false)
    }
    let bestRounds = try inProcess("in process: best-rounds, every group", repetitions: 5) {
        let series = try RunStore(path: path, create: false).series(
            matching: RunFilter(), metrics: ["test_mse", "gcv"], groupBy: nil)
        _ = BestRounds.analyze(series, metric: nil, maximize: false)
    }

    let start = try Timing.process(binary, ["--version"], repetitions: 10)
    print(row(["sdtrack --version (process baseline)", String(format: "%.1f ms", start * 1000), "", ""]))
    /// `target` nil: a figure to watch, with no target of its own.
    func command(_ label: String, _ arguments: [String], target: Double?) throws {
        let median = try Timing.process(binary, arguments + ["--db", path], repetitions: 10)
        let verdict =
            target.map { median < $0 ? "  holds (< \(Int($0 * 1000)) ms)" : "  MISSED (< \(Int($0 * 1000)) ms)" } ?? ""
        print(
            row([
                label, String(format: "%.1f ms", median * 1000), String(format: "%.1f ms", start * 1000),
                String(format: "%.1f", median / start),
            ]) + verdict)
    }
    try command("sdtrack runs list", ["runs", "list"], target: 0.1)
    try command("sdtrack runs list --limit 0 --json", ["runs", "list", "--limit", "0", "--json"], target: nil)
    try command("sdtrack query best-rounds", ["query", "best-rounds"], target: 0.3)
    try command("sdtrack query best-rounds --json", ["query", "best-rounds", "--json"], target: 0.3)
    print(
        String(
            format: "\nbest-rounds in process: %.0f ms (target < 300 ms) %@", bestRounds * 1000,
            bestRounds < 0.3 ? "holds" : "MISSED"))

    // 4. Figures and the report (issue 12): against best-rounds --json, measured above.
    let figures = (path as NSString).deletingLastPathComponent
    print("\nFigures (baseline: sdtrack query best-rounds --json on the same database, in the same run)")
    print(row(["what", "median", "baseline", "ratio"]))
    func figure(_ label: String, _ arguments: [String], database: String, output: String) throws {
        let json = try Timing.process(binary, ["query", "best-rounds", "--json", "--db", database], repetitions: 5)
        let median = try Timing.process(binary, arguments + ["--db", database, "-o", output], repetitions: 5)
        let bytes = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print(
            row([
                label, String(format: "%.1f ms", median * 1000), String(format: "%.1f ms", json * 1000),
                String(format: "%.1f", median / json),
            ]) + String(format: "  %@ (< 1000 ms); %.0f KB", median < 1 ? "holds" : "MISSED", Double(bytes) / 1000))
    }
    let svg = figures + "/best-rounds.svg"
    try figure("sdtrack plot best-rounds (panels)", ["plot", "best-rounds"], database: path, output: svg)
    let svgBytes = (try FileManager.default.attributesOfItem(atPath: svg)[.size] as? Int) ?? 0
    try figure(
        "sdtrack plot best-rounds --overlay", ["plot", "best-rounds", "--overlay"], database: path,
        output: figures + "/overlay.svg")
    // A sweep of 1,000 runs: 50 configurations x 20 seeds.
    let small = figures + "/report-runs.db"
    try SyntheticDatabase.create(path: small, runs: 1000, configurations: 50)
    try figure("sdtrack report, 1,000 runs (50 groups)", ["report"], database: small, output: figures + "/report.html")
    // Real runs: the report computes the fits of 20 groups' first runs again.
    let recorded = figures + "/recorded-runs.db"
    try SyntheticDatabase.recordSweep(path: recorded, runs: 1000)
    try figure(
        "sdtrack report, 1,000 recorded sine runs", ["report"], database: recorded, output: figures + "/recorded.html")
    let page = try String(contentsOfFile: figures + "/recorded.html", encoding: .utf8)
    print("  (its fits computed again: \(page.components(separatedBy: "data-figure=\"fit\"").count - 1))")
    print(
        String(
            format: "best-rounds SVG of 500 groups x 20 rounds: %.0f KB (target < 1000 KB) %@", Double(svgBytes) / 1000,
            svgBytes < 1_000_000 ? "holds" : "MISSED"))
    if keep || reused != nil {
        print("kept the database: \(path)")
    } else {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
} catch {
    FileHandle.standardError.write(Data("store-benchmark: \(error)\n".utf8))
    exit(1)
}
