import ArgumentParser
import SDEngine
import SDStore

@main
struct SDTrack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdtrack",
        abstract: "Run, record and analyse kernel self-distillation experiments.",
        // Read after main's correction: the core this process image runs.
        version: sdtrackVersion + "\n" + BLASCore.current.description,
        subcommands: [
            RunCommand.self, SweepCommand.self, RunsCommand.self, ImportCommand.self, QueryCommand.self,
            CompareCommand.self,
            PlotCommand.self, ReportCommand.self, RemoteCommand.self, SyncCommand.self, ServeCommand.self,
        ]
    )

    /// Parses and runs the command; a library's error is printed with the command line's
    /// advice (`CLIError.from`), usage errors exit 64, other failures 1. First, the process
    /// re-executes itself when OpenBLAS picked worse kernels than the CPU can run (`BLASCore`).
    static func main() {
        BLASCore.correctIfNeeded()
        Lapack.stopIdleThreads()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: CLIError.from(error))
        }
    }
}
