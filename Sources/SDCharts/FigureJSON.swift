import SDJSON

/// The numbers a figure shows, as one JSON document ("sdtrack.figure/1"): what `plot --json`
/// prints, so that a script (or a test) has them exactly, as sdtrack's JSON writes numbers;
/// the SVG names the same panels and series in the same order.
///
///     {"format": "sdtrack.figure/1", "kind", "title", "notes": [...], "data": {...},
///      "panels": [{"title", "x_axis": {"label", "scale"}, "y_axis": {...}, "data": {...},
///                  "series": [{"key", "label", "x": [...], "y": [...], "low", "high", "hidden", "data"}],
///                  "rules": [{"key", "label", "orientation", "value", "data"}],
///                  "rugs": [{"key", "label", "x": [...], "data"}], "spans": [{"key", "label", "low", "high"}]}]}
///
/// Values a series lacks (NaN: an interval of one run, a round without the metric) are null.
extension Figure {
    public static let jsonFormat = "sdtrack.figure/1"

    public func json() -> JSONValue {
        .object([
            ("format", .string(Self.jsonFormat)), ("kind", .string(kind)), ("title", .string(title)),
            ("notes", .array(notes.map(JSONValue.string))), ("data", Self.json(data)),
            ("panels", .array(panels.map(\.json))),
        ])
    }

    static func json(_ data: [(String, String)]) -> JSONValue { .object(data.map { ($0.0, .string($0.1)) }) }
}

extension Panel {
    var json: JSONValue {
        func axis(_ axis: Axis) -> JSONValue {
            .object([("label", .string(axis.label)), ("scale", .string(axis.scale.rawValue))])
        }
        return .object([
            ("title", .string(title)), ("x_axis", axis(xAxis)), ("y_axis", axis(yAxis)), ("data", Figure.json(data)),
            (
                "series",
                .array(
                    series.map { series in
                        var members: [(String, JSONValue)] = [
                            ("key", .string(series.key)), ("label", .string(series.label)),
                            ("x", .numbers(series.x)), ("y", .numbers(series.y)),
                        ]
                        if let band = series.band {
                            members += [("low", .numbers(band.low)), ("high", .numbers(band.high))]
                        }
                        members += [("hidden", .bool(series.hidden)), ("data", Figure.json(series.data))]
                        return .object(members)
                    })
            ),
            (
                "rules",
                .array(
                    rules.map { rule in
                        .object([
                            ("key", .string(rule.key)), ("label", .string(rule.label)),
                            ("orientation", .string(rule.orientation.rawValue)), ("value", .number(rule.value)),
                            ("data", Figure.json(rule.data)),
                        ])
                    })
            ),
            (
                "rugs",
                .array(
                    rugs.map { rug in
                        .object([
                            ("key", .string(rug.key)), ("label", .string(rug.label)), ("x", .numbers(rug.x)),
                            ("data", Figure.json(rug.data)),
                        ])
                    })
            ),
            (
                "spans",
                .array(
                    spans.map { span in
                        .object([
                            ("key", .string(span.key)), ("label", .string(span.label)),
                            ("low", .number(span.range.lowerBound)), ("high", .number(span.range.upperBound)),
                        ])
                    })
            ),
        ])
    }
}
