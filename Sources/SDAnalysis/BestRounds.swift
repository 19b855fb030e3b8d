import SDStore

/// sdtrack's central question over many runs: which number of rounds is best, per
/// configuration, and how sure are we.
public enum BestRounds {
    /// The default metric: held-out error where every run of the group has a held-out set,
    /// else GCV (which needs none).
    public static func defaultMetric(for series: [RunSeries]) -> String {
        series.allSatisfy { ($0.values["test_mse"]?.first ?? nil) != nil } ? "test_mse" : "gcv"
    }

    /// Groups `series` by their group key and analyses each, sorted by gain (largest first).
    /// `metric` nil picks `defaultMetric` per group. Groups in which some run lacks the
    /// metric at round 0 are returned in `skipped`.
    public static func analyze(_ series: [RunSeries], metric: String?, maximize: Bool) -> (groups: [GroupAnalysis], skipped: [String]) {
        var order = [String](), members = [String: [RunSeries]]()
        for entry in series {
            if members[entry.group] == nil { order.append(entry.group) }
            members[entry.group, default: []].append(entry)
        }
        var groups = [GroupAnalysis](), skipped = [String]()
        for key in order {
            let runs = members[key]!
            if let analysis = GroupAnalysis(group: key, series: runs, metric: metric ?? defaultMetric(for: runs), maximize: maximize) {
                groups.append(analysis)
            } else {
                skipped.append(key)
            }
        }
        groups.sort { ($0.gain ?? -.infinity) > ($1.gain ?? -.infinity) }
        return (groups, skipped)
    }
}
