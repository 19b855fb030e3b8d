import SDJSON

/// The key `sdtrack query` groups runs by when no --group-by is given: the configuration
/// without what differs between runs of one configuration (the seed, the sdtrack version, and
/// under "resolved" the values the data decided, such as the median-distance length scale).
///
/// Defined here; the SQL triggers of schema v003 compute the same text as `runs.group_key`
/// (json_remove of these keys from the canonical configuration), and a test pins them to
/// `of(_:)`.
public enum GroupKey {
    /// Top-level configuration keys left out of the group key.
    public static let excludedKeys = ["seed", "sdtrack_version", "resolved"]

    /// The group key of a configuration: its canonical form without `excludedKeys`.
    public static func of(_ config: JSONValue) -> String {
        guard case .object(let members) = config.canonical else { return config.canonical.serialized() }
        return JSONValue.object(members.filter { !excludedKeys.contains($0.0) }).serialized()
    }
}
