import Foundation
import SDEngine
import SDRun
import SDSpec
import SDStore

/// What recording adds to a run: K = 2000 training points, 1000 held-out points, 30 rounds
/// (fixed c, so exactly 30), timed in one process. Compute is the engine's work (Gram
/// matrix, eigendecomposition, rounds); recording is everything `sdtrack run` does for the
/// database (open, fingerprint, the run row, spectra, each round, the end), interleaved
/// with the rounds as in the CLI.
struct RecordingCost {
    static let size = 2000, testCount = 1000, rounds = 30

    let compute: Double
    let recording: Double
    var fraction: Double { recording / compute }

    static func measure() throws -> RecordingCost {
        let dataset = try Dataset.sine(n: size + testCount, noise: 0.3, seed: 1)
            .splitting(testFraction: Double(testCount) / Double(size + testCount), seed: 2)
        let settings = DistillationSettings(kernel: .rbf(gamma: 50), mode: .fixedC(1e-3), maxRounds: rounds)
        var compute = 0.0, recording = 0.0
        let path = temporaryDatabase("recording.db")
        var recorder: RunRecorder!
        recording += try Timing.seconds {
            let store = try RunStore(path: path, create: true)
            recorder = try RunRecorder.start(
                store: store, dataset: dataset, kernel: settings.kernel, mode: settings.mode,
                eps: nil, configuration: #"{"dataset":"sine"}"#, seed: 1, noise: 0.3,
                labels: RunLabels())
        }
        var run: Distillation!
        compute += try Timing.seconds { run = try Distillation(dataset: dataset, settings: settings) }
        recording += try Timing.seconds { try recorder.record(run.spectrum) }
        while true {
            var round: Round?
            compute += Timing.seconds { round = run.next() }
            guard let round else { break }
            recording += try Timing.seconds { try recorder.record(round) }
        }
        recording += try Timing.seconds { try recorder.finish(run) }
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        return RecordingCost(compute: compute, recording: recording)
    }
}
