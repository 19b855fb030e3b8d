import SDJSON
import SDStore

/// What an import adds to the runs it reads: labels and configuration keys that win over the
/// file's own.
public struct ImportOptions: Sendable {
    public var experiment: String?
    public var tags: [Tag]
    public var note: String?
    /// Configuration keys and values (JSON Lines and CSV files only: a document keeps its
    /// runs' configurations).
    public var config: [(String, JSONValue)]

    public init(experiment: String? = nil, tags: [Tag] = [], note: String? = nil, config: [(String, JSONValue)] = []) {
        self.experiment = experiment
        self.tags = tags
        self.note = note
        self.config = config
    }

    /// Checks the configuration keys that name columns against the columns' kinds (a `K` that
    /// is not a whole number, say), before any file is read.
    public func validate() throws(ImportError) {
        _ = try ImportedRun.columns(Dictionary(config, uniquingKeysWith: { $1 }), at: "--config")
    }

    /// `key=value`: the value a number when it reads as one, true or false, else a string.
    public static func parseConfig(_ argument: String) throws(ImportError) -> (String, JSONValue) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw ImportError("config '\(argument.shortened)' is not key=value")
        }
        let text = String(argument[argument.index(after: equals)...])
        let value: JSONValue =
            if let number = Double(text), number.isFinite {
                .number(number)
            } else if text == "true" || text == "false" {
                .bool(text == "true")
            } else {
                .string(text)
            }
        return (String(argument[..<equals]), value)
    }

    /// The run with these labels set: experiment and note replaced, tags added (replacing
    /// a tag with the same key).
    func labelled(_ run: RunRecord) -> RunRecord {
        var run = run
        if let experiment { run.experiment = experiment }
        if let note { run.note = note }
        var tags = Dictionary(run.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        for tag in self.tags { tags[tag.key] = tag.value }
        run.tags = tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) }
        return run
    }
}
