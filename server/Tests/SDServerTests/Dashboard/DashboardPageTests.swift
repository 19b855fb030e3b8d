import Foundation
import SDCharts
import SDJSON
import SDReports
import SDRun
import SDSpec
import SDStore
import Testing

@testable import SDServer

/// The dashboard's pages: what they list, link and draw, from the functions `sdtrack report` uses.
@Suite struct DashboardPageTests {
    @Test func theRunsPageListsEveryRunWithLinks() async throws {
        let runs = try dashboardRuns()
        try await withDashboard(runs: runs) { world in
            let page = try await world.router.browse("/", token: world.readToken)
            #expect(page.status == 200)
            #expect(page.text.contains("\(runs.count) runs match, newest first."))
            for complete in runs {
                let id = complete.run.id
                #expect(page.text.contains("<a href=\"/runs/\(id)\">\(id.prefix(8))</a>"), "\(id)")
            }
            #expect(page.text.components(separatedBy: "<tr>").count - 1 == runs.count + 1)
            #expect(page.text.contains("<a href=\"/experiments/sync-test\">sync-test</a>"))
            #expect(page.text.contains("<a href=\"/experiments/sweep-0\">sweep-0</a>"))
            // Newest first.
            let order = runs.sorted { $0.run.createdAt > $1.run.createdAt }.map { String($0.run.id.prefix(8)) }
            let positions = order.map { page.text.range(of: ">\($0)</a>")!.lowerBound }
            #expect(positions == positions.sorted())
            // The form, with every filter.
            for name in ["experiment", "tag", "since", "where", "status"] {
                #expect(page.text.contains("name=\"\(name)\""), "\(name)")
            }
            #expect(page.text.contains("<form method=\"post\" action=\"/logout\""))
        }
    }

