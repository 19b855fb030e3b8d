import ArgumentParser
import SDEngine

@main
struct SDTrack: ParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "sdtrack",
        abstract: "Run, record and analyse kernel self-distillation experiments.",
        version: version,
        subcommands: [RunCommand.self, RunsCommand.self, ImportCommand.self, QueryCommand.self, CompareCommand.self]
    )

    static func main() {
        Lapack.stopIdleThreads()
        main(nil)
    }
}
