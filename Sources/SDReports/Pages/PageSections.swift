import SDAnalysis
import SDCharts
import SDStore

/// The parts of sdtrack's pages, each built once: `sdtrack report` puts them in one file and
/// the collection server's dashboard serves them live. `link` turns a run ID into the href
/// of its page (nil: no links, as in a report file).
public enum PageSections {
    /// The best-rounds table with its intervals and footnotes.
    public static func bestRoundsTable(_ report: BestRoundsReport, into page: inout Page) {
        page.table(
            header: BestRoundsReport.columns, rows: report.groups.map(report.cells), className: "best-rounds",
            numeric: [1, 3, 4, 5, 6, 8])
        for note in report.footnotes() { page.paragraph(note, className: "note") }
    }

    /// The runs table of `runs list`, each run linked to its page where `link` gives one, and
    /// each experiment name to its page where `experimentLink` gives one.
    public static func runsTable(
        _ runs: [RunRecord], into page: inout Page, link: ((String) -> String)? = nil,
        experimentLink: ((String) -> String)? = nil
    ) {
        page.table(
            header: RunListing.columns, rows: runs.map(RunListing.cells), className: "runs", numeric: [5, 8, 9],
            links: { row, column in
                switch column {
                case 0: link?(runs[row].id)
                case 1: experimentLink?(runs[row].experiment)
                default: nil
                }
            })
    }

    /// One run: the facts of `runs show` as its text, then its figures (`runFigures`).
    public static func run(_ complete: CompleteRun, fits: FitFigure.PagePolicy, into page: inout Page) {
        page.preformatted(RunListing.page(complete))
        runFigures(complete, fits: fits, into: &page)
    }

    /// The dashboard's filters of the runs list, as `runs list` and `query --where` take them,
    /// filled with `values` (by parameter name); they GET `action`.
    public static func runFilters(action: String, values: [String: String], into page: inout Page) {
        let fields = [
            ("experiment", "experiment"), ("tag", "tag key=value"), ("since", "since"), ("where", "where"),
            ("status", "status"),
        ]
        page.form(action: action, fields: fields.map { (name: $0.0, label: $0.1, value: values[$0.0] ?? "") })
    }

    /// The dashboard's sign-in: a token in a password field, POSTed to `action`.
    public static func tokenForm(action: String, into page: inout Page) {
        page.form(
            action: action, method: .post, fields: [Page.Field(name: "token", label: "token", isPassword: true)],
            submit: "log in", className: "login")
    }

    /// The dashboard's "log out" button, POSTing to `action`.
    public static func logoutButton(action: String, into page: inout Page) {
        page.form(action: action, method: .post, fields: [], submit: "log out", className: "logout")
    }

    /// A run's figures: its rounds, its spectrum with a round slider where it has one, and for
    /// one-dimensional data its fits computed again as `fits` allows (`FitFigure.forPage`), or
    /// why they are not.
    public static func runFigures(_ complete: CompleteRun, fits: FitFigure.PagePolicy, into page: inout Page) {
        page.figure(RunFigure.figure(complete))
        if let spectrum = try? SpectrumFigure.figure(complete, round: nil) { page.figure(spectrum) }
        switch FitFigure.forPage(complete, policy: fits) {
        case .success(let fit)?: page.figure(fit)
        case .failure(let error)?: page.paragraph(error.description, className: "note")
        case nil: break
        }
    }

    /// Per group, for the first `limit` groups (by gain, as the table): its best-rounds panel,
    /// then the figures of its first run.
    public static func groups(
        _ report: BestRoundsReport, limit: Int = .max, runs: (String) throws -> CompleteRun,
        fits: FitFigure.PagePolicy, into page: inout Page, link: ((String) -> String)? = nil
    ) rethrows {
        if report.groups.count > limit {
            page.paragraph(
                "Figures for the first \(limit) of \(report.groups.count) groups, in the table's order (by gain).",
                className: "note")
        }
        for (index, group) in report.groups.prefix(limit).enumerated() {
            let label = report.labels.label(group.group)
            page.heading("Group \(index + 1): \(label)", level: 3, id: "group-\(index + 1)")
            let single = BestRoundsReport(
                groups: [group], skipped: 0, labels: report.labels, truthIsThere: report.truthIsThere)
            page.figure(
                BestRoundsFigure.figure(
                    single, overlay: false, title: "\(group.metric) over rounds", firstIndex: index))
            let first = try runs(group.runIDs[0])
            var parts: [Page.Inline] = [
                .text("\(group.runIDs.count) run\(group.runIDs.count == 1 ? "" : "s"); the figures below are of run ")
            ]
            let id = String(first.run.id.prefix(8))
            parts.append(link.map { .link(id, href: $0(first.run.id)) } ?? .text(id))
            parts.append(.text(", the group's first."))
            page.paragraph(parts)
            runFigures(first, fits: fits, into: &page)
        }
    }
}

/// `sdtrack report`: one self-contained HTML file answering a query: the best-rounds table,
/// the figures of the groups (the first `figureGroups` by gain), and the runs it covers.
public enum HTMLReport {
    /// How many groups get figures by default: each adds a few hundred kilobytes.
    public static let defaultFigureGroups = 20

    /// `fits` says which runs' fits are computed again, `runsShown` how many runs the table lists
    /// (the newest); `source` says where the runs come from
    /// (default: the database's path); `link` and
    /// `experimentLink` make links of run IDs and experiment names, and `header` adds what comes
    /// before the report (the dashboard's pages: its navigation).
    public static func page(
        _ query: RunQuery, store: RunStore, title: String = "sdtrack report",
        figureGroups: Int = defaultFigureGroups, fits: FitFigure.PagePolicy = .report, runsShown: Int = .max,
        generatedAt: Timestamp = .now(), source: String? = nil,
        link: ((String) -> String)? = nil, experimentLink: ((String) -> String)? = nil,
        header: (inout Page) -> Void = { _ in }
    ) throws -> Page {
        let report = try BestRoundsReport(query, store: store)
        var page = Page(title: title)
        header(&page)
        let runIDs = report.groups.flatMap(\.runIDs)
        page.paragraph(
            "\(runIDs.count) finished run\(runIDs.count == 1 ? "" : "s") in \(report.groups.count) group"
                + "\(report.groups.count == 1 ? "" : "s") from \(source ?? store.path), "
                + "generated \(generatedAt.iso8601)",
            className: "note")
        page.heading("Best number of rounds")
        PageSections.bestRoundsTable(report, into: &page)
        // A few groups overlaid compare at a glance; each group has its own panel below.
        if (2...7).contains(report.groups.count) { page.figure(BestRoundsFigure.figure(report, overlay: true)) }
        page.heading("Groups")
        // The groups' first runs in one read.
        let firsts = try store.completeRuns(ids: report.groups.prefix(figureGroups).map { $0.runIDs[0] })
        let byID = Dictionary(uniqueKeysWithValues: firsts.map { ($0.run.id, $0) })
        PageSections.groups(
            report, limit: figureGroups, runs: { byID[$0]! }, fits: fits, into: &page, link: link)
        page.heading("Runs")
        var filter = query.filter
        filter.statuses = [.finished]
        let runs = try store.runs(matching: filter)
        if runs.count > runsShown {
            page.paragraph("The newest \(runsShown) of \(runs.count) runs.", className: "note")
        }
        PageSections.runsTable(
            Array(runs.prefix(runsShown)), into: &page, link: link, experimentLink: experimentLink)
        return page
    }
}
