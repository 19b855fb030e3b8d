import ArgumentParser
import Foundation
import SDStore
import SDSync

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send this database's runs to a collection server (sdtrack serve), effectively once.",
        discussion: """
            Sends runs the server has not acknowledged: new runs, runs that grew or ended since, and edited \
            tags or notes (alone). The server stores each run once whatever is resent, so an interrupted sync is \
            simply run again. The token comes from SDTRACK_TOKEN_<REMOTE> or SDTRACK_TOKEN, or from \
            ~/.config/sdtrack/credentials (lines '<remote or URL> <token>', readable by its owner only). \
            Exit status: 0 when the server holds everything sent; 1 for conflicts, rejections and other errors; \
            75 when the server cannot be reached (try again later).
            """
    )

    @Argument(help: "A remote's name (sdtrack remote add) or a server URL; default: the only remote.")
    var target: String?

    @OptionGroup var store: StoreOptions

    @Flag(help: "Also send runs still running (and again as they grow).")
    var includeRunning = false

    @Flag(help: "Say what would be sent; contact no server.")
    var dryRun = false

    @Flag(help: "Ask the server about every run it acknowledged, and send again what it lacks.")
    var verify = false

    @Option(help: ArgumentHelp("CA certificates to trust for https (a PEM file).", valueName: "path"))
    var caFile: String?

    @Option(
        help: ArgumentHelp("Give up a request after this long without progress, and retry it.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Retries of a failing request (timeouts, 429, 5xx) before giving up.", valueName: "n"))
    var retries: Int = 6

    @Option(help: ArgumentHelp("At most this many runs per request (and 4 MiB).", valueName: "n"))
    var batchRuns: Int = 500

    @Flag(help: "Print the summary as JSON (sdtrack.sync/1).")
    var json = false

    func validate() throws {
        guard timeout > 0, timeout <= 86400 else { throw ValidationError("--timeout must be 0 < seconds <= 86400") }
        guard (0...100).contains(retries) else { throw ValidationError("--retries must be 0 ... 100") }
        guard (1...10000).contains(batchRuns) else { throw ValidationError("--batch-runs must be 1 ... 10000") }
        if let target, target.contains("://") { _ = try checkServerURL(target) }
    }

    func run() throws {
        let store = try store.open(create: false)
        let target = try resolveTarget(store)
        var options = SyncOptions(userAgent: "sdtrack/\(sdtrackVersion)")
        options.includeRunning = includeRunning
        options.dryRun = dryRun
        options.verify = verify
        options.transport.caFile = caFile
        options.transport.lowSpeedTime = .milliseconds(Int(timeout * 1000))
        options.retry.retries = retries
        options.batchItems = batchRuns
        let token =
            dryRun
            ? ""
            : try Credentials.token(
                remote: target.remote?.name, url: target.url, environment: ProcessInfo.processInfo.environment)
        let progress = SyncProgressLine()
        let client = SyncClient(
            store: store, target: target, token: token, options: options, progress: progress.update,
            notice: { standardError("sync: \($0)\n") })
        let summary: SyncSummary
        do {
            summary = try client.run()
        } catch {
            progress.finish()
            standardError("Error: \(error.message)\n")
            throw ExitCode(error.exitCode)
        }
        progress.finish()
        for result in summary.conflicts + summary.rejected {
            standardError("\(result.outcome.rawValue): \(result.message ?? result.runID ?? "?")\n")
        }
        print(json ? summary.json().serialized() : summary.line)
        if summary.hasFailures { throw ExitCode(1) }
    }

    private func resolveTarget(_ store: RunStore) throws -> SyncTarget {
        let remotes = try store.remotes()
        guard let target else {
            switch remotes.count {
            case 0: throw CLIError("no remote to sync to; add one with sdtrack remote add NAME URL, or give a URL")
            case 1: return SyncTarget(remote: remotes[0])
            default:
                throw CLIError("which remote? give one of \(remotes.map(\.name).joined(separator: ", "))")
            }
        }
        if let remote = remotes.first(where: { $0.name == target }) { return SyncTarget(remote: remote) }
        guard target.contains("://") else {
            throw CLIError("no remote named '\(target.prefix(80))'; see sdtrack remote list, or give a URL")
        }
        let url = try checkServerURL(target)
        // A URL that a remote names is that remote: what its server acknowledged is known.
        if let remote = remotes.first(where: { $0.url == url }) { return SyncTarget(remote: remote) }
        return SyncTarget(url: url)
    }
}

/// A progress line on standard error for a sync that takes more than a second: updated in
/// place on a terminal, else a line every few seconds.
final class SyncProgressLine {
    private let started = Date()
    private var lastPrinted: Date?
    private let terminal = isatty(STDERR_FILENO) == 1
    private var onLine = false

    func update(_ progress: SyncProgress) {
        let now = Date()
        guard now.timeIntervalSince(started) > 1 else { return }
        if let lastPrinted, now.timeIntervalSince(lastPrinted) < (terminal ? 0.2 : 5) { return }
        lastPrinted = now
        let text = String(
            format: "sync: %d/%d runs, %.1f MB, %.0f s", progress.runsDone, progress.runsTotal,
            Double(progress.bytesSent) / 1e6, now.timeIntervalSince(started))
        if terminal {
            standardError("\r\u{1B}[K" + text)
            onLine = true
        } else {
            standardError(text + "\n")
        }
    }

    func finish() {
        if onLine { standardError("\n") }
        onLine = false
    }
}
