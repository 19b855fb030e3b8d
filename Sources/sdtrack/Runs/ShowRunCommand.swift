import ArgumentParser
import SDDocuments
import SDReports

struct ShowRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one run: what it ran on, how it ended, and its rounds."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The run's ID or a unique prefix of it.")
    var id: String

    @Flag(help: "Print the whole record (configuration, rounds, spectra) as JSON (sdtrack.record/1).")
    var json = false

    func run() throws {
        let store = try store.open(create: false, access: .read)
        let run = try store.completeRuns(ids: [try store.resolve(id)])[0]
        print(json ? RunDocument.show(run).serialized() : RunListing.page(run))
    }
}
