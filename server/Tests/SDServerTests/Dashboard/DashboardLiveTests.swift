import Foundation
import SDJSON
import SDStore
import Testing

/// The dashboard from a real server on loopback, fetched with a bearer token and rendered by
/// Chromium (`tools/render-check`, at the repository's root) under the pages' Content-Security-Policy:
/// a page that renders blank, a figure that lost its series, or a slider script the policy blocks
/// fails here. Chromium and Pillow are required: without them this test fails, saying so.
@Suite struct DashboardLiveTests {
    @Test func pagesRenderInChromiumWithTheirFigures() async throws {
        let renderCheck = repositoryRoot.appendingPathComponent("tools/render-check")
        try await withTestServer { server in
            _ = try server.store.importRuns(try dashboardRuns())
            let runID = try #require(try server.store.runs(matching: RunFilter(experiment: "sync-test")).first?.id)
            var rendered = [String: JSONValue]()
            for (name, path) in [("runs", "/"), ("run", "/runs/\(runID)"), ("experiment", "/experiments/sweep-0")] {
                let answer = try await server.client.send(
                    "GET", path, token: server.readToken, headers: ["Accept": "text/html"])
                #expect(answer.status == 200, "\(path): \(answer.text.prefix(500))")
                #expect(answer.header("Content-Type") == "text/html; charset=utf-8")
                #expect(answer.header("Cache-Control") == "no-store")
                let policy = try #require(answer.header("Content-Security-Policy"))
                // A saved file loses the header: the same policy goes in as a meta element. The slider
                // starts at round 2, as if moved there: only the script, if the policy lets it run,
                // hides round 0 (which the SVG itself shows) and shows round 2.
                var html = answer.text.replacingOccurrences(
                    of: "<head>", with: "<head><meta http-equiv=\"Content-Security-Policy\" content=\"\(policy)\">")
                if name == "run" {
                    #expect(html.contains("value=\"0\" step=\"1\""))
                    html = html.replacingOccurrences(of: "value=\"0\" step=\"1\"", with: "value=\"2\" step=\"1\"")
                }
                let file = server.folder.appendingPathComponent("\(name).html")
                try html.write(to: file, atomically: true, encoding: .utf8)
                let result = try await runChild(renderCheck, [file.path], folder: server.folder)
                guard result.status == 0, let report = JSONValue.parse(result.stdout) else {
                    throw TestFailure(
                        "tools/render-check \(name).html failed (exit \(result.status)); it needs chromium and "
                            + "python3 with Pillow (tools/setup test installs them): \(result.stderr)\(result.stdout)")
                }
                let painted = report["screenshot"]?["painted_fraction"]?.doubleValue ?? 0
                #expect(painted > 0.01, "\(name) renders blank: \(result.stdout.prefix(300))")
                rendered[name] = report
            }

            // The experiment page: per group a figure with the group's one mean series over rounds 0...horizon.
            let curve = try await server.client.get("/v1/curve?experiment=sweep-0", token: server.readToken)
            guard case .array(let groups)? = curve.json?["groups"] else { throw TestFailure("no curve: \(curve.text)") }
            let bestRounds = figureList(rendered["experiment"]).filter { $0["kind"]?.stringValue == "best-rounds" }
            let perGroup = bestRounds.filter { series($0, key: "mean").count == 1 }
            #expect(perGroup.count == groups.count)
            for (figure, group) in zip(perGroup, groups) {
                guard case .array(let points)? = group["points"] else { continue }
                #expect(series(figure, key: "mean").first?["points"]?.intValue == points.count)
            }
            #expect(bestRounds.count == groups.count + 1, "the groups overlaid, then one figure each")

            // The run page: the spectrum's slider script ran under the policy and shows round 2 only.
            let spectrum = try #require(figureList(rendered["run"]).first { $0["kind"]?.stringValue == "spectrum" })
            let byRound = series(spectrum, key: nil).filter { $0["round"]?.stringValue != nil }
            #expect(Set(byRound.compactMap { $0["round"]?.stringValue }) == ["0", "1", "2", "3"], "series by round")
            for entry in byRound {
                #expect(entry["displayed"]?.boolValue == (entry["round"]?.stringValue == "2"), "\(entry)")
            }
        }
    }

    private func figureList(_ report: JSONValue?) -> [JSONValue] {
        guard case .array(let figures)? = report?["figures"] else { return [] }
        return figures
    }

    /// A rendered figure's series with `key` (all with nil).
    private func series(_ figure: JSONValue, key: String?) -> [JSONValue] {
        guard case .array(let series)? = figure["series"] else { return [] }
        return series.filter { key == nil || $0["key"]?.stringValue == key }
    }
}
