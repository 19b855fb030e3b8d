import SDJSON
import SDStore

/// Names for groups of runs. A group's key is JSON: the configuration without the seed (an
/// object), or the values of the --group-by keys (an array). A label shows what sets a
/// group apart: the configuration keys whose values differ between the groups.
public struct GroupLabels: Sendable {
    /// Each group's configuration as dotted key -> shown value.
    public let values: [String: [(key: String, value: String)]]
    /// The keys whose values differ between groups, in first-seen order.
    public let varying: [String]

    /// Keys shown when there is nothing to tell groups apart (one group).
    public static let summaryKeys = [
        "dataset", "kernel.name", "kernel.gamma", "kernel.bandwidth", "kernel.degree", "kernel.depth",
        "mode", "eps", "eps_rel", "c", "noise", "n", "K", "model",
    ]

    public init(groups: [String], groupBy: [ConfigKey]?) {
        var values = [String: [(key: String, value: String)]]()
        for group in Set(groups) {
            switch JSONValue.parse(group) {
            case .array(let array)? where groupBy != nil:
                values[group] = zip(groupBy!, array).map { ($0.name, Self.show($1)) }
            case .object(let members)?: values[group] = Self.flatten(members, prefix: "")
            default: values[group] = []
            }
        }
        self.values = values
        // Each key's first value, and whether any group differs from it (or lacks the key).
        var keys = [String](), first = [String: String](), differs = Set<String>()
        let lookups = values.mapValues { Dictionary($0.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
        for group in groups {
            for (key, value) in values[group] ?? [] where first[key] == nil {
                keys.append(key)
                first[key] = value
            }
        }
        for group in Set(groups) {
            for key in keys where lookups[group]?[key] != first[key] { differs.insert(key) }
        }
        varying = keys.filter(differs.contains)
    }

    /// A group as every query's JSON names it: its key (`group`, as stored) and `label`.
    public func members(of group: String) -> [(String, JSONValue)] {
        [("group", .raw(group)), ("label", .string(label(group)))]
    }

    public func label(_ group: String) -> String {
        let pairs = values[group] ?? []
        let shown = pairs.filter { varying.isEmpty ? Self.summaryKeys.contains($0.key) : varying.contains($0.key) }
        let text = (shown.isEmpty ? pairs : shown).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return text.isEmpty ? "(all runs)" : text
    }

    /// A JSON object's values as dotted key -> shown value (nulls left out).
    public static func flattenJSON(_ text: String) -> [(key: String, value: String)] {
        guard case .object(let members)? = JSONValue.parse(text) else { return [] }
        return flatten(members, prefix: "")
    }

    private static func flatten(_ members: [(String, JSONValue)], prefix: String) -> [(key: String, value: String)] {
        members.sorted { $0.0 < $1.0 }.flatMap { key, value -> [(key: String, value: String)] in
            switch value {
            case .object(let nested): flatten(nested, prefix: prefix + key + ".")
            case .null: []
            default: [(prefix + key, show(value))]
            }
        }
    }

    /// As the user wrote it: whole numbers plainly, others in shortest round-trip form.
    public static func show(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): string
        case .int(let integer): String(integer)
        case .number(let number): JSONNumber.display(number)
        default: value.serialized()
        }
    }
}
