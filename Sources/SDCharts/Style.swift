/// How the series of a figure tell themselves apart: colour (Okabe and Ito's palette, safe
/// for the common colour-vision deficiencies), and, so that they survive grayscale printing,
/// a dash pattern and a marker shape. Style i is colour i mod 7, dash and marker
/// (i + 2 floor(i / 7)) mod 4: neighbours differ in all three, and the first 28 styles are
/// distinct.
public struct SeriesStyle: Sendable, Equatable {
    public let index: Int

    public init(_ index: Int) { self.index = max(0, index) }

    /// Okabe & Ito (2008), ordered so that consecutive colours differ in lightness too.
    static let colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]
    static let dashes = ["", "6 3", "2 2", "8 3 2 3"]

    public var color: String { Self.colors[colorIndex] }
    public var dash: String { Self.dashes[dashIndex] }
    var colorIndex: Int { index % Self.colors.count }
    var dashIndex: Int { (index + 2 * (index / Self.colors.count)) % Self.dashes.count }

    /// The style sheet's classes of a line in this style: its colour and its dash.
    var lineClasses: String { dashIndex == 0 ? "s\(colorIndex)" : "s\(colorIndex) d\(dashIndex)" }
    /// The class of an area in this style's colour.
    var fillClass: String { "f\(colorIndex)" }

    /// The rules of the classes `lineClasses` and `fillClass` name, for a figure's style sheet.
    static let styleRules =
        colors.enumerated().flatMap { [".s\($0){stroke:\($1)}", ".f\($0){fill:\($1)}"] }
        + dashes.enumerated().dropFirst().map { ".d\($0){stroke-dasharray:\($1)}" }
    public var marker: MarkerShape { MarkerShape.allCases[(index + 2 * (index / 7)) % MarkerShape.allCases.count] }
}

public enum MarkerShape: String, CaseIterable, Sendable {
    case circle, square, triangle, diamond

    /// A closed subpath of about 7 units centred on (x, y), for one path of many markers.
    func path(_ markup: inout Markup, x: Double, y: Double) {
        markup.raw("M")
        switch self {
        case .circle:
            markup.point(x - 3, y)
            markup.raw("a3,3 0 1,0 6,0a3,3 0 1,0 -6,0z")
        case .square:
            markup.point(x - 3, y - 3)
            markup.raw("h6v6h-6z")
        case .triangle:
            markup.point(x, y - 3.5)
            markup.raw("l3.5,6h-7z")
        case .diamond:
            markup.point(x, y - 4)
            markup.raw("l4,4l-4,4l-4,-4z")
        }
    }
}
