import ArgumentParser
import SDStore

struct TagRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Set or remove a run's tags, or set its note.",
        discussion: "Example: sdtrack runs tag 3f2a sweep=eps reviewed=yes --note \"baseline for the paper\""
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The run's ID or a unique prefix of it.")
    var id: String

    @Argument(help: ArgumentHelp("Tags to set; an existing key gets the new value.", valueName: "key=value"))
    var tagArguments: [String] = []

    @Option(help: ArgumentHelp("Remove the tag with this key (repeatable).", valueName: "key"))
    var remove: [String] = []

    @Option(help: "Replace the run's note.")
    var note: String?

    func validate() throws {
        if tagArguments.isEmpty && remove.isEmpty && note == nil {
            throw ValidationError("nothing to change; give key=value tags, --remove KEY or --note TEXT")
        }
        _ = try tagArguments.map(parseTag)
    }

    func run() throws {
        let store = try store.open(create: false)
        let runID = try store.resolve(id)
        try store.update(runID: runID, tags: try tagArguments.map(parseTag), note: note)
        if !remove.isEmpty { try store.removeTags(runID: runID, keys: remove) }
        let tags = try store.run(id: runID).tags
        print(
            "run \(runID): " + (tags.isEmpty ? "no tags" : tags.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
    }
}
