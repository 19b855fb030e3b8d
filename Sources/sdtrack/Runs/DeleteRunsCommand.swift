import ArgumentParser
import SDStore

struct DeleteRunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete runs with their rounds, spectra and tags.",
        discussion: "All named runs are deleted in one transaction, or none when one of them cannot be."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "Run IDs or unique prefixes.")
    var ids: [String]

    @Flag(help: "Delete runs that are still running too.")
    var force = false

    func validate() throws {
        if ids.isEmpty { throw ValidationError("give at least one run ID (see sdtrack runs list)") }
    }

    func run() throws {
        let store = try store.open(create: false)
        let runIDs = Array(Set(try ids.map { try store.resolve($0) })).sorted()
        try store.delete(runIDs: runIDs, force: force)
        print("deleted \(runIDs.count) run\(runIDs.count == 1 ? "" : "s"): \(runIDs.joined(separator: ", "))")
    }
}
