import ArgumentParser

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, export, tag and delete recorded runs.",
        discussion: "A run is named by its UUID or any unique prefix of it, as git names commits.",
        subcommands: [
            ListRunsCommand.self, ShowRunCommand.self, ExportRunsCommand.self, TagRunCommand.self,
            DeleteRunsCommand.self,
        ],
        defaultSubcommand: ListRunsCommand.self
    )
}
