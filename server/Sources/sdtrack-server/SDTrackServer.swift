import ArgumentParser
import SDStore

/// `sdtrack-server`: `serve` a database to `sdtrack sync` clients, and manage its bearer `token`s.
@main
struct SDTrackServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdtrack-server",
        abstract: "Collect sdtrack runs from many machines into one database, over HTTP.",
        version: sdtrackVersion,
        subcommands: [ServeCommand.self, TokenCommand.self]
    )
}

/// A failure at run time that is the user's to fix: printed as `Error: <message>`, exit 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The database a command works on.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The sdtrack database (serve and token create make it if missing).", valueName: "path"))
    var db: String

    func open(create: Bool) throws -> RunStore {
        do {
            return try RunStore(path: db, create: create)
        } catch {
            throw CommandError(error.message)
        }
    }
}
