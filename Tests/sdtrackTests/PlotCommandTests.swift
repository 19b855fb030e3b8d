import Foundation
import SDJSON
import SDTestSupport
import Testing

/// `sdtrack plot` and `sdtrack report` end to end: the figures' numbers against the queries'
/// JSON and against independent computations, the SVG against xmllint, and what headless
/// Chromium shows of it (tools/render-check).
@Suite(.serialized) struct PlotCommandTests {
    /// A database of a small sweep (sine, 3 eps-rel x 3 seeds, a held-out set) and one toy run
    /// (RBF gamma 80, eps 0.01: 7 rounds, then the collapse), made once.
    static let sweep: Result<(folder: URL, toyRun: String), any Error> = Result {
        let folder = try temporaryFolder()
        for epsRel in ["0.3", "0.1", "0.03"] {
            for seed in 0..<3 {
                let result = try sdtrack(
                    [
                        "run", "--data", "sine", "--n", "30", "--seed", String(seed), "--eps-rel", epsRel,
                        "--test-fraction", "0.25",
                    ], in: folder)
                guard result.status == 0 else { throw TestSupportError(result.stderr) }
            }
        }
        let toy = try sdtrack(["run", "--gamma", "80", "--eps", "0.01", "--json"], in: folder)
        guard toy.status == 0, let id = JSONValue.parse(toy.stdout)?["run_id"]?.stringValue else {
            throw TestSupportError(toy.stderr)
        }
        return (folder, id)
    }

    static func database() throws -> (folder: URL, toyRun: String) { try sweep.get() }

    /// `sdtrack ARGUMENTS` in the sweep's folder, which must succeed; its stdout as JSON.
    static func json(_ arguments: [String]) throws -> JSONValue {
        let result = try sdtrack(arguments, in: try database().folder)
        guard result.status == 0, let value = JSONValue.parse(result.stdout) else {
            throw TestSupportError("sdtrack \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return value
    }

    static func numbers(_ value: JSONValue?) -> [Double] {
        guard case .array(let values)? = value else { return [] }
        return values.map { $0.doubleValue ?? .nan }
    }

    static func path(_ name: String) throws -> String { try database().folder.appendingPathComponent(name).path }

    /// Exactly equal, NaN (a JSON null) equal to NaN.
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test(arguments: [false, true]) func bestRoundsNumbersAreTheQueriesNumbers(overlay: Bool) throws {
        let figure = try Self.json(
            ["plot", "best-rounds", "--json", "-o", "best.svg"] + (overlay ? ["--overlay"] : []))
        let curve = try Self.json(["query", "curve", "--json"])
        let best = try Self.json(["query", "best-rounds", "--json"])
        guard case .array(let groups)? = best["groups"], case .array(let curves)? = curve["groups"],
            case .array(let panels)? = figure["panels"]
        else { throw TestSupportError("unexpected JSON") }
        #expect(groups.count == 4)
        #expect(panels.count == (overlay ? 1 : groups.count))
        for (index, group) in groups.enumerated() {
            let panel = overlay ? panels[0] : panels[index]
            func members(_ name: String) -> [JSONValue] {
                guard case .array(let all)? = panel[name] else { return [] }
                return all.filter { $0["data"]?["group-index"]?.stringValue == String(index) }
            }
            guard let series = members("series").first, case .array(let points)? = curves[index]["points"] else {
                Issue.record("group \(index) has no series")
                continue
            }
            #expect(Self.same(Self.numbers(series["x"]), points.map { $0["t"]!.doubleValue! }))
            #expect(Self.same(Self.numbers(series["y"]), points.map { $0["mean"]!.doubleValue! }))
            #expect(Self.same(Self.numbers(series["low"]), points.map { $0["ci_low"]?.doubleValue ?? .nan }))
            #expect(Self.same(Self.numbers(series["high"]), points.map { $0["ci_high"]?.doubleValue ?? .nan }))
            let rules = members("rules")
            #expect(
                rules.first { $0["key"] == .string("t*") }?["value"]?.doubleValue == group["best_round"]?.doubleValue)
            #expect(
                rules.first { $0["key"] == .string("round-0") }?["value"]?.doubleValue
                    == group["at_round_0"]?["mean"]?.doubleValue)
            let collapses = Self.numbers(members("rugs").first?["x"])
            #expect(collapses.sorted() == Self.numbers(group["collapse_rounds"]?["values"]).sorted())
        }
    }

