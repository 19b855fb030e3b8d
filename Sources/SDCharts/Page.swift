/// A self-contained HTML page: inline CSS, figures as inline SVG, no network and no external
/// script; one small inline script only when a figure has a round slider. It opens offline in
/// any browser, and the same pages are what the collection server serves.
public struct Page: Sendable {
    public var title: String
    private var body = Markup()
    private var hasSlider = false
    private var figureCount = 0

    public init(title: String) { self.title = title }

    public mutating func heading(_ text: String, level: Int = 2, id: String? = nil) {
        body.open("h\(level)", id.map { [("id", $0)] } ?? [])
        body.escaped(text)
        body.close("h\(level)")
    }

    public mutating func paragraph(_ text: String, className: String? = nil) {
        body.element("p", className.map { [("class", $0)] } ?? [], text: text)
    }

    /// A paragraph of text and links, in order.
    public mutating func paragraph(_ parts: [Inline]) {
        body.raw("<p>")
        for part in parts { write(part) }
        body.raw("</p>")
    }

    public enum Inline: Sendable {
        case text(String)
        case link(String, href: String)
    }

    private mutating func write(_ inline: Inline) {
        switch inline {
        case .text(let text): body.escaped(text)
        case .link(let text, let href): body.element("a", [("href", href)], text: text)
        }
    }

    /// A table; `links` gives cells to make links of, by row and column; numbers align right.
    public mutating func table(
        header: [String], rows: [[String]], className: String, numeric: Set<Int> = [],
        links: (_ row: Int, _ column: Int) -> String? = { _, _ in nil }
    ) {
        body.raw("<table class=\"\(className)\"><thead><tr>")
        for name in header { body.element("th", text: name) }
        body.raw("</tr></thead><tbody>")
        for (rowIndex, row) in rows.enumerated() {
            body.raw("<tr>")
            for (column, cell) in row.enumerated() {
                body.raw(numeric.contains(column) ? "<td class=\"n\">" : "<td>")
                if let href = links(rowIndex, column) {
                    body.element("a", [("href", href)], text: cell)
                } else {
                    body.escaped(cell)
                }
                body.raw("</td>")
            }
            body.raw("</tr>")
        }
        body.raw("</tbody></table>")
    }

    /// A figure inline. A figure whose series belong to rounds (their `round` data, 0, 1, ...)
    /// gets a range input under it that shows one round at a time.
    public mutating func figure(_ figure: Figure) {
        figureCount += 1
        let id = "figure-\(figureCount)"
        body.raw("<figure id=\"\(id)\">")
        figure.write(to: &body, idPrefix: id)
        let rounds = Set(figure.panels.flatMap(\.series).compactMap { $0.data.first { $0.0 == "round" }?.1 }).count
        if rounds > 1 {
            hasSlider = true
            body.raw(
                "<figcaption><label>round <input type=\"range\" min=\"0\" max=\"\(rounds - 1)\" value=\"0\" step=\"1\""
                    + " data-figure=\"\(id)\"> <output>t = 0</output></label></figcaption>")
        }
        body.raw("</figure>")
    }

    /// A form of text fields that GETs `action` (the dashboard's filters).
    public mutating func form(action: String, fields: [(name: String, label: String, value: String)]) {
        form(
            action: action, method: .get, fields: fields.map { Field(name: $0.name, label: $0.label, value: $0.value) },
            submit: "apply", className: "filters")
    }

    /// An input of a form: text, or a password (a token), whose value the page never holds.
    public struct Field: Sendable {
        public var name: String
        public var label: String
        public var value: String
        public var isPassword: Bool

        public init(name: String, label: String, value: String = "", isPassword: Bool = false) {
            self.name = name
            self.label = label
            self.value = value
            self.isPassword = isPassword
        }
    }

    public enum FormMethod: String, Sendable {
        case get, post
    }

    /// A form that sends `fields` to `action` (a path of the same site) with a submit button;
    /// no fields makes a form of one button (the dashboard's "log out").
    public mutating func form(action: String, method: FormMethod, fields: [Field], submit: String, className: String) {
        body.open("form", [("method", method.rawValue), ("action", action), ("class", className)])
        for field in fields {
            body.raw("<label>")
            body.escaped(field.label)
            body.raw(" ")
            let attributes =
                field.isPassword
                ? [("type", "password"), ("name", field.name), ("autocomplete", "off")]
                : [("name", field.name), ("value", field.value)]
            body.open("input", attributes, selfClosing: true)
            body.raw("</label> ")
        }
        body.element("button", [("type", "submit")], text: submit)
        body.raw("</form>")
    }

    /// Text as it is, in a fixed-width font (`sdtrack runs show`).
    public mutating func preformatted(_ text: String) {
        body.element("pre", text: text)
    }

    /// Markup the caller built (a nav bar of links).
    public mutating func navigation(_ links: [(text: String, href: String)]) {
        body.raw("<nav>")
        for (index, link) in links.enumerated() {
            if index > 0 { body.raw(" · ") }
            body.element("a", [("href", link.href)], text: link.text)
        }
        body.raw("</nav>")
    }

    public func document() -> String {
        var page = Markup()
        page.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        page.element("title", text: title)
        page.raw("<style>\(Self.styleSheet)</style></head><body>")
        page.element("h1", text: title)
        page.raw(body.text)
        if hasSlider { page.raw("<script>\(Self.sliderScript)</script>") }
        page.raw("</body></html>\n")
        return page.text
    }

    static let styleSheet = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1100px;\
        padding:0 1em;color:#222}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\
        h3{font-size:1.05em}table{border-collapse:collapse;font-size:.85em;margin:.5em 0}\
        th,td{padding:.2em .6em;border-bottom:1px solid #e4e4e4;text-align:left;white-space:nowrap}\
        td:first-child{white-space:normal;overflow-wrap:anywhere;min-width:12em}\
        td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}\
        figure{margin:1em 0;overflow-x:auto}svg{max-width:100%;height:auto}p.note{color:#555;font-size:.9em}\
        nav{display:inline-block;margin-bottom:1em}form.filters label{margin-right:.8em}\
        form.logout{display:inline;margin-left:1em}a{color:#0060a0}pre{font-size:.8em;overflow-x:auto}
        """

    /// Shows the slider's round: `display` on the series themselves, so that an SVG viewer
    /// without scripts still shows round 0.
    public static let sliderScript = """
        document.querySelectorAll('input[data-figure]').forEach(function(s){\
        var f=document.getElementById(s.getAttribute('data-figure')),o=s.parentNode.querySelector('output');\
        function show(){f.querySelectorAll('g.series[data-round]').forEach(function(g){\
        g.setAttribute('display',g.getAttribute('data-round')===s.value?'inline':'none')});\
        o.textContent='t = '+s.value}\
        s.addEventListener('input',show);show()});
        """
}
