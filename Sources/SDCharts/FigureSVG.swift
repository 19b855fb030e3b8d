/// Writing a `Figure` as one standalone SVG document (or an `<svg>` element for a page).
///
/// Layout: title, notes and one legend above a grid of panels. The numbers a figure shows are
/// its JSON (`Figure.json()`, "sdtrack.figure/1"); the SVG names what it draws so that the two
/// can be matched without guessing: each `g.panel` has its plot box (`data-box`, left top
/// right bottom) and its axes' exact domains and scales (`data-x-domain`, `data-y-domain`,
/// `data-x-scale`, `data-y-scale`), so a drawn position maps back to a value; each
/// `g.series` has `data-series` and `data-points`; rules, rugs and spans their keys.
/// Coordinates are whole units and paths relative, which keeps a 500-panel figure small.
extension Figure {
    static let margin = (left: 62.0, right: 14.0, top: 24.0, bottom: 40.0)
    static let lineHeight = 15.0

    /// A standalone SVG file: XML declaration and namespaces, ready for a viewer or xmllint.
    public func svgDocument() -> String {
        var markup = Markup()
        markup.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        write(to: &markup)
        markup.raw("\n")
        return markup.text
    }

    /// The figure's size in SVG units (pixels at 100%).
    public var width: Double { Double(columns) * panelWidth }
    public var height: Double { header().height + Double((panels.count + columns - 1) / columns) * panelHeight }

    /// The title, notes and legend above the panels, laid out once for a figure.
    struct Header {
        let notes: [String]
        let legend: [LegendEntry]
        /// Each legend entry's row and left edge.
        let places: [(row: Int, x: Double)]
        let height: Double
    }

    func header() -> Header {
        let legend = legendEntries(), notes = noteLines
        let places = Self.legendLayout(legend, width: width)
        let legendRows = (places.last?.row ?? -1) + 1
        return Header(
            notes: notes, legend: legend, places: places,
            height: 26 + Double(notes.count) * Self.lineHeight + Double(legendRows) * Self.lineHeight + 6)
    }

    /// The notes broken into lines that fit the width (about 6.7 units a character at the
    /// 11-unit font), at spaces.
    var noteLines: [String] {
        let characters = max(20, Int((width - 16) / 6.7))
        return notes.flatMap { note -> [String] in
            var lines = [String](), line = ""
            for word in note.split(separator: " ", omittingEmptySubsequences: false) {
                if !line.isEmpty, line.count + 1 + word.count > characters {
                    lines.append(line)
                    line = String(word)
                } else {
                    line += line.isEmpty ? String(word) : " " + word
                }
            }
            return lines + [line]
        }
    }

    /// Each legend entry's row and left edge, flowing left to right: an entry is as wide as
    /// its sample and its label (about 6.2 units a character at the 11-unit font).
    static func legendLayout(_ entries: [LegendEntry], width: Double) -> [(row: Int, x: Double)] {
        var placed = [(row: Int, x: Double)](), row = 0, x = 8.0
        for entry in entries {
            let entryWidth = 27 + 6.2 * Double(entry.label.count) + 16
            if x > 8, x + entryWidth > width {
                row += 1
                x = 8
            }
            placed.append((row, x))
            x += entryWidth
        }
        return placed
    }

    /// `idPrefix` keeps the ids of several figures in one page apart.
    public func write(to markup: inout Markup, idPrefix: String = "f") {
        let header = header()
        let height = header.height + Double((panels.count + columns - 1) / columns) * panelHeight
        markup.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        markup.coordinate(width)
        markup.raw("\" height=\"")
        markup.coordinate(height)
        markup.raw("\" viewBox=\"0 0 ")
        markup.coordinate(width)
        markup.raw(" ")
        markup.coordinate(height)
        markup.raw("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"11\" class=\"sdfig\"")
        markup.attribute("data-figure", kind)
        for (name, value) in data { markup.attribute("data-" + name, value) }
        markup.raw(">")
        markup.raw(Self.styleSheet)
        markup.element("title", text: title)
        writeMarkers(idPrefix: idPrefix, to: &markup)
        markup.raw("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>")
        markup.raw("<text class=\"ft\" x=\"8\" y=\"18\">")
        markup.escaped(title)
        markup.raw("</text>")
        var y = 26.0
        for note in header.notes {
            y += Self.lineHeight
            markup.raw("<text class=\"nt\" x=\"8\" y=\"")
            markup.coordinate(y - 3)
            markup.raw("\">")
            markup.escaped(note)
            markup.raw("</text>")
        }
        writeLegend(header, top: y, to: &markup)
        for (index, panel) in panels.enumerated() {
            let left = Double(index % columns) * panelWidth
            let top = header.height + Double(index / columns) * panelHeight
            panel.write(
                to: &markup, left: left, top: top, width: panelWidth, height: panelHeight, idPrefix: idPrefix)
        }
        markup.raw("</svg>")
    }

