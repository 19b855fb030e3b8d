import Foundation
import SDJSON
import SDSweep

/// A sweep's progress on standard error: on a terminal a bar redrawn in place (runs done of
/// all, decompositions, elapsed, ETA); otherwise a plain line every 10 seconds and at each
/// tenth of the runs, for logs of batch jobs.
final class SweepProgressPrinter: @unchecked Sendable {
    private let sweep: String
    private let started = Date()
    private let terminal = isatty(FileHandle.standardError.fileDescriptor) != 0
    private var lastLine = Date.distantPast
    private var lastTenth = -1
    private var drewBar = false

    init(sweep: String) { self.sweep = sweep }

    /// Called by the sweep one report at a time, under its lock: returns at once when there is
    /// nothing to print, so that the jobs do not wait on formatting.
    func show(_ progress: SweepProgress) {
        let now = Date()
        if terminal {
            // A terminal redraws at most 10 times a second, and at the end.
            guard progress.done == progress.total || now.timeIntervalSince(lastLine) >= 0.1 else { return }
        } else {
            let tenth = progress.total > 0 ? 10 * progress.done / progress.total : 10
            guard tenth > lastTenth || now.timeIntervalSince(lastLine) >= 10 else { return }
            lastTenth = tenth
        }
        lastLine = now
        let elapsed = now.timeIntervalSince(started)
        let ran = progress.finished + progress.failed
        let left = progress.total - progress.done
        let eta = ran > 0 ? elapsed / Double(ran) * Double(left) : nil
        let counts =
            "\(progress.done)/\(progress.total) runs, \(progress.decompositions)/\(progress.decompositionsTotal) "
            + "decompositions" + (progress.failed > 0 ? ", \(progress.failed) failed" : "")
        let times = "\(Self.clock(elapsed)) elapsed" + (eta.map { ", ETA \(Self.clock($0))" } ?? "")
        if terminal {
            let width = 30, filled = progress.total > 0 ? width * progress.done / progress.total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            standardError("\r[\(bar)] \(counts), \(times)  ")
            drewBar = true
        } else {
            standardError("sweep \(sweep): \(counts), \(times)\n")
        }
    }

    func finish() {
        if drewBar { standardError("\n") }
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600
            ? formatted("%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : formatted("%d:%02d", whole / 60, whole % 60)
    }
}