    @Test func theFiltersAreThoseOfTheAPIAsAFormSendsThem() async throws {
        try await withDashboard(runs: try dashboardRuns()) { world in
            // A form sends every field, empty ones too, and spaces as +.
            let path = "/?experiment=sync-test&tag=sweep%3Da&since=2020-01-01&where=seed+%3E%3D+1&status=finished"
            let page = try await world.router.browse(path, token: world.readToken)
            #expect(page.status == 200, "\(page)")
            var filter = RunFilter(experiment: "sync-test", statuses: [.finished])
            filter.tags = [Tag(key: "sweep", value: "a")]
            filter.conditions = try WhereClause.parse("seed >= 1")
            let expected = try world.store.runs(matching: filter)
            #expect(expected.count == 2)
            #expect(page.text.contains("2 runs match"))
            for run in expected { #expect(page.text.contains("/runs/\(run.id)")) }
            #expect(page.text.contains("value=\"seed &gt;= 1\""), "the form shows the filters")
            let empty = try await world.router.browse(
                "/?experiment=&tag=&since=&where=&status=", token: world.readToken)
            #expect(empty.text.contains("\(try world.store.runs().count) runs match"))
            let none = try await world.router.browse("/?experiment=nothing", token: world.readToken)
            #expect(none.status == 200)
            #expect(none.text.contains("0 runs match"))
        }
    }

    @Test func aBadFilterIsA400PageSayingWhatIsWrong() async throws {
        try await withDashboard(runs: try dashboardRuns()) { world in
            let cases = [
                ("/?status=bogus", "parameter status: unknown status 'bogus'"),
                ("/?tag=novalue", "parameter tag:"),
                ("/?since=yesterday", "parameter since: 'yesterday' is not a time"),
                ("/?where=seed+%3D%3D", "parameter where:"),
                ("/?where=nokey+%3D+1", "parameter where: unknown configuration key 'nokey'"),
                ("/?limit=5", "parameter limit: not a parameter here"),
                ("/experiments/sync-test?metric=nothing", "unknown metric 'nothing'"),
                ("/experiments/sync-test?group-by=a,,b", "parameter group-by:"),
                ("/experiments/sync-test?experiment=other", "parameter experiment:"),
            ]
            for (path, message) in cases {
                let page = try await world.router.browse(path, token: world.readToken)
                #expect(page.status == 400, "\(path)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                let paragraphs = page.text.components(separatedBy: "<p>").dropFirst()
                #expect(paragraphs.count == 1, "one line: \(page.text)")
                #expect(paragraphs.first?.contains(message) == true, "\(path): \(page.text)")
            }
        }
    }

    @Test func unknownRunsAndExperimentsAre404Pages() async throws {
        var runs = try dashboardRuns()
        // An experiment with a run that has not finished.
        var running = syntheticRuns(count: 1, k: 4, rounds: 2, seed: 9)[0]
        running.run.experiment = "unfinished"
        running.run.status = .running
        running.run.endedAt = nil
        running.run.heartbeatAt = Timestamp.now()
        running.run.pid = nil
        runs.append(running)
        try await withDashboard(runs: runs) { world in
            for path in ["/runs/\(UUID().uuidString.lowercased())", "/runs/fff", "/experiments/nothing"] {
                let page = try await world.router.browse(path, token: world.readToken)
                #expect(page.status == 404, "\(path)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                #expect(page.text.contains("<title>404 Not Found</title>"))
            }
            let unfinished = try await world.router.browse("/experiments/unfinished", token: world.readToken)
            #expect(unfinished.status == 200)
            #expect(unfinished.text.contains("No finished run of experiment 'unfinished' matches"))
            let filteredAway = try await world.router.browse(
                "/experiments/sync-test?tag=sweep%3Dz", token: world.readToken)
            #expect(filteredAway.status == 200)
            #expect(filteredAway.text.contains("No finished run"))
        }
    }

    @Test func experimentNamesAreEscapedInLinksAndDecodedFromPaths() async throws {
        var runs = try dashboardRuns()
        for index in runs.indices where runs[index].run.experiment == "sync-test" {
            runs[index].run.experiment = "a/b c&d"
        }
        try await withDashboard(runs: runs) { world in
            let list = try await world.router.browse("/", token: world.readToken)
            #expect(list.text.contains("<a href=\"/experiments/a%2Fb%20c%26d\">a/b c&amp;d</a>"))
            let page = try await world.router.browse("/experiments/a%2Fb%20c%26d", token: world.readToken)
            #expect(page.status == 200, "\(page)")
            #expect(page.text.contains("<title>experiment a/b c&amp;d</title>"))
            #expect(page.text.contains("href=\"/?experiment=a%2Fb%20c%26d\""))
        }
    }

    @Test func aRunPageHasTheFactsAndTheFiguresWithTheSlider() async throws {
        let runs = try dashboardRuns()
        try await withDashboard(runs: runs) { world in
            let id = runs[0].run.id
            let page = try await world.router.browse("/runs/\(id.prefix(13))", token: world.readToken)
            #expect(page.status == 200)
            let complete = try world.store.completeRuns(ids: [id])[0]
            var escaped = Markup()
            escaped.escaped(RunListing.page(complete))
            #expect(page.text.contains("<pre>\(escaped.text)</pre>"))
            #expect(figures("rounds", in: page.text).count + figures("run", in: page.text).count == 1)
            let spectrum = try #require(figures("spectrum", in: page.text).first)
            #expect(tags("g", in: spectrum).contains { $0["class"] == "series" && $0["data-round"] == "3" })
            #expect(page.text.contains("<input type=\"range\" min=\"0\" max=\"3\""))
            #expect(page.text.contains("<script>"))
            #expect(page.text.contains("<a href=\"/experiments/sync-test\">experiment sync-test</a>"))
        }
    }

    /// The experiment page's figures draw the numbers `GET /v1/best-rounds` answers (and the curve
    /// `GET /v1/curve` answers), group by group: the drawn points mapped back through each
    /// panel's box and domains, to the half unit the coordinates are rounded to.
    @Test(arguments: ["sync-test", "sweep-0"])
    func theExperimentPageDrawsTheBestRoundsOfTheAPI(_ experiment: String) async throws {
        try await withDashboard(runs: try dashboardRuns()) { world in
            for options in ["", "&metric=truth_mse"] {
                let json = try await world.router.send(
                    .get, "/v1/best-rounds?experiment=\(experiment)\(options)", token: world.readToken)
                let curve = try await world.router.send(
                    .get, "/v1/curve?experiment=\(experiment)\(options)", token: world.readToken)
                let groups = elements(json.json?["groups"])
                let curves = elements(curve.json?["groups"])
                #expect(!groups.isEmpty && curves.count == groups.count, "\(json.text.prefix(300))")
                let page = try await world.router.browse(
                    "/experiments/\(experiment)?\(options.dropFirst())", token: world.readToken)
                #expect(page.status == 200, "\(page)")
                let text = page.text
                #expect(text.contains("<a href=\"/runs/"))
                let perGroup = figures("best-rounds", in: text).filter { tags("svg", in: $0)[0]["data-groups"] == "1" }
                #expect(perGroup.count == groups.count)
                for (index, group) in groups.enumerated() {
                    let figure = perGroup[index]
                    let series = tags("g", in: figure).filter { $0["class"] == "series" && $0["data-series"] == "mean" }
                    #expect(series.count == 1)
                    let panel = try #require(DrawnPanel(figure))
                    let line = try #require(tags("path", in: figure).first { $0["class"]?.hasPrefix("ln ") == true })
                    let drawn = DrawnPanel.vertices(line["d"] ?? "")
                    let best = try #require(group["best_round"]?.intValue)
                    let rule = try #require(tags("path", in: figure).first { $0["data-rule"] == "t*" })
                    let ruleX = try #require(rule["d"]?.dropFirst().split(separator: ",").first.flatMap { Double($0) })
                    #expect(abs(panel.position(x: Double(best), y: 1).x - ruleX) <= 0.051)
                    // The whole curve, point by point, to the half unit coordinates are rounded to.
                    let points = elements(curves[index]["points"])
                    #expect(drawn.count == points.count)
                    for (point, answered) in zip(drawn, points) {
                        let t = answered["t"]?.doubleValue ?? .nan, mean = answered["mean"]?.doubleValue ?? .nan
                        let expected = panel.position(x: t, y: mean)
                        #expect(abs(point.x - expected.x) <= 0.5 + 1e-9 && abs(point.y - expected.y) <= 0.5 + 1e-9)
                    }
                    #expect(points[best]["mean"]?.doubleValue == group["at_best"]?["mean"]?.doubleValue)
                    #expect(points[0]["mean"]?.doubleValue == group["at_round_0"]?["mean"]?.doubleValue)
                }
            }
        }
    }

    /// The server draws the fits of runs on built-in data, computed again; it never opens a
    /// file a pushed configuration names (a CSV path is the client's, not the server's).
    @Test func fitsAreDrawnForBuiltInDataOnly() async throws {
        let client = try ClientRuns()
        defer { client.remove() }
        let csv = client.folder.appendingPathComponent("line.csv").path
        try "x,y\n0,0.1\n0.25,0.9\n0.5,0.2\n0.75,-0.8\n1,0.1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let toy = try Runner.run(
            RunSpecification(kernel: KernelRequest(gamma: 80), mode: ModeSpecification(eps: 0.01)), store: client.store)
        let file = try Runner.run(
            RunSpecification(data: DataSpecification(source: csv), mode: ModeSpecification(epsRel: 0.1)),
            store: client.store)
        let runs = try client.store.completeRuns(ids: [try #require(toy.runID), try #require(file.runID)])
        try await withDashboard(runs: runs) { world in
            let toyPage = try await world.router.browse("/runs/\(runs[0].run.id)", token: world.readToken)
            #expect(figures("fit", in: toyPage.text).count == 1)
            let filePage = try await world.router.browse("/runs/\(runs[1].run.id)", token: world.readToken)
            #expect(filePage.status == 200)
            #expect(figures("fit", in: filePage.text).isEmpty)
            #expect(!filePage.text.contains("no fit figure"))
        }
    }

    @Test func theRunsPageIsCapped() async throws {
        let runs = syntheticRuns(count: DashboardRoutes.maxRuns + 2, k: 4, rounds: 1, seed: 5)
        try await withDashboard(runs: runs) { world in
            let page = try await world.router.browse("/", token: world.readToken)
            #expect(page.status == 200)
            #expect(page.text.contains("The newest \(DashboardRoutes.maxRuns) runs that match; more match"))
            #expect(page.text.components(separatedBy: "<tr>").count - 1 == DashboardRoutes.maxRuns + 1)
            let newest = runs.max { $0.run.createdAt < $1.run.createdAt }!
            #expect(page.text.contains("/runs/\(newest.run.id)"))
        }
    }
}

/// The elements of a JSON array (none for anything else).
func elements(_ value: JSONValue?) -> [JSONValue] {
    guard case .array(let elements)? = value else { return [] }
    return elements
}