    /// Compact classes: a 500-panel figure repeats them thousands of times. Every rule is scoped
    /// to `.sdfig`, so that figures inlined in a page leave the page's own classes alone.
    static let styleSheet =
        "<style>"
        + ([
            "text{fill:#222}", ".ft{font-size:14px;font-weight:bold}", ".nt{font-size:11px;fill:#444}",
            ".pt{font-size:12px;font-weight:bold}", ".tk{font-size:10px}", ".al{font-size:11px}",
            ".fr{fill:none;stroke:#444}", ".gd{stroke:#e4e4e4;fill:none}",
            ".ln{fill:none;stroke-width:1.8;stroke-linejoin:round}", ".bd{stroke:none;fill-opacity:.2}",
            ".dr{stroke-dasharray:4 3}", ".ru{stroke-width:1.2}", ".rg{stroke-width:1.5}",
            ".sp{fill:#888;fill-opacity:.14}",
        ] + SeriesStyle.styleRules).map { ".sdfig " + $0 }.joined()
        + "</style>"

    /// One marker per style that draws markers, referenced by `marker-*` attributes: a marker
    /// costs its path once, not once per point.
    private func writeMarkers(idPrefix: String, to markup: inout Markup) {
        var styles = Set<Int>()
        for panel in panels {
            for series in panel.series where series.drawing != .line { styles.insert(series.style.index) }
        }
        guard !styles.isEmpty else { return }
        markup.raw("<style>")
        for index in styles.sorted() {
            markup.raw(".sdfig .\(idPrefix)-m\(index){marker:url(#\(idPrefix)-m\(index))}")
        }
        markup.raw("</style><defs>")
        for index in styles.sorted() {
            let style = SeriesStyle(index)
            markup.raw(
                "<marker id=\"\(idPrefix)-m\(index)\" viewBox=\"-5 -5 10 10\" markerWidth=\"10\" markerHeight=\"10\""
                    + " markerUnits=\"userSpaceOnUse\" overflow=\"visible\"><path fill=\"\(style.color)\""
                    + " stroke=\"#fff\" stroke-width=\"0.6\" d=\"")
            style.marker.path(&markup, x: 0, y: 0)
            markup.raw("\"/></marker>")
        }
        markup.raw("</defs>")
    }

    struct LegendEntry: Equatable {
        enum Kind: Equatable {
            case series(Series.Drawing)
            case band
            case rule(dashed: Bool)
            case rug, span
            /// Text only: how many entries were left out.
            case more
        }
        let label: String
        let kind: Kind
        let style: SeriesStyle
    }

    func legendEntries() -> [LegendEntry] {
        var entries = [LegendEntry]()
        func add(_ entry: LegendEntry) { if !entries.contains(entry) { entries.append(entry) } }
        for panel in panels {
            for series in panel.series where !series.hidden && series.inLegend {
                add(LegendEntry(label: series.label, kind: .series(series.drawing), style: series.style))
                if series.band != nil { add(LegendEntry(label: series.bandLabel, kind: .band, style: series.style)) }
            }
            for rule in panel.rules where rule.inLegend {
                add(LegendEntry(label: rule.label, kind: .rule(dashed: rule.dashed), style: rule.style))
            }
            for rug in panel.rugs where rug.inLegend {
                add(LegendEntry(label: rug.label, kind: .rug, style: rug.style))
            }
            for span in panel.spans { add(LegendEntry(label: span.label, kind: .span, style: SeriesStyle(6))) }
        }
        guard entries.count > Self.mostLegendEntries else { return entries }
        let shown = entries.prefix(Self.mostLegendEntries - 1)
        return shown + [
            LegendEntry(
                label: "and \(entries.count - shown.count) more", kind: .more,
                style: SeriesStyle(6))
        ]
    }

    /// A legend of hundreds of overlaid groups would be taller than the plot.
    static let mostLegendEntries = 24

