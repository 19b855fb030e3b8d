import SDJSON

/// A numeric table read from CSV text with a header row.
///
/// Lines end at "\n", "\r\n" or "\r"; fields follow RFC 4180 within a line (`fields(of:)`).
/// Every data cell must be a finite decimal number (`number(_:)`): "nan", "inf", hexadecimal
/// and empty cells are errors, reported with their line number and column name. Column names
/// are distinct and not empty. Limits, checked as the text is read: lines of at most
/// `longestLine` bytes, at most `mostColumns` columns.
public struct CSVTable: Sendable, Equatable {
    public static let longestLine = 1 << 20
    public static let mostColumns = 100_000

    public let columns: [String]
    /// Row-major cells, `rowCount x columns.count`.
    public let cells: [Double]
    public let rowCount: Int

    /// Parses `text`; `source` names it in error messages (a path or a data set name).
    public init(text: String, source: String) throws(EngineError) {
        var lines = [(number: Int, text: Substring)]()
        for (index, line) in Self.lines(of: text).enumerated() {
            if !line.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.append((index + 1, line)) }
        }
        guard let header = lines.first else {
            throw EngineError(.invalidData, "\(source) is empty: expected a header row and data rows")
        }
        if let long = lines.first(where: { $0.text.utf8.count > Self.longestLine }) {
            throw EngineError(
                .invalidData, "\(source) line \(long.number) is longer than \(Self.longestLine) bytes, sdtrack's limit")
        }
        let columns = Self.fields(of: header.text)
        guard columns.count <= Self.mostColumns else {
            throw EngineError(
                .invalidData, "\(source) has \(columns.count) columns; sdtrack reads at most \(Self.mostColumns)")
        }
        if let empty = columns.firstIndex(of: "") {
            throw EngineError(.invalidData, "\(source): column \(empty + 1) of the header has no name; name it")
        }
        var names = Set<String>()
        if let duplicate = columns.first(where: { !names.insert($0).inserted }) {
            throw EngineError(
                .invalidData, "\(source) has two columns named '\(duplicate.shortened)'; rename one")
        }
        guard lines.count > 1 else {
            throw EngineError(.invalidData, "\(source) has a header but no data rows")
        }
        var cells = [Double]()
        cells.reserveCapacity((lines.count - 1) * columns.count)
        for line in lines.dropFirst() {
            let fields = Self.fields(of: line.text)
            guard fields.count == columns.count else {
                throw EngineError(
                    .invalidData,
                    "\(source) line \(line.number) has \(fields.count) fields but the header has \(columns.count): "
                        + "make every row as long as the header"
                )
            }
            for (column, field) in zip(columns, fields) {
                guard let value = Self.number(field) else {
                    let shown = field.isEmpty ? "an empty cell" : "'\(field.shortened)'"
                    throw EngineError(
                        .invalidData,
                        "\(source) line \(line.number), column '\(column.shortened)': \(shown) is not a finite "
                            + "decimal number; fix or remove that row"
                    )
                }
                cells.append(value)
            }
        }
        self.columns = columns
        self.cells = cells
        self.rowCount = lines.count - 1
    }

    /// A finite number in decimal syntax, as sdtrack documents it: an optional sign, digits with
    /// an optional decimal point, an optional exponent (`-1.5`, `.5`, `2e-3`, `1E+06`). Swift's
    /// `Double(_:)` also takes "nan", "inf", hexadecimal ("0x1p3") and more: not data.
    public static func number(_ text: String) -> Double? {
        var bytes = text.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integer = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(integer.count)
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fraction = bytes.prefix(while: isDigit).count
            bytes = bytes.dropFirst(fraction)
        }
        guard integer.count + fraction > 0 else { return nil }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            let exponent = bytes.prefix(while: isDigit).count
            guard exponent > 0 else { return nil }
            bytes = bytes.dropFirst(exponent)
        }
        guard bytes.isEmpty, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// The index of a column given by name, or else by 0-based position.
    public func columnIndex(_ nameOrIndex: String, source: String) throws(EngineError) -> Int {
        if let index = columns.firstIndex(of: nameOrIndex) { return index }
        if let index = Int(nameOrIndex), columns.indices.contains(index) { return index }
        throw EngineError(
            .invalidData,
            "\(source) has no column '\(nameOrIndex.shortened)'; its columns are "
                + "\(columns.joined(separator: ", ").shortened) (or 0-based indices 0-\(columns.count - 1))"
        )
    }

    /// Column `index` as a vector.
    public func column(_ index: Int) -> [Double] {
        (0..<rowCount).map { cells[$0 * columns.count + index] }
    }

    /// The given columns of every row, as points.
    public func points(columns selected: [Int]) -> Points {
        var values = [Double]()
        values.reserveCapacity(rowCount * selected.count)
        for row in 0..<rowCount {
            for column in selected { values.append(cells[row * columns.count + column]) }
        }
        return Points(count: rowCount, dimension: selected.count, values: values)
    }

    /// The lines of a text file as sdtrack reads them: each ends at "\n", "\r\n" or "\r".
    /// Empty lines are kept, so that line numbers count from 1 as an editor shows them. Split
    /// on UTF-8 bytes: comparing Characters ("\r\n" is one) costs several times as much on a
    /// file of thousands of lines, and these bytes always end a Character.
    public static func lines(of text: String) -> [Substring] {
        var lines = [Substring]()
        let bytes = text.utf8
        var start = bytes.startIndex, index = start
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte == 0x0A || byte == 0x0D else {
                index = bytes.index(after: index)
                continue
            }
            lines.append(text[start..<index])
            index = bytes.index(after: index)
            if byte == 0x0D, index != bytes.endIndex, bytes[index] == 0x0A { index = bytes.index(after: index) }
            start = index
        }
        lines.append(text[start...])
        return lines
    }

    /// The fields of one CSV line (RFC 4180, without line breaks inside fields): split on
    /// commas outside double quotes; a quoted field may hold commas, and "" inside it stands
    /// for one quote; spaces around a field are trimmed. Empty fields stay empty.
    public static func fields(of line: Substring) -> [String] {
        // `blank`: the field so far is spaces only (so a quote may open it), kept as a flag:
        // re-scanning the field at each quote was quadratic in a line of many quotes.
        var fields = [String](), field = "", quoted = false, wasQuoted = false, blank = true
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            index = line.index(after: index)
            if quoted {
                if character == "\"" {
                    if index < line.endIndex, line[index] == "\"" {
                        field.append("\"")
                        index = line.index(after: index)
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "," {
                fields.append(wasQuoted ? field : String(Substring(field).trimmingSpaces()))
                field = ""
                wasQuoted = false
                blank = true
            } else if character == "\"", blank, !wasQuoted {
                field = ""
                quoted = true
                wasQuoted = true
            } else if !(wasQuoted && (character == " " || character == "\t")) {
                field.append(character)
                if character != " " && character != "\t" { blank = false }
            }
        }
        fields.append(wasQuoted ? field : String(Substring(field).trimmingSpaces()))
        return fields
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let end = lastIndex(where: { !isSpace($0) })!
        return self[start...end]
    }
}
