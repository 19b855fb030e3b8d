import Foundation
import SDStore

/// Names for groups of runs. A group's key is JSON: the configuration without the seed (an
/// object), or the values of the --group-by keys (an array). A label shows what sets a
/// group apart: the configuration keys whose values differ between the groups.
struct GroupLabels {
    /// Each group's configuration as dotted key -> shown value.
    let values: [String: [(key: String, value: String)]]
    /// The keys whose values differ between groups, in first-seen order.
    let varying: [String]

    /// Keys shown when there is nothing to tell groups apart (one group).
    static let summaryKeys = ["dataset", "kernel.name", "kernel.gamma", "kernel.bandwidth", "kernel.degree", "kernel.depth",
                              "mode", "eps", "eps_rel", "c", "noise", "n", "K", "model"]

    init(groups: [String], groupBy: [ConfigKey]?) {
        var values = [String: [(key: String, value: String)]]()
        for group in Set(groups) {
            let parsed = try? JSONSerialization.jsonObject(with: Data(group.utf8), options: [.fragmentsAllowed])
            if let groupBy, let array = parsed as? [Any] {
                values[group] = zip(groupBy, array).map { ($0.name, Self.show($1)) }
            } else if let object = parsed as? [String: Any] {
                values[group] = Self.flatten(object, prefix: "")
            } else {
                values[group] = []
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

    func label(_ group: String) -> String {
        let pairs = values[group] ?? []
        let shown = pairs.filter { varying.isEmpty ? Self.summaryKeys.contains($0.key) : varying.contains($0.key) }
        let text = (shown.isEmpty ? pairs : shown).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return text.isEmpty ? "(all runs)" : text
    }

    /// A JSON object's values as dotted key -> shown value (nulls left out).
    static func flattenJSON(_ text: String) -> [(key: String, value: String)] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return [] }
        return flatten(object, prefix: "")
    }

    private static func flatten(_ object: [String: Any], prefix: String) -> [(key: String, value: String)] {
        object.sorted { $0.key < $1.key }.flatMap { key, value -> [(key: String, value: String)] in
            if let nested = value as? [String: Any] { return flatten(nested, prefix: prefix + key + ".") }
            if value is NSNull { return [] }
            return [(prefix + key, show(value))]
        }
    }

    static func show(_ value: Any) -> String {
        switch value {
        case let string as String: string
        case let number as NSNumber:
            // As the user wrote it: integers plainly, others in shortest round-trip form.
            number.doubleValue == number.doubleValue.rounded() && abs(number.doubleValue) < 1e15
                ? String(Int(number.doubleValue)) : "\(number.doubleValue)"
        case is NSNull: "null"
        default: (try? JSONSerialization.data(withJSONObject: value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }
    }
}