    private func writeLegend(_ header: Header, top: Double, to markup: inout Markup) {
        guard !header.legend.isEmpty else { return }
        markup.raw("<g class=\"legend\">")
        for (entry, place) in zip(header.legend, header.places) {
            let x = place.x
            let y = top + Double(place.row) * Self.lineHeight + 10
            let color = entry.style.color
            switch entry.kind {
            case .series(let drawing):
                if drawing != .markers {
                    markup.raw("<path class=\"ln\" stroke=\"\(color)\"")
                    if !entry.style.dash.isEmpty { markup.raw(" stroke-dasharray=\"\(entry.style.dash)\"") }
                    markup.raw(" d=\"M")
                    markup.point(x, y - 4)
                    markup.raw("h22\"/>")
                }
                if drawing != .line {
                    markup.raw("<path fill=\"\(color)\" stroke=\"#fff\" stroke-width=\"0.6\" d=\"")
                    entry.style.marker.path(&markup, x: x + 11, y: y - 4)
                    markup.raw("\"/>")
                }
            case .band:
                markup.raw("<rect class=\"bd\" fill=\"\(color)\" x=\"")
                markup.coordinate(x)
                markup.raw("\" y=\"")
                markup.coordinate(y - 9)
                markup.raw("\" width=\"22\" height=\"10\"/>")
            case .rule(let dashed):
                markup.raw("<path class=\"ru\" stroke=\"\(color)\"\(dashed ? " stroke-dasharray=\"4 3\"" : "") d=\"M")
                markup.point(x, y - 4)
                markup.raw("h22\"/>")
            case .rug:
                markup.raw("<path class=\"rg\" stroke=\"\(color)\" d=\"M")
                markup.point(x + 11, y - 9)
                markup.raw("v9\"/>")
            case .span:
                markup.raw("<rect class=\"sp\" x=\"")
                markup.coordinate(x)
                markup.raw("\" y=\"")
                markup.coordinate(y - 9)
                markup.raw("\" width=\"22\" height=\"10\"/>")
            case .more: break
            }
            markup.raw("<text x=\"")
            markup.coordinate(x + 27)
            markup.raw("\" y=\"")
            markup.coordinate(y)
            markup.raw("\">")
            markup.escaped(entry.label)
            markup.raw("</text>")
        }
        markup.raw("</g>")
    }
}

extension Panel {
    /// Draws the panel in the box (left, top, width, height) of the figure.
    func write(to markup: inout Markup, left: Double, top: Double, width: Double, height: Double, idPrefix: String) {
        let margin = Figure.margin
        let plotX = (left + margin.left)...(left + width - margin.right)
        let plotY = (top + margin.top)...(top + height - margin.bottom)
        let xValues =
            series.flatMap(\.x) + rules.filter { $0.orientation == .vertical }.map(\.value)
            + rugs.flatMap(\.x) + spans.map(\.range.lowerBound) + xAxis.including
        // Hidden series too: showing one (a round behind a slider) must not move the axes.
        let yValues =
            series.flatMap { $0.y + ($0.band.map { $0.low + $0.high } ?? []) }
            + rules.filter { $0.orientation == .horizontal }.map(\.value) + yAxis.including
        let xScale = Scale(kind: xAxis.scale, values: xValues, range: plotX, flipped: false)
        let yScale = Scale(kind: yAxis.scale, values: yValues, range: plotY, flipped: true)
        markup.raw("<g class=\"panel\"")
        for (name, value) in data { markup.attribute("data-" + name, value) }
        markup.raw(" data-box=\"")
        for (index, value) in [plotX.lowerBound, plotY.lowerBound, plotX.upperBound, plotY.upperBound].enumerated() {
            if index > 0 { markup.raw(" ") }
            markup.coordinate(value)
        }
        markup.raw("\" data-x-scale=\"\(xAxis.scale.rawValue)\" data-y-scale=\"\(yAxis.scale.rawValue)\"")
        markup.numbersAttribute("data-x-domain", [xScale.domain.lowerBound, xScale.domain.upperBound])
        markup.numbersAttribute("data-y-domain", [yScale.domain.lowerBound, yScale.domain.upperBound])
        markup.raw("><text class=\"pt\" x=\"")
        markup.coordinate(plotX.lowerBound)
        markup.raw("\" y=\"")
        markup.coordinate(top + 16)
        markup.raw("\">")
        markup.escaped(title)
        markup.raw("</text>")
        writeSpans(xScale, plotY, to: &markup)
        writeAxes(xScale, yScale, to: &markup)
        for item in series { item.write(to: &markup, xScale, yScale, idPrefix: idPrefix) }
        writeRules(xScale, yScale, to: &markup)
        writeRugs(xScale, plotY, to: &markup)
        markup.raw("<rect class=\"fr\" x=\"")
        markup.coordinate(plotX.lowerBound)
        markup.raw("\" y=\"")
        markup.coordinate(plotY.lowerBound)
        markup.raw("\" width=\"")
        markup.coordinate(plotX.upperBound - plotX.lowerBound)
        markup.raw("\" height=\"")
        markup.coordinate(plotY.upperBound - plotY.lowerBound)
        markup.raw("\"/></g>")
    }

