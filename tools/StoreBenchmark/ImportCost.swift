import Foundation
import SDDocuments
import SDEngine
import SDImport
import SDJSON
import SDStore

/// What importing an `sdtrack runs export` costs: 1,000 runs of 30 rounds, each with K = 500
/// spectra (d and z0), about 27 MB of JSON. Stages timed in one process: reading the file
/// (the baseline), parsing the JSON, turning it into records, and writing them into an empty
/// database; then `sdtrack import FILE` as a fresh process. Target: at most 0.5 s.
enum ImportCost {
    static let runs = 1000, rounds = 30, spectrumLength = 500

    struct Figures {
        var read = 0.0, parse = 0.0, decode = 0.0, write = 0.0
        var total: Double { read + parse + decode + write }
    }

    /// Writes the export of a freshly made database of `runs` runs to a file; its path.
    static func makeExport(folder: String) throws -> String {
        let store = try RunStore(path: folder + "/source.db", create: true)
        var generator = SeededGenerator(seed: 2026)  // the same data every run, so the figures compare
        let start = Timestamp(iso8601: "2026-01-01T00:00:00Z")!
        var batch = [CompleteRun]()
        for index in 0..<runs {
            var config = RunConfig()
            config.dataset = "sine"
            config.k = spectrumLength
            config.kernel = "rbf"
            config.gamma = Double(10 + index % 25)
            config.mode = "eps"
            config.eps = 0.001 * Double(1 + index % 10)
            config.seed = index / 10
            let configJSON =
                #"{"dataset":"sine","eps":\#(config.eps!),"kernel":{"gamma":\#(config.gamma!),"name":"rbf"},"#
                + #""seed":\#(config.seed!)}"#
            var run = RunRecord(
                id: UUID().uuidString.lowercased(), experiment: "import-bench", status: .finished,
                source: .sdtrack, createdAt: start.adding(seconds: Double(index)), host: "bench",
                pid: 1, sdtrackVersion: sdtrackVersion, configJSON: configJSON, config: config,
                note: "run \(index)", tags: [Tag(key: "sweep", value: "eps")])
            run.startedAt = run.createdAt
            run.endedAt = run.createdAt.adding(seconds: 2)
            run.summary.collapseRound = rounds
            run.zeroPredictor = ZeroPredictorErrors(trainMSE: 0.6, testMSE: 0.6, truthMSE: 0.5)
            let roundRecords = (0..<rounds).map { t in
                RoundRecord(
                    t: t, c: Double.random(in: 0..<1, using: &generator), r: Double(rounds - t) + 0.5,
                    targetNorm: Double.random(in: 1..<2, using: &generator), trainMSE: 0.01 * Double(t + 1),
                    targetMSE: config.eps, testMSE: Double.random(in: 0.1..<0.2, using: &generator),
                    truthMSE: Double.random(in: 0..<0.1, using: &generator), df: 20 - Double(t) / 2,
                    gcv: Double.random(in: 0.1..<0.2, using: &generator), rkhsNorm: 3 / Double(t + 1))
            }
            let spectrum = SpectrumRecord(
                d: (0..<spectrumLength).map { _ in Double.random(in: 0..<1, using: &generator) },
                z0: (0..<spectrumLength).map { _ in Double.random(in: -1..<1, using: &generator) },
                zeroTolerance: 1e-13)
            batch.append(CompleteRun(run: run, rounds: roundRecords, spectrum: spectrum))
        }
        try store.importRuns(batch)
        let path = folder + "/export.json"
        let exported = RunDocument.export(try store.completeRuns(ids: batch.map(\.run.id)))
        try Data(exported.serializedBytes()).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The stages of importing `path` into a new database in `folder`, in this process.
    static func measure(path: String, folder: String, repetition: Int) throws -> Figures {
        // Written pages of earlier repetitions out first: the kernel throttles a writer that
        // finds tens of megabytes dirty, and this would time that.
        sync()
        var figures = Figures()
        var text = "", document = JSONValue.null, records = [CompleteRun]()
        figures.read = try Timing.seconds { text = try String(contentsOfFile: path, encoding: .utf8) }
        figures.parse = try Timing.seconds { document = try JSONValue.parse(document: text) }
        figures.decode = try Timing.seconds { records = try RunDocument.runs(in: document) }
        let store = try RunStore(path: folder + "/import-\(repetition).db", create: true)
        figures.write = try Timing.seconds { try store.importRuns(records) }
        return figures
    }
}
