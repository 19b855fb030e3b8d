import SDAnalysis
import SDCharts

/// `sdtrack plot best-rounds`: per group, the mean of the metric over rounds with its 95%
/// interval over runs, t* marked, the round-0 level, and the runs' collapse rounds as ticks;
/// one panel per group, or every group in one panel (`overlay`). The numbers are
/// `query curve --json`'s points and `query best-rounds --json`'s best round, round-0 mean
/// and collapse rounds, in the same group order.
public enum BestRoundsFigure {
    /// `firstIndex` numbers the groups (`data-group-index`) from where they stand in a larger
    /// report, for a figure of one of its groups.
    public static func figure(
        _ report: BestRoundsReport, overlay: Bool, title: String? = nil, firstIndex: Int = 0
    ) -> Figure {
        let groups = report.groups
        let title = title ?? "Best number of rounds: \(groups.count) group\(groups.count == 1 ? "" : "s")"
        var figure: Figure
        if overlay {
            var panel = Panel(title: metricTitle(groups), x: .rounds, y: metricAxis(groups))
            for (index, group) in groups.enumerated() {
                add(
                    group, label: report.labels.label(group.group), index: firstIndex + index, overlaid: true,
                    to: &panel)
            }
            figure = Figure(kind: "best-rounds", title: title, panels: [panel])
            figure.panelWidth = 640
            figure.panelHeight = 400
        } else {
            let panels = groups.enumerated().map { index, group in
                var panel = Panel(
                    title: ChartText.fitted(report.labels.label(group.group), width: 320 - 70),
                    x: .rounds, y: metricAxis([group]))
                add(group, label: "mean \(group.metric)", index: firstIndex + index, overlaid: false, to: &panel)
                panel.data = [("group-index", String(firstIndex + index))]
                return panel
            }
            figure = Figure(kind: "best-rounds", title: title, panels: panels)
        }
        figure.notes = [
            "mean over each group's runs, with its 95% t-interval; t* = the best round of the mean; "
                + "rounds past a run's collapse count at f = 0's error"
        ]
        figure.data = [("groups", String(groups.count))]
        return figure
    }

    /// Log when the means and the intervals' ends span two decades and are all positive: an
    /// interval reaching 0 or below keeps the axis linear, so that its band is drawn whole.
    static func metricAxis(_ groups: [GroupAnalysis]) -> Axis {
        let values = groups.flatMap { group in
            group.curve.flatMap { point in
                [
                    point.summary.mean, point.summary.interval?.lowerBound ?? .nan,
                    point.summary.interval?.upperBound ?? .nan,
                ]
            }
        }
        return Axis(metricTitle(groups), scale: AxisScale.fitting(values))
    }

    static func metricTitle(_ groups: [GroupAnalysis]) -> String {
        var names = [String]()
        for group in groups where !names.contains(group.metric) { names.append(group.metric) }
        let maximize = groups.contains(where: \.maximize) ? " (larger is better)" : ""
        return names.joined(separator: ", ") + maximize
    }

    /// One group's curve, band, t*, round-0 level and collapse ticks. Overlaid groups draw all
    /// of them in the group's style and list the markings in the legend once.
    private static func add(_ group: GroupAnalysis, label: String, index: Int, overlaid: Bool, to panel: inout Panel) {
        let groupData = [("group-index", String(index))]
        let first = panel.series.isEmpty
        let style = SeriesStyle(overlaid ? panel.series.count : 0)
        let x = group.curve.map { Double($0.t) }
        var series = Series(
            key: "mean", label: label, x: x, y: group.curve.map(\.summary.mean),
            band: (
                group.curve.map { $0.summary.interval?.lowerBound ?? .nan },
                group.curve.map { $0.summary.interval?.upperBound ?? .nan }
            ),
            style: style, data: groupData)
        series.bandLabel = "95% interval over runs"
        panel.series.append(series)
        var best = Rule(
            key: "t*", label: "t* (best round)", .vertical, at: Double(group.bestRound),
            style: overlaid ? style : SeriesStyle(4))
        best.data = groupData
        best.inLegend = first
        var level = Rule(
            key: "round-0", label: "round-0 level", .horizontal, at: group.atRoundZero.mean,
            style: overlaid ? style : SeriesStyle(6))
        level.data = groupData
        level.inLegend = first
        var collapses = Rug(
            key: "collapse", label: "a run's collapse round", x: group.collapseRounds.map(Double.init),
            style: overlaid ? style : SeriesStyle(4))
        collapses.data = groupData
        collapses.inLegend = first
        panel.rules += [best, level]
        panel.rugs.append(collapses)
    }
}

/// Text that has to fit a panel.
enum ChartText {
    /// `text` cut to about `width` units at the figures' 12-unit bold title font (about 8
    /// units a character), with an ellipsis.
    static func fitted(_ text: String, width: Double) -> String {
        let characters = max(8, Int(width / 8))
        return text.count <= characters ? text : String(text.prefix(characters - 1)) + "\u{2026}"
    }
}