    private func writeAxes(_ xScale: Scale, _ yScale: Scale, to markup: inout Markup) {
        let plotX = xScale.range, plotY = yScale.range
        let xTicks = xScale.ticks(target: 5, integers: xAxis.integers)
        let yTicks = yScale.ticks(target: 5, integers: yAxis.integers)
        // Grid lines as one path; they end at the tick labels, so no tick marks are needed.
        markup.raw("<path class=\"gd\" d=\"")
        for tick in xTicks {
            guard let x = xScale.position(tick.value) else { continue }
            markup.raw("M")
            markup.point(x, plotY.lowerBound)
            markup.raw("V")
            markup.coordinate(plotY.upperBound)
        }
        for tick in yTicks {
            guard let y = yScale.position(tick.value) else { continue }
            markup.raw("M")
            markup.point(plotX.lowerBound, y)
            markup.raw("H")
            markup.coordinate(plotX.upperBound)
        }
        markup.raw("\"/><g class=\"tk\" text-anchor=\"middle\">")
        for tick in xTicks {
            guard let x = xScale.position(tick.value) else { continue }
            Self.writeTickLabel(tick.label, x: x, y: plotY.upperBound + 15, to: &markup)
        }
        markup.raw("</g><g class=\"tk\" text-anchor=\"end\">")
        for tick in yTicks {
            guard let y = yScale.position(tick.value) else { continue }
            Self.writeTickLabel(tick.label, x: plotX.lowerBound - 6, y: y + 3.5, to: &markup)
        }
        markup.raw("</g><text class=\"al\" text-anchor=\"middle\" x=\"")
        markup.coordinate((plotX.lowerBound + plotX.upperBound) / 2)
        markup.raw("\" y=\"")
        markup.coordinate(plotY.upperBound + 31)
        markup.raw("\">")
        markup.escaped(xAxis.label)
        markup.raw("</text><text class=\"al\" text-anchor=\"middle\" transform=\"translate(")
        markup.point(plotX.lowerBound - 48, (plotY.lowerBound + plotY.upperBound) / 2)
        markup.raw(") rotate(-90)\">")
        markup.escaped(yAxis.label)
        markup.raw("</text>")
    }

    private static func writeTickLabel(_ label: Tick.Label, x: Double, y: Double, to markup: inout Markup) {
        markup.raw("<text x=\"")
        markup.coordinate(x)
        markup.raw("\" y=\"")
        markup.coordinate(y)
        markup.raw("\">")
        switch label {
        case .plain(let text): markup.escaped(text)
        case .powerOfTen(let exponent):
            // 10 with a raised exponent, as text; U+2212 is the minus sign.
            markup.raw("10<tspan dy=\"-5\" font-size=\"8\">")
            markup.escaped(exponent < 0 ? "\u{2212}\(-exponent)" : String(exponent))
            markup.raw("</tspan>")
        }
        markup.raw("</text>")
    }

    /// Spans are cut at the plot's edge: the theory's upper bound on the collapse round can be
    /// 10^12 rounds away, and must not squeeze the rounds that were run into a corner.
    private func writeSpans(_ xScale: Scale, _ plotY: ClosedRange<Double>, to markup: inout Markup) {
        for span in spans {
            let edge = xScale.range
            guard let start = xScale.position(span.range.lowerBound), let end = xScale.position(span.range.upperBound)
            else { continue }
            let low = max(start - 2, edge.lowerBound), high = min(end + 2, edge.upperBound)
            guard low <= high else { continue }
            markup.raw("<rect class=\"sp\"")
            markup.attribute("data-span", span.key)
            markup.raw(" x=\"")
            markup.coordinate(low)
            markup.raw("\" y=\"")
            markup.coordinate(plotY.lowerBound)
            markup.raw("\" width=\"")
            markup.coordinate(high - low)
            markup.raw("\" height=\"")
            markup.coordinate(plotY.upperBound - plotY.lowerBound)
            markup.raw("\"/>")
        }
    }

    private func writeRules(_ xScale: Scale, _ yScale: Scale, to markup: inout Markup) {
        for rule in rules {
            let position = rule.orientation == .vertical ? xScale.position(rule.value) : yScale.position(rule.value)
            guard let position else { continue }
            markup.raw("<path class=\"ru s\(rule.style.colorIndex)\(rule.dashed ? " dr" : "")\"")
            markup.attribute("data-rule", rule.key)
            for (name, value) in rule.data { markup.attribute("data-" + name, value) }
            markup.raw(" d=\"M")
            switch rule.orientation {
            case .vertical:
                markup.point(position, yScale.range.lowerBound)
                markup.raw("V")
                markup.coordinate(yScale.range.upperBound)
            case .horizontal:
                markup.point(xScale.range.lowerBound, position)
                markup.raw("H")
                markup.coordinate(xScale.range.upperBound)
            }
            markup.raw("\"/>")
        }
    }

