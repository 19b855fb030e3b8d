import SDJSON
import SDStore

/// What `sdtrack sync` sends to a collection server and what the server answers (docs/sync.md):
///
///     sdtrack.push/1         {"format", "items": [{"run": record} | {"labels": labels}, ...]}
///     sdtrack.push-result/1  {"format", "results": [{"run_id", "outcome", "changed", "message"}, ...]}
///
/// A record is an `sdtrack.record/1` object without "format"; labels are {"run_id", "tags",
/// "note", "labels_edited_at"}. There is one result per item, in the order of the items.
public enum PushDocument {
    public static let requestFormat = "sdtrack.push/1"
    public static let resultFormat = "sdtrack.push-result/1"

    /// One item as the server reads it: valid, or refused with what is wrong (the other items go on).
    public enum Item: Sendable, Equatable {
        case item(SyncItem)
        case rejected(runID: String?, message: String)
    }

    public static func request(_ items: [SyncItem]) -> JSONValue {
        .object([("format", .string(requestFormat)), ("items", .array(items.map(item)))])
    }

    public static func item(_ item: SyncItem) -> JSONValue {
        switch item {
        case .run(let complete): .object([("run", .object(RunDocument.fields(of: complete)))])
        case .labels(let edit):
            .object([
                (
                    "labels",
                    .object([
                        ("run_id", .string(edit.runID)),
                        ("tags", .object(edit.tags.map { ($0.key, .string($0.value)) })),
                        ("note", edit.note.map(JSONValue.string) ?? .null),
                        ("labels_edited_at", edit.editedAt.map { .string($0.iso8601) } ?? .null),
                    ])
                )
            ])
        }
    }

    /// The items of a request. A document that is not `sdtrack.push/1` throws; an item that is
    /// not valid is `.rejected`, naming where (`items[3].run.rounds[0]: ...`).
    public static func items(in document: JSONValue) throws(DocumentError) -> [Item] {
        guard case .object(let members) = document, document["format"]?.stringValue == requestFormat,
            members.allSatisfy({ ["format", "items"].contains($0.0) }), case .array(let items)? = document["items"]
        else {
            throw DocumentError("", "the request is not {\"format\": \"\(requestFormat)\", \"items\": [...]}")
        }
        return items.enumerated().map { index, value in
            do throws(DocumentError) {
                return .item(try item(value, location: "items[\(index)]"))
            } catch {
                return .rejected(runID: runID(of: value), message: error.description)
            }
        }
    }

    private static func item(_ value: JSONValue, location: String) throws(DocumentError) -> SyncItem {
        guard case .object(let members) = value, members.count == 1 else {
            throw DocumentError(location, "an item is {\"run\": {...}} or {\"labels\": {...}}")
        }
        switch members[0].0 {
        case "run":
            return .run(try RunDocument.completeRun(from: members[0].1, location: "\(location).run"))
        case "labels":
            return .labels(try labels(members[0].1, location: "\(location).labels"))
        default:
            throw DocumentError(location, "an item is {\"run\": {...}} or {\"labels\": {...}}")
        }
    }

    private static func labels(_ value: JSONValue, location: String) throws(DocumentError) -> LabelsEdit {
        guard case .object(let members) = value,
            Set(members.map(\.0)) == ["run_id", "tags", "note", "labels_edited_at"], members.count == 4
        else {
            throw DocumentError(location, "labels are {\"run_id\", \"tags\", \"note\", \"labels_edited_at\"}")
        }
        guard let id = value["run_id"]?.stringValue, RunRecord.isValidID(id) else {
            throw DocumentError(location, "run_id is not a lower-case UUID")
        }
        let note: String?
        switch value["note"]! {
        case .null: note = nil
        case .string(let text): note = text
        default: throw DocumentError(location, "note must be a string or null")
        }
        var editedAt: Timestamp?
        if let text = value["labels_edited_at"]!.stringValue {
            guard let time = Timestamp(iso8601: text) else {
                throw DocumentError(location, "labels_edited_at is not a UTC time such as 2026-11-29T08:00:00.000Z")
            }
            editedAt = time
        } else if !value["labels_edited_at"]!.isNull {
            throw DocumentError(location, "labels_edited_at must be a time or null")
        }
        return LabelsEdit(
            runID: id, tags: try RunDocument.tags(value["tags"]!, location: location), note: note, editedAt: editedAt)
    }

    /// The run ID of an item, when it has a readable one: for the result of a rejected item.
    private static func runID(of item: JSONValue) -> String? {
        guard case .object(let members) = item, members.count == 1 else { return nil }
        return members[0].1["run_id"]?.stringValue.map { String($0.prefix(64)) }
    }

    public static func result(_ results: [UpsertResult]) -> JSONValue {
        .object([
            ("format", .string(resultFormat)),
            (
                "results",
                .array(
                    results.map { result in
                        .object([
                            ("run_id", result.runID.map(JSONValue.string) ?? .null),
                            ("outcome", .string(result.outcome.rawValue)),
                            ("changed", .array(result.changed.map(JSONValue.string))),
                            ("message", result.message.map(JSONValue.string) ?? .null),
                        ])
                    })
            ),
        ])
    }

    /// The results of a server's answer.
    public static func results(in document: JSONValue) throws(DocumentError) -> [UpsertResult] {
        guard document["format"]?.stringValue == resultFormat, case .array(let values)? = document["results"] else {
            throw DocumentError("", "the answer is not an \(resultFormat) document")
        }
        return try values.enumerated().map { (index, value) throws(DocumentError) in
            guard let outcome = value["outcome"]?.stringValue.flatMap(UpsertOutcome.init(rawValue:)) else {
                throw DocumentError("results[\(index)]", "outcome is missing or unknown")
            }
            guard case .array(let changed)? = value["changed"] ?? .array([]) else {
                throw DocumentError("results[\(index)]", "changed must be an array")
            }
            return UpsertResult(
                runID: value["run_id"]?.stringValue, outcome: outcome, changed: changed.compactMap(\.stringValue),
                message: value["message"]?.stringValue)
        }
    }
}
