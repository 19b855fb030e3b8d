/// One axis of a panel: its label and scale; the domain comes from the data drawn.
public struct Axis: Sendable {
    public var label: String
    public var scale: AxisScale
    /// Ticks on whole numbers only (round numbers, indices).
    public var integers: Bool
    /// Values the domain must include besides the data (0 for a count, 1 for r_t).
    public var including: [Double]

    public init(_ label: String, scale: AxisScale = .linear, integers: Bool = false, including: [Double] = []) {
        self.label = label
        self.scale = scale
        self.integers = integers
        self.including = including
    }
}

/// A named series of points, drawn as a line, as markers or both, with an optional band
/// (low...high at each x, a confidence interval).
public struct Series: Sendable {
    public enum Drawing: Sendable { case line, markers, lineAndMarkers }

    /// What the data attribute `data-series` says: stable, for scripts and tests.
    public var key: String
    /// What the legend says.
    public var label: String
    public var x: [Double]
    public var y: [Double]
    public var band: (low: [Double], high: [Double])?
    public var drawing: Drawing
    public var style: SeriesStyle
    /// Extra `data-` attributes of the series group (the group's key, a run's ID).
    public var data: [(String, String)]
    /// Hidden until a page's control shows it (one series per round behind a slider).
    public var hidden: Bool
    /// What the legend calls the band.
    public var bandLabel: String = "95% interval"
    /// Whether the legend lists it (overlaid groups list their rules once, not per group).
    public var inLegend: Bool = true

    public init(
        key: String, label: String, x: [Double], y: [Double], band: (low: [Double], high: [Double])? = nil,
        drawing: Drawing = .lineAndMarkers, style: SeriesStyle = SeriesStyle(0), data: [(String, String)] = [],
        hidden: Bool = false
    ) {
        precondition(x.count == y.count)
        self.key = key
        self.label = label
        self.x = x
        self.y = y
        self.band = band
        self.drawing = drawing
        self.style = style
        self.data = data
        self.hidden = hidden
    }
}

/// A straight line across the panel at one value: t* (vertical), a level (horizontal).
public struct Rule: Sendable {
    public enum Orientation: String, Sendable { case vertical, horizontal }

    public var key: String
    public var label: String
    public var orientation: Orientation
    public var value: Double
    public var style: SeriesStyle
    public var dashed: Bool
    public var inLegend: Bool = true
    public var data: [(String, String)] = []

    public init(
        key: String, label: String, _ orientation: Orientation, at value: Double, style: SeriesStyle = SeriesStyle(6),
        dashed: Bool = true
    ) {
        self.key = key
        self.label = label
        self.orientation = orientation
        self.value = value
        self.style = style
        self.dashed = dashed
    }
}

/// Short ticks along the bottom of the plot at each x value: events such as runs' collapse
/// rounds; repeated values stack upward so that their count shows.
public struct Rug: Sendable {
    public var key: String
    public var label: String
    public var x: [Double]
    public var style: SeriesStyle
    public var inLegend: Bool = true
    public var data: [(String, String)] = []

    public init(key: String, label: String, x: [Double], style: SeriesStyle = SeriesStyle(4)) {
        self.key = key
        self.label = label
        self.x = x
        self.style = style
    }
}

/// A shaded range of x: where theory puts an event (the bounds on the collapse round).
public struct Span: Sendable {
    public var key: String
    public var label: String
    public var range: ClosedRange<Double>

    public init(key: String, label: String, range: ClosedRange<Double>) {
        self.key = key
        self.label = label
        self.range = range
    }
}

/// One plot: axes, series, rules, rugs and spans, a title and notes under the title.
public struct Panel: Sendable {
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series] = []
    public var rules: [Rule] = []
    public var rugs: [Rug] = []
    public var spans: [Span] = []
    /// Extra `data-` attributes of the panel (the group it shows).
    public var data: [(String, String)] = []

    public init(title: String, x: Axis, y: Axis) {
        self.title = title
        self.xAxis = x
        self.yAxis = y
    }
}

/// Panels in a grid, a title and one legend: a figure, written as SVG.
public struct Figure: Sendable {
    /// What `data-figure` says on the root: best-rounds, run, spectrum, fit.
    public var kind: String
    public var title: String
    public var panels: [Panel]
    public var columns: Int
    public var panelWidth: Double = 320
    public var panelHeight: Double = 220
    /// Lines under the title (what the figure assumes, what it left out).
    public var notes: [String] = []
    /// Extra `data-` attributes of the root.
    public var data: [(String, String)] = []

    public init(kind: String, title: String, panels: [Panel], columns: Int? = nil) {
        self.kind = kind
        self.title = title
        self.panels = panels
        self.columns = max(1, min(columns ?? (panels.count <= 1 ? 1 : panels.count <= 4 ? 2 : 3), panels.count))
    }
}