    private func writeRugs(_ xScale: Scale, _ plotY: ClosedRange<Double>, to markup: inout Markup) {
        for rug in rugs where !rug.x.isEmpty {
            markup.raw("<path class=\"rg s\(rug.style.colorIndex)\"")
            markup.attribute("data-rug", rug.key)
            for (name, value) in rug.data { markup.attribute("data-" + name, value) }
            markup.raw(" d=\"")
            var counts = [Double: Int]()
            for value in rug.x { counts[value, default: 0] += 1 }
            for (value, count) in counts.sorted(by: { $0.key < $1.key }) {
                guard let x = xScale.position(value) else { continue }
                markup.raw("M")
                markup.point(x, plotY.upperBound - 1)
                markup.raw("v-4")
                // Repeats stack upward, at most 8 high: beyond, a taller stack would hide the curve.
                for _ in 1..<min(count, 8) { markup.raw("m0,-1v-4") }
            }
            markup.raw("\"/>")
        }
    }
}

extension Series {
    func write(to markup: inout Markup, _ xScale: Scale, _ yScale: Scale, idPrefix: String) {
        markup.raw("<g class=\"series\"")
        markup.attribute("data-series", key)
        for (name, value) in data { markup.attribute("data-" + name, value) }
        markup.raw(" data-points=\"\(x.count)\"")
        if hidden { markup.raw(" display=\"none\"") }
        markup.raw(">")
        if let band { writeBand(band, xScale, yScale, to: &markup) }
        let positions = zip(x, y).map { x, y -> (Double, Double)? in
            guard let px = xScale.position(x), let py = yScale.position(y) else { return nil }
            return (px, py)
        }
        markup.raw("<path class=\"ln")
        if drawing != .markers { markup.raw(" " + style.lineClasses) }
        if drawing != .line { markup.raw(" \(idPrefix)-m\(style.index)") }
        markup.raw(drawing == .markers ? "\" stroke=\"none\" d=\"" : "\" d=\"")
        var path = RelativePath()
        for position in positions {
            if let (px, py) = position { path.add(px, py, to: &markup) } else { path.lift() }
        }
        markup.raw("\"/></g>")
    }

    /// The band as polygons over runs of points where both ends are drawable.
    private func writeBand(
        _ band: (low: [Double], high: [Double]), _ xScale: Scale, _ yScale: Scale, to markup: inout Markup
    ) {
        var segments = [[(x: Double, low: Double, high: Double)]](),
            current = [(x: Double, low: Double, high: Double)]()
        for index in x.indices {
            if let px = xScale.position(x[index]), let low = yScale.position(band.low[index]),
                let high = yScale.position(band.high[index])
            {
                current.append((px, low, high))
            } else if !current.isEmpty {
                segments.append(current)
                current = []
            }
        }
        if !current.isEmpty { segments.append(current) }
        guard !segments.isEmpty else { return }
        markup.raw("<path class=\"bd \(style.fillClass)\" d=\"")
        var path = RelativePath()
        for segment in segments {
            for point in segment { path.add(point.x, point.high, to: &markup) }
            for point in segment.reversed() { path.add(point.x, point.low, to: &markup) }
            markup.raw("Z")
            path.lift()
        }
        markup.raw("\"/>")
    }
}

/// Path data in whole units: the first point of a stretch absolute (M), the rest relative (l)
/// to the previous one as rounded, so that rounding never accumulates.
struct RelativePath {
    private var last: (x: Int, y: Int)?
    private var drawing = false

    /// Ends the stretch: the next point moves (M) instead of drawing.
    mutating func lift() { drawing = false }

    mutating func add(_ x: Double, _ y: Double, to markup: inout Markup) {
        // Positions are inside the figure, but a defensive bound keeps Int() from trapping.
        func whole(_ value: Double) -> Int { value.isFinite ? Int(max(-1e7, min(1e7, value)).rounded()) : 0 }
        let point = (x: whole(x), y: whole(y))
        if drawing, let last {
            markup.raw("l\(point.x - last.x),\(point.y - last.y)")
        } else {
            markup.raw("M\(point.x),\(point.y)")
        }
        last = point
        drawing = true
    }
}
