import Foundation
import Testing

@testable import SDCharts

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct MarkupTests {
    @Test func textAndAttributesAreEscaped() {
        var markup = Markup()
        markup.element("text", [("data-label", "a\"b<c>&d")], text: "x < y & \"z\"\u{01}")
        #expect(
            markup.text == "<text data-label=\"a&quot;b&lt;c&gt;&amp;d\">x &lt; y &amp; &quot;z&quot;\u{FFFD}</text>")
    }

    @Test func coordinatesHaveAtMostOneDecimal() {
        var markup = Markup()
        for value in [0, 1.04, -1.06, 12.96, 1e20, .nan] {
            markup.coordinate(value)
            markup.raw(" ")
        }
        #expect(markup.text == "0 1 -1.1 13 0 0 ")
    }

    /// Relative steps from the rounded previous point: rounding never accumulates.
    @Test func pathsAreRelativeInWholeUnits() {
        var markup = Markup(), path = RelativePath()
        for x in stride(from: 0.0, through: 3, by: 1) { path.add(x * 1.4, 10 - x * 0.6, to: &markup) }
        path.lift()
        path.add(50.2, 49.7, to: &markup)
        #expect(markup.text == "M0,10l1,-1l2,0l1,-1M50,50")
    }

    /// A figure with hostile labels, a log axis with values <= 0, NaN and an empty series is
    /// still one well-formed XML document.
    @Test func hostileFiguresAreWellFormedXML() throws {
        var panel = Panel(title: "<b>&\"", x: Axis("x & y"), y: Axis("log", scale: .log))
        panel.series = [
            Series(
                key: "a\"", label: "</svg>", x: [0, 1, 2, 3], y: [1, 0, -1, .nan],
                band: ([0.5, .nan, 1, 1], [2, 2, .nan, 3])),
            Series(key: "empty", label: "none", x: [], y: [], drawing: .markers),
        ]
        panel.rules = [Rule(key: "r", label: "]]>", .horizontal, at: -5)]
        panel.rugs = [Rug(key: "g", label: "g", x: [1, 1, 1, .infinity])]
        panel.spans = [Span(key: "s", label: "s", range: 0...1e12)]
        var figure = Figure(kind: "test", title: "<title>", panels: [panel, panel, panel])
        figure.notes = [String(repeating: "word ", count: 200)]
        let document = figure.svgDocument()
        let parser = XMLParser(data: Data(document.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(figure.json()["panels"] != nil)
    }

    /// Hundreds of overlaid series: the legend shows 23 and says how many more there are.
    @Test func aLegendOfManySeriesIsCut() {
        var panel = Panel(title: "many", x: Axis("t"), y: Axis("y"))
        panel.series = (0..<100).map {
            Series(key: "s", label: "group \($0)", x: [0, 1], y: [0, 1], style: SeriesStyle($0))
        }
        let figure = Figure(kind: "test", title: "many", panels: [panel])
        let entries = figure.legendEntries()
        #expect(entries.count == Figure.mostLegendEntries)
        #expect(entries.last?.label == "and 77 more")
        #expect(figure.svgDocument().components(separatedBy: "group 22<").count == 2)
        #expect(!figure.svgDocument().contains("group 23<"))
    }

    /// Values at the ends of double range (an imported GCV of 1.7e308, an RKHS norm of 1e-320)
    /// neither trap nor overflow: the figure is drawn and well-formed.
    @Test func extremeValuesAreDrawn() throws {
        var linear = Panel(title: "linear", x: Axis("t"), y: Axis("y"))
        linear.series = [
            Series(key: "huge", label: "huge", x: [0, 1, 2], y: [-1.7e308, 1.7e308, .greatestFiniteMagnitude])
        ]
        var log = Panel(title: "log", x: Axis("t"), y: Axis("y", scale: .log))
        log.series = [Series(key: "tiny", label: "tiny", x: [0, 1, 2], y: [1e-320, 1, 1e300])]
        let scale = Scale(kind: .log, values: [1e-320, 1], range: 0...100, flipped: false)
        #expect(scale.position(1e-320)!.isFinite && scale.position(1)!.isFinite)
        #expect(!scale.ticks().isEmpty)
        let document = Figure(kind: "test", title: "extremes", panels: [linear, log]).svgDocument()
        let parser = XMLParser(data: Data(document.utf8))
        #expect(parser.parse())
        #expect(!document.contains("nan") && !document.contains("inf"))
    }
}
