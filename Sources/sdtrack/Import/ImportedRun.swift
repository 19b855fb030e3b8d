import Foundation
import SDStore

/// One run read from an import file, before it is recorded.
struct ImportedRun {
    /// The line that started the run (its header, or its first round), for messages.
    var line: Int
    var id: String?
    var experiment: String?
    var createdAt: Timestamp?
    var config: [String: JSONValue] = [:]
    var tags: [Tag] = []
    var note: String?
    var rounds: [RoundRecord] = []
    /// The line of each round's t, to name both lines of a duplicate.
    var roundLines: [Int: Int] = [:]

    /// Adds a round's metrics: math.md's names go to their columns, others are extra metrics.
    mutating func addRound(t: Int, metrics: [String: Double], line: Int, source: String) throws {
        if let first = roundLines[t] {
            throw CLIError("\(source) line \(line): round t = \(t) appears twice in one run (first on line \(first)); give each round once")
        }
        var round = RoundRecord(t: t)
        for (name, value) in metrics where !round.setColumn(name, value) { round.extra[name] = value }
        rounds.append(round)
        roundLines[t] = line
    }

    /// The record to store, with `options`' experiment, config, tags and note added
    /// (they win over the file's).
    func record(options: ImportCommand, source: String) throws -> RunRecord {
        var config = self.config
        for argument in options.configArguments {
            let (key, value) = try ImportCommand.parseConfig(argument)
            config[key] = value
        }
        let now = Timestamp.now()
        let id = try self.id.map { text in
            guard let uuid = UUID(uuidString: text) else {
                throw CLIError("\(source) line \(line): run id '\(text)' is not a UUID; give one like 3f2a8c1e-... or leave it out")
            }
            return uuid.uuidString.lowercased()
        } ?? UUID().uuidString.lowercased()
        let configJSON = Self.stored(.object(config.map { ($0.key, $0.value) })).serialized()
        var run = RunRecord(id: id, experiment: options.labels.experiment ?? experiment ?? LabelOptions.defaultExperiment, status: .finished,
                            source: .import, createdAt: createdAt ?? now, host: RunLiveness.currentHost, pid: nil,
                            sdtrackVersion: SDTrack.version, configJSON: configJSON,
                            config: try Self.columns(config, source: source, line: line),
                            note: options.labels.note ?? note)
        var tags = Dictionary(self.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        for tag in try options.labels.tags { tags[tag.key] = tag.value }
        run.tags = tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) }
        run.startedAt = run.createdAt
        run.endedAt = now
        return run
    }

    /// A configuration as sdtrack stores it: object keys sorted, so that equal
    /// configurations are equal text (and group together), and whole numbers as integers.
    static func stored(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: .int(Int(number))
        case .array(let values): .array(values.map(stored))
        case .object(let members): .object(members.sorted { $0.0 < $1.0 }.map { ($0.0, stored($0.1)) })
        default: value
        }
    }

    /// The configuration keys that have columns, type-checked.
    static func columns(_ config: [String: JSONValue], source: String, line: Int) throws -> RunConfig {
        func string(_ key: String) throws -> String? {
            switch config[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            case let value?: throw CLIError("\(source) line \(line): config \(key) must be a string, got \(value.serialized())")
            }
        }
        func number(_ key: String) throws -> Double? {
            switch config[key] {
            case nil, .null?: return nil
            case let value?:
                guard let number = value.doubleValue else {
                    throw CLIError("\(source) line \(line): config \(key) must be a number, got \(value.serialized())")
                }
                return number
            }
        }
        func integer(_ key: String) throws -> Int? {
            guard let value = try number(key) else { return nil }
            guard value == value.rounded(), abs(value) < 9e15 else {
                throw CLIError("\(source) line \(line): config \(key) must be a whole number, got \(value)")
            }
            return Int(value)
        }
        var columns = RunConfig()
        columns.dataset = try string("dataset")
        columns.dataSHA256 = try string("data_sha256")
        columns.k = try integer("K")
        columns.testSize = try integer("test_size")
        columns.kernel = try string("kernel")
        columns.gamma = try number("gamma")
        columns.lengthScale = try number("length_scale")
        columns.degree = try integer("degree")
        columns.coef0 = try number("coef0")
        columns.depth = try integer("depth")
        columns.mode = try string("mode")
        columns.eps = try number("eps")
        columns.c = try number("c")
        columns.seed = try integer("seed")
        columns.noise = try number("noise")
        return columns
    }
}