    @Test func bestRoundsSVGIsValidAndChromiumDrawsEveryGroup() throws {
        _ = try Self.json(["plot", "best-rounds", "--json", "-o", "drawn.svg"])
        let curve = try Self.json(["query", "curve", "--json"])
        let path = try Self.path("drawn.svg")
        #expect(try xmllintProblems(path) == nil)
        let rendering = try Rendering(path: path)
        #expect(rendering.paintedFraction > 0.01)
        #expect(rendering.distinctColours > 10)
        let figure = try #require(rendering.figures.first)
        #expect(figure.kind == "best-rounds")
        guard case .array(let groups)? = curve["groups"] else { throw TestSupportError("no groups") }
        let means = figure.series.filter { $0.key == "mean" }
        #expect(means.count == groups.count)
        for (index, group) in groups.enumerated() {
            guard case .array(let points)? = group["points"],
                let series = means.first(where: { $0.groupIndex == String(index) })
            else {
                Issue.record("group \(index) is not drawn")
                continue
            }
            #expect(series.points == points.count)
            #expect(series.drawn.count == points.count)
            // Whole-unit coordinates: within a unit of the plot box (about 1/150 of its height).
            let values = points.map { $0["mean"]!.doubleValue! }
            let span = (values.max()! - values.min()!) * 1.1 + 1e-12
            for (drawn, point) in zip(series.drawn, points) {
                #expect(abs(drawn[0] - point["t"]!.doubleValue!) < 0.2)
                #expect(abs(drawn[1] - point["mean"]!.doubleValue!) < span / 100)
            }
        }
    }

