import Foundation
import SDEngine
import SDJSON
import SDReports

/// Prints the set-up stages of a large run to standard error, so that a user waiting on a
/// long eigendecomposition sees what is happening. Silent for small runs, where set-up is quick.
final class ProgressReporter {
    /// Below this many training points set-up takes well under a second: say nothing.
    static let minimumPoints = 1000

    private var started = Date()
    private var printed = false

    func stage(_ stage: DistillationStage) {
        let (message, points): (String, Int) =
            switch stage {
            case .gram(let k): ("building the \(k) x \(k) Gram matrix", k)
            case .eigendecomposition(let k): ("eigendecomposition of G (K = \(k))", k)
            case .tridiagonalReduction(let k): ("eigendecomposition of G by tridiagonal reduction (K = \(k))", k)
            case .predictionKernels(let k): ("kernel rows for held-out and grid points (K = \(k))", k)
            }
        guard points >= Self.minimumPoints else { return }
        finish()
        standardError("\(message)...")
        started = Date()
        printed = true
    }

    func finish() {
        if printed { standardError(formatted(" %.2f s\n", Date().timeIntervalSince(started))) }
        printed = false
    }
}

func standardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
