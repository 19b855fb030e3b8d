import ArgumentParser
import SDEngine
import SDStore

/// `sdtrack-server`: `serve` a database to `sdtrack sync` clients, and manage its bearer `token`s.
@main
struct SDTrackServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdtrack-server",
        abstract: "Collect sdtrack runs from many machines into one database, over HTTP.",
        // Read after main's correction, as sdtrack's: the core this process image runs.
        version: sdtrackVersion + "\n" + BLASCore.current.description,
        subcommands: [ServeCommand.self, TokenCommand.self]
    )

    /// ArgumentParser's main, after the process re-executes itself when OpenBLAS picked worse
    /// kernels than the CPU can run (`BLASCore`), as sdtrack does: the server links OpenBLAS too.
    static func main() async {
        BLASCore.correctIfNeeded()
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
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
