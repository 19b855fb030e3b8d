import ArgumentParser
import Foundation
import SDJSON
import SDReports
import SDStore

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Name the collection servers this database syncs to.",
        discussion: "Remotes live in the database, with what each server has acknowledged, so a copy keeps both.",
        subcommands: [AddRemoteCommand.self, ListRemotesCommand.self, RemoveRemoteCommand.self],
        defaultSubcommand: ListRemotesCommand.self
    )
}

/// An http or https URL with a host; one line saying what is wrong otherwise.
func checkServerURL(_ text: String) throws -> String {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
        let host = url.host, !host.isEmpty, url.query == nil, url.user == nil
    else {
        throw ValidationError(
            "'\(text.prefix(80))' is not a server URL; give one such as http://127.0.0.1:8337 or "
                + "https://sdtrack.example.org")
    }
    return text.hasSuffix("/") ? String(text.dropLast()) : text
}

struct AddRemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a remote: a name for a collection server's URL.",
        discussion: "Example: sdtrack remote add team https://sdtrack.example.org")

    @Argument(help: "Letters, digits, '-', '_' and '.'.") var name: String
    @Argument(help: "The server's base URL (http or https).") var url: String
    @Flag(help: "Delete a run there when it is deleted here, at the next sync (else deletes are only reported).")
    var propagateDeletes = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard Remote.isValidName(name) else {
            throw ValidationError(
                "remote name '\(name.prefix(80))' must be letters, digits, '-', '_' or '.', starting with a letter "
                    + "or digit")
        }
        _ = try checkServerURL(url)
    }

    func run() throws {
        let store = try store.open(create: true)
        try store.addRemote(
            Remote(name: name, url: try checkServerURL(url), propagatesDeletes: propagateDeletes, addedAt: .now()))
        print("added remote \(name) (\(try checkServerURL(url)))")
    }
}

struct ListRemotesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the remotes, with how many runs each has yet to receive.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try store.open(create: false, access: .read)
        let remotes = try store.remotes()
        let pending = try remotes.map { remote in
            try store.pendingSync(serverID: remote.serverID ?? "", includeRunning: false).count
        }
        if json {
            let rows = zip(remotes, pending).map { remote, pending in
                JSONValue.object([
                    ("name", .string(remote.name)), ("url", .string(remote.url)),
                    ("server_id", remote.serverID.map(JSONValue.string) ?? .null),
                    ("propagate_deletes", .bool(remote.propagatesDeletes)),
                    ("added_at", .string(remote.addedAt.iso8601)),
                    ("pending", .int(pending)),
                ])
            }
            print(JSONValue.object([("format", .string("sdtrack.remotes/1")), ("remotes", .array(rows))]).serialized())
            return
        }
        guard !remotes.isEmpty else {
            print("no remotes; add one with sdtrack remote add NAME URL")
            return
        }
        var table = TextTable(header: ["name", "url", "server id", "pending"], leftAligned: [0, 1, 2])
        for (remote, pending) in zip(remotes, pending) {
            table.append([remote.name, remote.url, remote.serverID ?? "(not synced yet)", String(pending)])
        }
        print(table.lines().joined(separator: "\n"))
    }
}

struct RemoveRemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a remote.",
        discussion: "What its server acknowledged is kept (by the server's id): adding it again sends nothing twice.")

    @Argument var name: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let store = try store.open(create: false)
        guard try store.removeRemote(name: name) else {
            throw CLIError("no remote named '\(name.prefix(80))' in \(store.path); see sdtrack remote list")
        }
        print("removed remote \(name)")
    }
}
