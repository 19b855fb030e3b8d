import Foundation
import SDEngine
import SDJSON
import SDReports

/// Prints the set-up stages of a large run to standard error, so that a user waiting on a
/// long decomposition sees what is happening and how long is left. Silent for small runs,
/// where set-up is quick. A stage that reports its fraction done (the low-rank factorisation)
/// or has an estimated duration (the tridiagonal reduction) shows, on a terminal, its elapsed
/// time and an ETA, updated at most four times a second.
final class ProgressReporter: @unchecked Sendable {
    /// Below this many training points set-up takes well under a second: say nothing.
    static let minimumPoints = 1000

    private let terminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var message = ""
    private var started = Date()
    private var printed = false
    private var estimate: Double?
    private var lastShown = Date.distantPast
    /// Set and cancelled on the caller's thread only (`stage`, `finish`); its handler takes `lock`.
    private var ticker: DispatchSourceTimer?

    func stage(_ stage: DistillationStage) {
        if case .progress(let fraction) = stage { return show(fraction: fraction) }
        let (message, points, estimate): (String, Int, Double?) =
            switch stage {
            case .gram(let k): ("building the \(k) x \(k) Gram matrix", k, nil)
            case .eigendecomposition(let k): ("eigendecomposition of G (K = \(k))", k, nil)
            case .tridiagonalReduction(let k):
                // Timed only where it is shown: a terminal (about 40 ms, from K = 6000).
                (
                    "eigendecomposition of G by tridiagonal reduction (K = \(k))", k,
                    terminal ? Lapack.tridiagonalizationEstimate(n: k) : nil
                )
            case .lowRankFactorization(let k): ("low-rank factorisation of G (K = \(k))", k, nil)
            case .predictionKernels(let k): ("kernel rows for held-out and grid points (K = \(k))", k, nil)
            case .progress: ("", 0, nil)
            }
        guard points >= Self.minimumPoints else { return }
        finish()
        lock.withLock {
            self.message = message + "..."
            self.estimate = estimate
            started = Date()
            printed = true
            standardError(self.message + (estimate.map { " (about \(Self.duration($0)))" } ?? ""))
        }
        if terminal, estimate != nil { startTicker() }
    }

    func finish() {
        ticker?.cancel()
        ticker = nil
        lock.withLock {
            if printed {
                let elapsed = Date().timeIntervalSince(started)
                standardError((terminal ? "\r\u{1B}[K" + message : "") + formatted(" %.2f s\n", elapsed))
            }
            printed = false
        }
    }

    /// The ETA from the fraction done so far, once the stage has taken a second and done 2%
    /// (earlier estimates swing too far to help).
    private func show(fraction: Double) {
        lock.withLock {
            let elapsed = Date().timeIntervalSince(started)
            guard printed, terminal, fraction >= 0.02, elapsed >= 1 else { return }
            showLine(elapsed: elapsed, left: elapsed * (1 - min(fraction, 1)) / fraction, percent: fraction)
        }
    }

    /// Elapsed time against the estimate, for a stage that cannot report its fraction.
    private func startTicker() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.withLock {
                guard self.printed, let estimate = self.estimate else { return }
                let elapsed = Date().timeIntervalSince(self.started)
                self.showLine(elapsed: elapsed, left: estimate - elapsed, percent: nil)
            }
        }
        ticker = timer
        timer.resume()
    }

    /// Must be called with `lock` held.
    private func showLine(elapsed: Double, left: Double, percent: Double?) {
        let now = Date()
        guard now.timeIntervalSince(lastShown) >= 0.25 else { return }
        lastShown = now
        let done = percent.map { formatted(" %.0f%%,", 100 * $0) } ?? ""
        let remaining = left > 0 ? "about \(Self.duration(left)) left" : "taking longer than estimated"
        standardError("\r\u{1B}[K\(message)\(done) \(Self.duration(elapsed)) elapsed, \(remaining)")
    }

    private static func duration(_ seconds: Double) -> String {
        seconds < 90 ? formatted("%.0f s", max(seconds, 1)) : formatted("%.0f min", seconds / 60)
    }
}

func standardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
