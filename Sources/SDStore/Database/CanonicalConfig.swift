import SDJSON

/// Configurations as the store keeps them: `JSONValue.canonical` text, so that equal
/// configurations are equal text (and share a group) whoever wrote them.
enum CanonicalConfig {
    /// The canonical text of `text`; throws `.invalidRecord` unless it is a JSON object.
    static func text(_ text: String, runID: String) throws(StoreError) -> String {
        guard let value = JSONValue.parse(text), case .object = value else {
            throw StoreError(.invalidRecord, "the configuration of run \(runID) is not a JSON object")
        }
        if value.containsNonFiniteNumber {
            throw StoreError(.invalidRecord, "the configuration of run \(runID) has a number beyond a double's range")
        }
        return value.canonical.serialized()
    }

    /// The data step of migration v005: rewrites every configuration that is not canonical
    /// (the update trigger of v003 recomputes its group key).
    static func backfill(_ connection: SQLiteConnection) throws {
        var changed = [(id: String, config: String)]()
        try connection.forEachRow("SELECT run_id, config_json FROM runs") { row in
            // Any valid JSON is made canonical; nothing is refused here, so that an odd row
            // cannot make the file unopenable.
            guard let id = row.string(0), let config = row.string(1),
                let canonical = JSONValue.parse(config)?.canonical.serialized()
            else { return }
            if canonical != config { changed.append((id, canonical)) }
        }
        for (id, config) in changed {
            try connection.run("UPDATE runs SET config_json = ? WHERE run_id = ?", [.text(config), .text(id)])
        }
    }
}
