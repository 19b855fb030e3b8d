import SDJSON

/// An SVG or HTML document written as bytes, with the escaping XML needs: the one writer of
/// sdtrack's figures and pages. Text is always text (never paths), so that figures stay
/// searchable and their labels selectable.
public struct Markup: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends markup as is: only for literal tags the code itself writes.
    public mutating func raw(_ markup: String) { bytes += markup.utf8 }

    /// Appends text with &, < and > escaped (and quotes, so the same call serves attributes).
    /// Characters XML 1.0 does not allow (control characters but tab, newline and carriage
    /// return; U+FFFE and U+FFFF) become U+FFFD, so that any run label or metric name makes a
    /// well-formed document.
    public mutating func escaped(_ text: String) {
        var text = text
        text.withUTF8 { source in
            guard source.contains(where: Self.needsEscape) else {
                bytes.append(contentsOf: source)
                return
            }
            var index = 0
            while index < source.count {
                let byte = source[index]
                index += 1
                switch byte {
                case UInt8(ascii: "&"): bytes += "&amp;".utf8
                case UInt8(ascii: "<"): bytes += "&lt;".utf8
                case UInt8(ascii: ">"): bytes += "&gt;".utf8
                case UInt8(ascii: "\""): bytes += "&quot;".utf8
                case 0..<0x20 where byte != 0x09 && byte != 0x0A && byte != 0x0D: bytes += "\u{FFFD}".utf8
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
                case 0xEF where index + 1 < source.count && source[index] == 0xBF && source[index + 1] >= 0xBE:
                    bytes += "\u{FFFD}".utf8
                    index += 2
                default: bytes.append(byte)
                }
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == 0xEF
    }

    /// ` name="value"`, escaped.
    public mutating func attribute(_ name: String, _ value: String) {
        raw(" \(name)=\"")
        escaped(value)
        raw("\"")
    }

    /// ` name="[...]"`: numbers exactly as sdtrack's JSON writes them (`JSONNumber.text`),
    /// null where JSON has no number.
    public mutating func numbersAttribute(_ name: String, _ values: [Double]) {
        raw(" \(name)=\"")
        JSONValue.numbers(values).write(to: &bytes)
        raw("\"")
    }

    /// `<tag attributes>text</tag>` with the text escaped.
    public mutating func element(_ tag: String, _ attributes: [(String, String)] = [], text: String) {
        open(tag, attributes)
        escaped(text)
        close(tag)
    }

    public mutating func open(_ tag: String, _ attributes: [(String, String)] = [], selfClosing: Bool = false) {
        raw("<" + tag)
        for (name, value) in attributes { attribute(name, value) }
        raw(selfClosing ? "/>" : ">")
    }

    public mutating func close(_ tag: String) { raw("</\(tag)>") }

    /// A coordinate to 0.1 of a unit, without Foundation's formatting: figures hold thousands.
    public mutating func coordinate(_ value: Double) {
        let tenths = (value * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e15 else {
            bytes += "0".utf8
            return
        }
        var whole = Int(tenths)
        if whole < 0 {
            bytes.append(UInt8(ascii: "-"))
            whole = -whole
        }
        bytes += String(whole / 10).utf8
        if whole % 10 != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(whole % 10))
        }
    }

    /// "x,y" as two coordinates.
    public mutating func point(_ x: Double, _ y: Double) {
        coordinate(x)
        bytes.append(UInt8(ascii: ","))
        coordinate(y)
    }
}
