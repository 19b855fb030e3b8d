import Foundation
import SDEngine
import SDRun
import SDSpec
import SDStore

/// A database of many finished runs shaped like a real sweep: configurations (kernel,
/// gamma, eps) crossed with seeds, every run with 20 rounds of metrics, a spectrum of
/// length 100, two tags, and a collapse.
enum SyntheticDatabase {
    static let roundsPerRun = 20

    /// `configurations` distinct configurations (at most 500), each run with seed index / that.
    static func create(path: String, runs: Int, configurations: Int = 500) throws {
        let store = try RunStore(path: path, create: true)
        let start = Timestamp(iso8601: "2026-01-01T00:00:00Z")!
        var batch = [CompleteRun]()
        var generator = SeededGenerator(seed: 2026)  // the same data every run, so the figures compare
        for index in 0..<runs {
            let configuration = index % configurations, seed = index / configurations
            var config = RunConfig()
            config.dataset = "sine"
            config.k = 100
            config.testSize = 50
            config.kernel = configuration % 2 == 0 ? "rbf" : "laplacian"
            config.gamma = Double(10 + configuration % 25)
            config.mode = "eps"
            config.eps = 0.001 * Double(1 + configuration / 50)
            config.seed = seed
            config.noise = 0.3
            let configJSON =
                #"{"dataset":"sine","kernel":{"name":"\#(config.kernel!)","gamma":\#(config.gamma!)},"mode":"eps","#
                + #""eps":\#(config.eps!),"seed":\#(seed),"noise":0.3,"K":100,"test_size":50}"#
            var run = RunRecord(
                id: UUID().uuidString.lowercased(), experiment: "sweep\(index % 7)", status: .finished,
                source: .sdtrack, createdAt: start.adding(seconds: Double(index)), host: "bench",
                pid: 1, sdtrackVersion: "benchmark", configJSON: configJSON, config: config,
                tags: [Tag(key: "seed", value: String(seed)), Tag(key: "sweep", value: "eps")])
            run.summary.collapseRound = roundsPerRun
            run.summary.boundsHeld = true
            run.zeroPredictor = ZeroPredictorErrors(trainMSE: 0.6, testMSE: 0.6, truthMSE: 0.5)
            let rounds = (0..<roundsPerRun).map { t in
                let bend = Double(t - 3) * Double(t - 3) * 0.002
                return RoundRecord(
                    t: t, c: 0.01 * Double(t + 1), r: Double(roundsPerRun - t) + 0.5, trainMSE: 0.01 * Double(t + 1),
                    targetMSE: config.eps, testMSE: 0.1 + bend + Double.random(in: 0..<0.01, using: &generator),
                    truthMSE: 0.05 + bend, df: 20 - Double(t), gcv: 0.12 + bend, rkhsNorm: 3 / Double(t + 1))
            }
            let spectrum = SpectrumRecord(
                d: (0..<100).map { 1 / Double($0 + 1) }, z0: (0..<100).map { sin(Double($0)) },
                zeroTolerance: 1e-14)
            batch.append(CompleteRun(run: run, rounds: rounds, spectrum: spectrum))
            if batch.count == 500 {
                try store.importRuns(batch)
                batch.removeAll()
                progress("generated \(index + 1) of \(runs) runs")
            }
        }
        if !batch.isEmpty { try store.importRuns(batch) }
    }

    /// `runs` real runs of sdtrack on one-dimensional sine data (n = 40, a held-out quarter):
    /// 50 configurations (5 full-rank kernels x 10 eps-rel) x seeds, recorded by `Runner`, so
    /// that a report computes their fits again.
    static func recordSweep(path: String, runs: Int) throws {
        let store = try RunStore(path: path, create: true)
        let kernels = [
            KernelRequest(name: "laplacian"), KernelRequest(name: "matern32"), KernelRequest(name: "matern52"),
            KernelRequest(name: "laplacian", bandwidth: 0.5), KernelRequest(name: "matern52", bandwidth: 0.2),
        ]
        for index in 0..<runs {
            let configuration = index % 50, seed = index / 50
            var specification = RunSpecification()
            specification.data = DataSpecification(
                source: "sine", testFraction: 0.25, seed: UInt64(seed), pointCount: 40)
            specification.kernel = kernels[configuration % 5]
            specification.mode = ModeSpecification(epsRel: 0.05 + 0.03 * Double(configuration / 5))
            _ = try Runner.run(specification, store: store)
            if (index + 1) % 250 == 0 { progress("recorded \(index + 1) of \(runs) runs") }
        }
    }
}
