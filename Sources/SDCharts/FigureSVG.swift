/// Writing a `Figure` as one standalone SVG document (or an `<svg>` element for a page).
///
/// Layout: title, notes and one legend above a grid of panels. Every drawn thing is a group
/// whose `data-` attributes hold the numbers it was drawn from, exactly as sdtrack's JSON
/// writes them, so that a script or a test reads the figure's numbers without guessing from
/// pixels: `g.series` (data-series, data-x, data-y, and data-low/data-high for a band),
/// `g.rule` (data-rule, data-value), `g.rug` (data-rug, data-x), `g.span` (data-low, data-high).
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

    /// The `<svg>` element alone, for inlining in HTML.
    public func svgElement() -> String {
        var markup = Markup()
        write(to: &markup)
        return markup.text
    }

    /// The figure's size in SVG units (pixels at 100%).
    public var width: Double { Double(columns) * panelWidth }
    public var height: Double { header + Double((panels.count + columns - 1) / columns) * panelHeight }

    /// The title, notes and legend above the panels.
    var header: Double {
        let legendRows = (Self.legendLayout(legendEntries(), width: width).last?.row ?? -1) + 1
        return 26 + Double(notes.count) * Self.lineHeight + Double(legendRows) * Self.lineHeight + 6
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

    public func write(to markup: inout Markup) {
        let legend = legendEntries()
        let header = header, height = height
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
        markup.raw("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>")
        markup.raw("<text class=\"ft\" x=\"8\" y=\"18\">")
        markup.escaped(title)
        markup.raw("</text>")
        var y = 26.0
        for note in notes {
            y += Self.lineHeight
            markup.raw("<text class=\"nt\" x=\"8\" y=\"")
            markup.coordinate(y - 3)
            markup.raw("\">")
            markup.escaped(note)
            markup.raw("</text>")
        }
        writeLegend(legend, top: y, to: &markup)
        for (index, panel) in panels.enumerated() {
            let left = Double(index % columns) * panelWidth, top = header + Double(index / columns) * panelHeight
            panel.write(to: &markup, left: left, top: top, width: panelWidth, height: panelHeight)
        }
        markup.raw("</svg>")
    }

    /// Compact classes: a 500-panel figure repeats them thousands of times.
    static let styleSheet =
        "<style>.sdfig text{fill:#222}.ft{font-size:14px;font-weight:bold}.nt{font-size:11px;fill:#444}"
        + ".pt{font-size:12px;font-weight:bold}.tk{font-size:10px}.al{font-size:11px}"
        + ".fr{fill:none;stroke:#444}.gd{stroke:#e4e4e4;fill:none}.tm{stroke:#444;fill:none}"
        + ".ln{fill:none;stroke-width:1.8;stroke-linejoin:round}.bd{stroke:none;fill-opacity:.2}"
        + ".mk{stroke:#fff;stroke-width:.6}.ru{stroke-width:1.2}.rg{stroke-width:1.5}.sp{fill:#888;fill-opacity:.14}"
        + "</style>"

    struct LegendEntry: Equatable {
        enum Kind: Equatable {
            case series(Series.Drawing)
            case band
            case rule(dashed: Bool)
            case rug, span
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
        return entries
    }

    private func writeLegend(_ entries: [LegendEntry], top: Double, to markup: inout Markup) {
        guard !entries.isEmpty else { return }
        markup.raw("<g class=\"legend\">")
        for (entry, place) in zip(entries, Self.legendLayout(entries, width: width)) {
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
                    markup.raw("<path class=\"mk\" fill=\"\(color)\" d=\"")
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
    func write(to markup: inout Markup, left: Double, top: Double, width: Double, height: Double) {
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
        markup.attribute("data-title", title)
        markup.attribute("data-x-scale", xAxis.scale.rawValue)
        markup.attribute("data-y-scale", yAxis.scale.rawValue)
        for (name, value) in data { markup.attribute("data-" + name, value) }
        markup.raw("><text class=\"pt\" x=\"")
        markup.coordinate(plotX.lowerBound)
        markup.raw("\" y=\"")
        markup.coordinate(top + 16)
        markup.raw("\">")
        markup.escaped(title)
        markup.raw("</text>")
        writeSpans(xScale, plotY, to: &markup)
        writeAxes(xScale, yScale, to: &markup)
        for item in series { item.write(to: &markup, xScale, yScale) }
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
        // Grid lines and tick marks as one path each.
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
        markup.raw("\"/><path class=\"tm\" d=\"")
        for tick in xTicks {
            guard let x = xScale.position(tick.value) else { continue }
            markup.raw("M")
            markup.point(x, plotY.upperBound)
            markup.raw("v4")
        }
        for tick in yTicks {
            guard let y = yScale.position(tick.value) else { continue }
            markup.raw("M")
            markup.point(plotX.lowerBound, y)
            markup.raw("h-4")
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
            let low = max(start, edge.lowerBound + 2), high = min(end, edge.upperBound - 2)
            guard low <= high else { continue }
            markup.raw("<g class=\"span\"")
            markup.attribute("data-span", span.key)
            markup.numbersAttribute("data-low", [span.range.lowerBound])
            markup.numbersAttribute("data-high", [span.range.upperBound])
            markup.raw("><rect class=\"sp\" x=\"")
            markup.coordinate(low - 2)
            markup.raw("\" y=\"")
            markup.coordinate(plotY.lowerBound)
            markup.raw("\" width=\"")
            markup.coordinate(high - low + 4)
            markup.raw("\" height=\"")
            markup.coordinate(plotY.upperBound - plotY.lowerBound)
            markup.raw("\"/></g>")
        }
    }

    private func writeRules(_ xScale: Scale, _ yScale: Scale, to markup: inout Markup) {
        for rule in rules {
            markup.raw("<g class=\"rule\"")
            markup.attribute("data-rule", rule.key)
            for (name, value) in rule.data { markup.attribute("data-" + name, value) }
            markup.attribute("data-orientation", rule.orientation.rawValue)
            markup.numbersAttribute("data-value", [rule.value])
            markup.raw(">")
            let position = rule.orientation == .vertical ? xScale.position(rule.value) : yScale.position(rule.value)
            if let position {
                markup.raw("<path class=\"ru\" stroke=\"\(rule.style.color)\"")
                if rule.dashed { markup.raw(" stroke-dasharray=\"4 3\"") }
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
            markup.raw("</g>")
        }
    }

    private func writeRugs(_ xScale: Scale, _ plotY: ClosedRange<Double>, to markup: inout Markup) {
        for rug in rugs {
            markup.raw("<g class=\"rug\"")
            markup.attribute("data-rug", rug.key)
            for (name, value) in rug.data { markup.attribute("data-" + name, value) }
            markup.numbersAttribute("data-x", rug.x)
            markup.raw("><path class=\"rg\" stroke=\"\(rug.style.color)\" d=\"")
            var stacked = [Double: Int]()
            for value in rug.x {
                guard let x = xScale.position(value) else { continue }
                let level = stacked[value, default: 0]
                stacked[value] = level + 1
                // At most 8 high: beyond, a taller stack would hide the curve.
                guard level < 8 else { continue }
                markup.raw("M")
                markup.point(x, plotY.upperBound - 1 - Double(level) * 5)
                markup.raw("v-4")
            }
            markup.raw("\"/></g>")
        }
    }
}

extension Series {
    func write(to markup: inout Markup, _ xScale: Scale, _ yScale: Scale) {
        markup.raw("<g class=\"series\"")
        markup.attribute("data-series", key)
        markup.attribute("data-label", label)
        for (name, value) in data { markup.attribute("data-" + name, value) }
        markup.attribute("data-points", String(x.count))
        markup.numbersAttribute("data-x", x)
        markup.numbersAttribute("data-y", y)
        if let band {
            markup.numbersAttribute("data-low", band.low)
            markup.numbersAttribute("data-high", band.high)
        }
        if hidden { markup.raw(" display=\"none\"") }
        markup.raw(">")
        let color = style.color
        if let band { writeBand(band, color: color, xScale, yScale, to: &markup) }
        let positions = zip(x, y).map { x, y -> (Double, Double)? in
            guard let px = xScale.position(x), let py = yScale.position(y) else { return nil }
            return (px, py)
        }
        if drawing != .markers {
            markup.raw("<path class=\"ln\" stroke=\"\(color)\"")
            if !style.dash.isEmpty { markup.raw(" stroke-dasharray=\"\(style.dash)\"") }
            markup.raw(" d=\"")
            var drawing = false
            for position in positions {
                guard let (px, py) = position else {
                    drawing = false
                    continue
                }
                markup.raw(drawing ? "L" : "M")
                markup.point(px, py)
                drawing = true
            }
            markup.raw("\"/>")
        }
        if drawing != .line {
            markup.raw("<path class=\"mk\" fill=\"\(color)\" d=\"")
            for case let (px, py)? in positions { style.marker.path(&markup, x: px, y: py) }
            markup.raw("\"/>")
        }
        markup.raw("</g>")
    }

    /// The band as polygons over runs of points where both ends are drawable.
    private func writeBand(
        _ band: (low: [Double], high: [Double]), color: String, _ xScale: Scale, _ yScale: Scale,
        to markup: inout Markup
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
        markup.raw("<path class=\"bd\" fill=\"\(color)\" d=\"")
        for segment in segments {
            for (index, point) in segment.enumerated() {
                markup.raw(index == 0 ? "M" : "L")
                markup.point(point.x, point.high)
            }
            for point in segment.reversed() {
                markup.raw("L")
                markup.point(point.x, point.low)
            }
            markup.raw("Z")
        }
        markup.raw("\"/>")
    }
}
