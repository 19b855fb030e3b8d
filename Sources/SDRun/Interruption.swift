import Dispatch
import Foundation
import SDStore

/// Ends the run being recorded as failed ("interrupted by SIGINT") when the process gets
/// SIGINT or SIGTERM, then exits with 128 + the signal (130, 143), as a shell reports it. The
/// rounds already written are kept. Without it the row would stay `running` and read as killed
/// later, with no reason. (SIGKILL cannot be caught: such a run reads as killed.)
public final class Interruption: @unchecked Sendable {
    public static let signals: [Int32] = [SIGINT, SIGTERM]

    private let queue = DispatchQueue(label: "sdtrack.interruption")
    private var sources = [DispatchSourceSignal]()
    private let lock = NSLock()
    /// The runs being recorded, by ID: one, or one per job of a sweep.
    private var recorders = [String: RunRecorder]()
    /// The signal's name once one came.
    private var stopping: String?
    private let said: (String) -> Void

    /// Takes over SIGINT and SIGTERM while it lives. `say` is given one line for standard error
    /// when a signal arrives.
    public init(say: @escaping (String) -> Void) {
        self.said = say
        for signal in Self.signals {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler { [weak self] in self?.interrupted(by: signal) }
            source.resume()
            sources.append(source)
        }
    }

    /// Gives the signals back: their default action (the process ends) from here on.
    deinit {
        for source in sources { source.cancel() }
        for signal in Self.signals { Foundation.signal(signal, SIG_DFL) }
    }

    /// A run to end as failed if a signal comes, until `untrack`. A run that starts after the
    /// signal (another job of a sweep, in the moment before the process exits) ends at once.
    func track(_ recorder: RunRecorder) {
        let late = lock.withLock { () -> String? in
            if let signal = stopping { return signal }
            recorders[recorder.id] = recorder
            return nil
        }
        if let late { try? recorder.fail(Interrupted(signal: late), run: nil) }
    }

    func untrack(_ recorder: RunRecorder) {
        lock.withLock { recorders[recorder.id] = nil }
    }

    private func interrupted(by signal: Int32) {
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        let running = lock.withLock { () -> [RunRecorder] in
            stopping = name
            return recorders.values.sorted { $0.id < $1.id }
        }
        for recorder in running {
            do {
                try recorder.fail(Interrupted(signal: name), run: nil)
                said("interrupted by \(name): run \(recorder.id) is recorded as failed, with the rounds it had")
            } catch {
                said("interrupted by \(name): run \(recorder.id) could not be marked failed (\(error.message))")
            }
        }
        if running.isEmpty { said("interrupted by \(name)") }
        // _exit, not exit: exit runs OpenBLAS's destructor, which waits for the main thread's
        // LAPACK call, and meanwhile the main thread can finish and exit 0 itself. The failed
        // runs are committed, and SQLite's log needs no closing.
        fflush(nil)
        _exit(128 + signal)
    }
}

/// The error an interrupted run is stored with.
struct Interrupted: Error, CustomStringConvertible {
    let signal: String
    var description: String { "interrupted by \(signal)" }
}
