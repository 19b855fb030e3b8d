import SDAnalysis
import SDJSON
import SDStore

/// `sdtrack query best-rounds` as a table, JSON ("sdtrack.best-rounds/1") or CSV.
public struct BestRoundsReport: Sendable {
    public static let jsonFormat = "sdtrack.best-rounds/1"

    public let groups: [GroupAnalysis]
    /// Groups left out because some run lacks the metric at round 0.
    public let skipped: Int
    public let labels: GroupLabels
    /// Whether the table should say that the runs ranked by GCV (the default where there is no
    /// held-out set) also have the error against the noiseless truth, a better metric to ask for.
    public let truthIsThere: Bool

    public init(groups: [GroupAnalysis], skipped: Int, labels: GroupLabels, truthIsThere: Bool = false) {
        self.groups = groups
        self.skipped = skipped
        self.labels = labels
        self.truthIsThere = truthIsThere
    }

    /// Answers `query` from `store`.
    public init(_ query: RunQuery, store: RunStore) throws {
        let (groups, skipped, labels) = try query.analyze(store)
        let byGCV = query.metric == nil && groups.contains { $0.metric == RoundMetric.gcv.name }
        self.init(groups: groups, skipped: skipped.count, labels: labels, truthIsThere: try byGCV && store.hasTruth())
    }

    /// GCV against held-out error over every group that has both.
    public var gcvOverall: GCVAgreement? { GCVAgreement.combined(groups.compactMap(\.gcvAgreement)) }

    /// The table's columns, in text and on pages.
    public static let columns = [
        "group", "runs", "metric", "t*", "at t* (95% CI)", "round 0 (95% CI)", "gain", "runs' t* median [IQR]",
        "collapse", "bounds", "GCV agrees",
    ]

    /// One group's cells under `columns`.
    public func cells(_ group: GroupAnalysis) -> [String] {
        let bests = group.runBestRounds.map(Double.init)
        let collapses = group.collapseRounds.map(Double.init)
        return [
            labels.label(group.group), String(group.runIDs.count), group.metric + (group.maximize ? " (max)" : ""),
            String(group.bestRound), Self.withInterval(group.atBest), Self.withInterval(group.atRoundZero),
            group.gain.map { formatted("%+.1f%%", $0 * 100) } ?? "-",
            Self.medianAndQuartiles(bests),
            collapses.isEmpty ? "-" : Self.round(Statistics.quantile(collapses, 0.5)),
            group.boundsHeldEverywhere.map { $0 ? "held" : "VIOLATED" } ?? "-",
            group.gcvAgreement.map { "\($0.agreeing)/\($0.runs)" } ?? "-",
        ]
    }

    public func text() -> String {
        var table = TextTable(header: Self.columns, leftAligned: [0, 2, 9])
        for group in groups { table.append(cells(group)) }
        var lines = table.lines()
        let notes = footnotes()
        // A blank line sets the GCV summary apart from the table.
        if gcvOverall != nil { lines.append("") }
        lines += notes
        return lines.joined(separator: "\n")
    }

    /// What the table alone does not say, a sentence each: GCV against held-out error, the
    /// groups left out, how collapses count, a better metric that is there.
    public func footnotes() -> [String] {
        var lines = [String]()
        if let overall = gcvOverall {
            lines.append(
                formatted(
                    "GCV vs held-out: GCV chose each run's held-out best round in %ld of %ld runs; trusting it cost "
                        + "%.3g in held-out MSE on average (%.1f%%).",
                    overall.agreeing, overall.runs, overall.meanTestMSELost, overall.meanRelativeLoss * 100))
        }
        if skipped > 0 {
            lines.append("\(skipped) group\(skipped == 1 ? "" : "s") left out: some run lacks the metric at round 0")
        }
        lines.append(
            "collapse: rounds past a run's collapse count at the zero predictor's error (see `sdtrack query --help`)")
        if truthIsThere {
            lines.append(
                "metric: GCV where runs have no held-out set; these runs also have the error against the noiseless "
                    + "truth (--metric truth_mse)")
        }
        return lines
    }

