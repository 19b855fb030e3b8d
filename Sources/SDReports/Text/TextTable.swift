import SDJSON

/// Rows of cells printed as aligned columns: text columns to the left, numbers to the right.
public struct TextTable {
    public let header: [String]
    public var rows: [[String]] = []
    /// Columns (by index) aligned left; all others are aligned right.
    public var leftAligned: Set<Int> = []

    public init(header: [String], leftAligned: Set<Int> = []) {
        self.header = header
        self.leftAligned = leftAligned
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count)
        rows.append(row)
    }

    public func lines() -> [String] {
        let all = [header] + rows
        // Unicode scalars, not Characters: counting grapheme clusters is slow on long lists,
        // and the two differ only for combining marks.
        let counts = all.map { $0.map { $0.unicodeScalars.count } }
        let widths = header.indices.map { column in counts.map { $0[column] }.max()! }
        return zip(all, counts).map { row, count in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - count[column])
                if leftAligned.contains(column) { return column == row.count - 1 ? row[column] : row[column] + padding }
                return padding + row[column]
            }.joined(separator: "  ").trailingSpacesTrimmed
        }
    }

    /// Six significant digits, or scientific notation outside [1e-3, 1e5); "-" for nil.
    public static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value == 0 { return "0" }
        guard value.isFinite else { return value.isNaN ? "nan" : value > 0 ? "inf" : "-inf" }
        let magnitude = abs(value)
        return formatted(magnitude >= 1e-3 && magnitude < 1e5 ? "%.6g" : "%.4e", value)
    }
}

private extension String {
    /// Without the spaces an empty last cell leaves.
    var trailingSpacesTrimmed: String {
        guard last == " " else { return self }
        return String(self[..<(lastIndex { $0 != " " }.map(index(after:)) ?? startIndex)])
    }
}