    @Test func runFigureShowsTheRecordedRounds() throws {
        let id = try Self.database().toyRun
        let figure = try Self.json(["plot", "run", id, "--json", "-o", "run.svg"])
        let record = try Self.json(["runs", "show", id, "--json"])
        guard case .array(let rounds)? = record["rounds"], case .array(let panels)? = figure["panels"] else {
            throw TestSupportError("unexpected JSON")
        }
        var series = [String: JSONValue]()
        for panel in panels {
            guard case .array(let all)? = panel["series"] else { continue }
            for item in all { series[item["key"]!.stringValue!] = item }
        }
        for metric in ["c", "r", "train_mse", "truth_mse", "df", "gcv", "rkhs_norm"] {
            let drawn = try #require(series[metric], "no series \(metric)")
            #expect(Self.same(Self.numbers(drawn["y"]), rounds.map { $0[metric]?.doubleValue ?? .nan }), "\(metric)")
        }
        #expect(series["test_mse"] == nil)  // the toy data have no held-out set
        // c_t's bracket, docs/math.md 2: [d_min / (r_t - 1), d_max / (r_t - 1)] (no eigenvalue of
        // the toy's G is zero), from the record's spectrum and r_t.
        let d = Self.numbers(record["spectrum"]?["eigenvalues"]), r = rounds.map { $0["r"]!.doubleValue! }
        let c = try #require(series["c"])
        #expect(relativeError(Self.numbers(c["low"]), r.map { d.min()! / ($0 - 1) }) < 1e-12)
        #expect(relativeError(Self.numbers(c["high"]), r.map { d.max()! / ($0 - 1) }) < 1e-12)
        let collapse = try #require(
            record["summary"]?["collapse_round"]?.doubleValue ?? record["collapse_round"]?.doubleValue)
        for panel in panels {
            guard case .array(let rules)? = panel["rules"] else { continue }
            #expect(rules.contains { $0["key"] == .string("collapse") && $0["value"]?.doubleValue == collapse })
        }
        let path = try Self.path("run.svg")
        #expect(try xmllintProblems(path) == nil)
        let rendering = try Rendering(path: path)
        #expect(rendering.paintedFraction > 0.01)
        #expect(rendering.figures.first?.series.count == 7)  // c, r, train and truth MSE, df, GCV, RKHS norm
    }

    @Test func spectrumFigureShrinksAsNumpyDoes() throws {
        try requirePython(modules: ["numpy"])
        let id = try Self.database().toyRun
        let figure = try Self.json(["plot", "spectrum", id, "--round", "2", "--json", "-o", "spectrum.svg"])
        let record = try Self.json(["runs", "show", id, "--json"])
        guard case .array(let panels)? = figure["panels"], case .array(let energy)? = panels[0]["series"],
            case .array(let shrinkage)? = panels[1]["series"], case .array(let rounds)? = record["rounds"]
        else { throw TestSupportError("unexpected JSON") }
        let d = Self.numbers(record["spectrum"]?["eigenvalues"] ?? record["spectrum"]?["d"])
        let z0 = Self.numbers(record["spectrum"]?["z0"])
        #expect(!d.isEmpty && Self.same(Self.numbers(energy[0]["y"]), d))
        #expect(Self.same(Self.numbers(energy[1]["y"]), z0.map { $0 * $0 }))
        // s_k(2) = d_k / (c_2 + d_k) and B_2 = prod_{i <= 2} s_k(i), by numpy from the record.
        let c = rounds.map { $0["c"]!.doubleValue! }
        let script = """
            import json, sys, numpy as np
            d = np.array(json.loads(sys.argv[1])); c = json.loads(sys.argv[2])
            s = [d / (ci + d) for ci in c[:3]]
            print(json.dumps({"s": list(s[2]), "B": list(s[0] * s[1] * s[2])}))
            """
        let result = try python([
            "-c", script, JSONValue.numbers(d).serialized(), JSONValue.numbers(c).serialized(),
        ])
        let reference = try #require(JSONValue.parse(result.stdout), "\(result.stderr)")
        #expect(relativeError(Self.numbers(shrinkage[0]["y"]), Self.numbers(reference["s"])) < 1e-14)
        #expect(relativeError(Self.numbers(shrinkage[1]["y"]), Self.numbers(reference["B"])) < 1e-14)
        #expect(try xmllintProblems(try Self.path("spectrum.svg")) == nil)
    }

    @Test func spectrumPageHasASliderOverTheRounds() throws {
        let id = try Self.database().toyRun
        let result = try sdtrack(["plot", "spectrum", id, "-o", "spectrum.html"], in: try Self.database().folder)
        #expect(result.status == 0, "\(result.stderr)")
        let rendering = try Rendering(path: try Self.path("spectrum.html"))
        let series = try #require(rendering.figures.first?.series)
        let perRound = series.filter { $0.round != nil }
        #expect(perRound.count == 2 * 7)  // s and B for each of the 7 rounds
        // The page's script shows round 0 only.
        #expect(perRound.filter(\.displayed).map(\.round) == ["0", "0"])
        #expect(rendering.paintedFraction > 0.01)
    }

    /// The paper's toy figure: each round's fit is smoother and smaller than the last, and the
    /// collapse round's is 0; checked from the figure's numbers.
    @Test func toyFitSmoothsAndCollapses() throws {
        let id = try Self.database().toyRun
        let figure = try Self.json(["plot", "fit", id, "--json", "-o", "fit.svg"])
        guard case .array(let panels)? = figure["panels"], case .array(let series)? = panels.first?["series"] else {
            throw TestSupportError("no series")
        }
        let training = try #require(series.first { $0["key"] == .string("training") })
        let tenths: [Double] = (0...10).map { Double($0) / 10 }
        #expect(Self.numbers(training["x"]) == tenths)
        let truthSeries = series.first { $0["key"] == .string("truth") }
        let grid = Self.numbers(truthSeries?["x"]), truth = Self.numbers(truthSeries?["y"])
        #expect(!grid.isEmpty)
        for (x, y) in zip(grid, truth) { #expect(abs(sin(2 * Double.pi * x) - y) < 1e-15) }
        let fits = series.filter { $0["key"] == .string("f") }.map { Self.numbers($0["y"]) }
        #expect(fits.count == 8)  // rounds 0...6 and the collapse round 7
        /// The sum of squared second differences on the grid.
        func roughness(_ f: [Double]) -> Double {
            var sum = 0.0
            for i in 1..<(f.count - 1) {
                let second = f[i + 1] - 2 * f[i] + f[i - 1]
                sum += second * second
            }
            return sum
        }
        for t in 1..<7 {
            #expect(roughness(fits[t]) < roughness(fits[t - 1]), "round \(t) is not smoother")
            #expect(fits[t].map(abs).max()! < fits[t - 1].map(abs).max()!, "round \(t) is not smaller")
        }
        #expect(fits[7].allSatisfy { $0 == 0 })
        let rendering = try Rendering(path: try Self.path("fit.svg"))
        #expect(rendering.figures.first?.series.filter { $0.key == "f" }.count == 8)
        #expect(rendering.paintedFraction > 0.01)
    }

    @Test func reportIsOneSelfContainedPage() throws {
        let folder = try Self.database().folder
        let result = try sdtrack(["report", "-o", "report.html"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: try Self.path("report.html"), encoding: .utf8)
        #expect(!html.contains("<script src") && !html.contains("<link") && !html.contains("url(http"))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") == false)
        // Each inline figure is a well-formed SVG document of its own.
        var svgs = 0
        for piece in html.components(separatedBy: "<svg ").dropFirst() {
            guard let end = piece.range(of: "</svg>") else { continue }
            let file = try write("<svg " + piece[..<end.upperBound], to: "inline-\(svgs).svg", in: folder)
            #expect(try xmllintProblems(file) == nil)
            svgs += 1
        }
        #expect(svgs == 17)
        let rendering = try Rendering(path: try Self.path("report.html"))
        #expect(rendering.paintedFraction > 0.01)
        let kinds = rendering.figures.map(\.kind)
        // The overlay of the 4 groups, then per group its panel, and its first run's rounds,
        // spectrum and (one-dimensional data) fits.
        #expect(kinds.filter { $0 == "best-rounds" }.count == 5)
        #expect(kinds.filter { $0 == "run" }.count == 4)
        #expect(kinds.filter { $0 == "spectrum" }.count == 4)
        #expect(kinds.filter { $0 == "fit" }.count == 4)
        let limited = try sdtrack(["report", "-o", "two.html", "--figures", "2"], in: folder)
        #expect(limited.status == 0, "\(limited.stderr)")
        let two = try String(contentsOfFile: try Self.path("two.html"), encoding: .utf8)
        #expect(two.contains("Figures for the first 2 of 4 groups"))
        #expect(two.components(separatedBy: "data-figure=\"run\"").count - 1 == 2)
        #expect(rendering.figures[0].series.filter { $0.key == "mean" }.count == 4)
    }

    @Test func pngComesFromAConverterOrSaysWhy() throws {
        let folder = try Self.database().folder
        let id = try Self.database().toyRun
        let made = try sdtrack(["plot", "run", id, "-o", "run.png"], in: folder)
        #expect(made.status == 0, "\(made.stderr)")
        let bytes = try Data(contentsOf: folder.appendingPathComponent("run.png"))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let empty = try temporaryFolder()
        let none = try sdtrack(["plot", "run", id, "-o", "none.png"], in: folder, environment: ["PATH": empty.path])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no converter found") && none.stderr.contains("librsvg2-bin"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.png").path))
    }

    /// A fixed-c run (no eps, no bracket) and one that collapsed at round 0 (no rounds): every
    /// figure is drawn, and says what it lacks.
    @Test func fixedCAndAnAtOnceCollapseAreDrawn() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func run(_ arguments: [String]) throws -> String {
            let result = try sdtrack(["run", "--json"] + arguments, in: folder)
            guard result.status == 0, let id = JSONValue.parse(result.stdout)?["run_id"]?.stringValue else {
                throw TestSupportError(result.stderr)
            }
            return id
        }
        let fixed = try run(["--gamma", "80", "--fixed-c", "0.018", "--rounds", "4"])
        let collapsed = try run(["--eps-rel", "1.5"])
        let figure = try #require(
            JSONValue.parse(try sdtrack(["plot", "run", fixed, "--json", "-o", "fixed.svg"], in: folder).stdout))
        #expect(figure["title"]?.stringValue?.contains("fixed c 0.018") == true)
        guard case .array(let panels)? = figure["panels"], case .array(let series)? = panels.first?["series"] else {
            throw TestSupportError("no panels")
        }
        #expect(series.first?["low"] == nil)  // no bracket: c is given
        let fit = try sdtrack(["plot", "fit", fixed, "-o", "fit.svg"], in: folder)
        #expect(fit.status == 0, "\(fit.stderr)")
        for arguments in [["plot", "run", collapsed], ["plot", "spectrum", collapsed], ["plot", "fit", collapsed]] {
            let result = try sdtrack(arguments + ["-o", "collapsed.svg"], in: folder)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(try xmllintProblems(folder.appendingPathComponent("collapsed.svg").path) == nil)
        }
        let spectrum = try #require(
            JSONValue.parse(try sdtrack(["plot", "spectrum", collapsed, "--json", "-o", "s.svg"], in: folder).stdout))
        guard case .array(let spectrumPanels)? = spectrum["panels"] else { throw TestSupportError("no panels") }
        #expect(spectrumPanels.count == 1)  // the eigenvalues, no shrinkage
    }

    /// Labels from runs (experiment names, tags, notes, imported metric names) are text in the
    /// report, never markup.
    @Test func hostileLabelsStayText() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hostile = "<script>alert(1)</script>\"'&"
        let lines = """
            {"run": {"experiment": "\(hostile.replacingOccurrences(of: "\"", with: "\\\""))", \
            "config": {"model": "<img src=x onerror=alert(1)>", "seed": 1}, "note": "</svg><script>x</script>"}}
            {"t": 0, "test_mse": 0.5, "<b>metric</b>": 1}
            {"t": 1, "test_mse": 0.4, "<b>metric</b>": 2}
            """
        try write(lines, to: "runs.jsonl", in: folder)
        #expect(try sdtrack(["import", "runs.jsonl"], in: folder).status == 0)
        let result = try sdtrack(["report", "-o", "report.html"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("<script>alert") && !html.contains("<img") && !html.contains("<b>metric"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let id = try #require(
            JSONValue.parse(try sdtrack(["runs", "list", "--json"], in: folder).stdout)?["runs"].flatMap {
                if case .array(let runs) = $0 { return runs.first?["run_id"]?.stringValue }
                return nil
            })
        let run = try sdtrack(["plot", "run", id, "-o", "run.svg"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try xmllintProblems(folder.appendingPathComponent("run.svg").path) == nil)
    }

    @Test(arguments: [
        (["plot", "run", "ffffffff"], 1, "no run"),
        (["plot", "run", "RUN", "-o", "figure.txt"], 64, "name the file .svg, .png or .html"),
        (["plot", "spectrum", "RUN", "--round", "99"], 1, "has rounds 0 to 6"),
        (["plot", "spectrum", "RUN", "--round", "1", "-o", "s.html"], 64, "slider"),
        (["plot", "run", "RUN", "--json", "-o", "-"], 64, "both print to stdout"),
        (["plot", "fit", "RUN", "--grid", "1"], 64, "--grid must be"),
        (["plot", "best-rounds", "--metric", "nope"], 1, "unknown metric"),
        (["report", "-o", "report.txt"], 64, "name the report .html"),
        (["report", "--figures=-1"], 64, "--figures must be 0 or more"),
        (["plot", "run", "RUN", "-o", "missing/folder/run.svg"], 1, "cannot write"),
    ])
    func badInputGetsOneLine(arguments: [String], status: Int32, message: String) throws {
        let id = try Self.database().toyRun
        let result = try sdtrack(arguments.map { $0 == "RUN" ? id : $0 }, in: try Self.database().folder)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").first?.hasPrefix("Error:") == true)
    }
}