    public func json() -> JSONValue {
        .object([
            ("format", .string(Self.jsonFormat)),
            (
                "groups",
                .array(
                    groups.map { group in
                        .object(
                            labels.members(of: group.group) + [
                                ("metric", .string(group.metric)), ("maximize", .bool(group.maximize)),
                                ("runs", .int(group.runIDs.count)),
                                ("run_ids", .array(group.runIDs.map(JSONValue.string))),
                                ("best_round", .int(group.bestRound)), ("at_best", Self.json(group.atBest)),
                                ("at_round_0", Self.json(group.atRoundZero)), ("gain", .optional(group.gain)),
                                ("run_best_rounds", Self.spread(group.runBestRounds)),
                                ("collapse_rounds", Self.spread(group.collapseRounds)),
                                ("bounds_held", .optional(group.boundsHeldEverywhere)),
                                ("gcv_vs_held_out", group.gcvAgreement.map(Self.json) ?? .null),
                            ])
                    })
            ),
            ("gcv_vs_held_out", gcvOverall.map(Self.json) ?? .null),
            ("skipped_groups", .int(skipped)),
        ])
    }

    public func csv() -> String {
        var lines = [
            csvLine([
                "group", "metric", "runs", "best_round", "mean_at_best", "sd_at_best", "ci_low_at_best",
                "ci_high_at_best",
                "mean_at_round_0", "sd_at_round_0", "ci_low_at_round_0", "ci_high_at_round_0", "gain",
                "run_best_round_median", "run_best_round_q1", "run_best_round_q3", "collapse_round_median",
                "bounds_held", "gcv_agreeing", "gcv_mean_test_mse_lost",
            ])
        ]
        for group in groups {
            let bests = group.runBestRounds.map(Double.init)
            let summaries = [group.atBest, group.atRoundZero].flatMap { summary in
                [summary.mean, summary.standardDeviation, summary.interval?.lowerBound, summary.interval?.upperBound]
                    .map(csvNumber)
            }
            lines.append(
                csvLine(
                    [labels.label(group.group), group.metric, String(group.runIDs.count), String(group.bestRound)]
                        + summaries + [
                            csvNumber(group.gain), csvNumber(Statistics.quantile(bests, 0.5)),
                            csvNumber(Statistics.quantile(bests, 0.25)),
                            csvNumber(Statistics.quantile(bests, 0.75)),
                            csvNumber(Statistics.quantile(group.collapseRounds.map(Double.init), 0.5)),
                            group.boundsHeldEverywhere.map { $0 ? "true" : "false" } ?? "",
                            group.gcvAgreement.map { "\($0.agreeing)/\($0.runs)" } ?? "",
                            csvNumber(group.gcvAgreement?.meanTestMSELost),
                        ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A summary over runs: `n`, `mean`, `sd`, `ci_low`, `ci_high` (the layout of every summary
    /// in best-rounds and curve JSON).
    static func json(_ summary: Summary) -> JSONValue { .object(members(summary)) }

    static func members(_ summary: Summary) -> [(String, JSONValue)] {
        [
            ("n", .int(summary.count)), ("mean", .number(summary.mean)), ("sd", .optional(summary.standardDeviation)),
            ("ci_low", .optional(summary.interval?.lowerBound)), ("ci_high", .optional(summary.interval?.upperBound)),
        ]
    }

    static func json(_ agreement: GCVAgreement) -> JSONValue {
        .object([
            ("runs", .int(agreement.runs)), ("agreeing", .int(agreement.agreeing)),
            ("mean_test_mse_lost", .number(agreement.meanTestMSELost)),
            ("mean_relative_loss", .number(agreement.meanRelativeLoss)),
        ])
    }

    static func spread(_ rounds: [Int]) -> JSONValue {
        let values = rounds.map(Double.init)
        return .object([
            ("values", .array(rounds.map(JSONValue.int))), ("median", .optional(Statistics.quantile(values, 0.5))),
            ("q1", .optional(Statistics.quantile(values, 0.25))), ("q3", .optional(Statistics.quantile(values, 0.75))),
            ("min", .optional(rounds.min())), ("max", .optional(rounds.max())),
        ])
    }

    /// mean ± half the 95% interval.
    static func withInterval(_ summary: Summary) -> String {
        guard let interval = summary.interval else { return TextTable.number(summary.mean) }
        return
            "\(TextTable.number(summary.mean)) ± \(TextTable.number((interval.upperBound - interval.lowerBound) / 2))"
    }

    /// "2 [1-3]": the median and quartiles of each run's best round.
    static func medianAndQuartiles(_ values: [Double]) -> String {
        let (q1, median, q3) = (
            Statistics.quantile(values, 0.25), Statistics.quantile(values, 0.5),
            Statistics.quantile(values, 0.75)
        )
        return "\(round(median)) [\(round(q1))-\(round(q3))]"
    }

    static func round(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value == value.rounded() ? String(Int(value)) : formatted("%.1f", value)
    }
}
