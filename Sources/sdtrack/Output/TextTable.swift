/// Rows of cells printed as aligned columns: text columns to the left, numbers to the right.
struct TextTable {
    let header: [String]
    var rows: [[String]] = []
    /// Columns (by index) aligned left; all others are aligned right.
    var leftAligned: Set<Int> = []

    init(header: [String], leftAligned: Set<Int> = []) {
        self.header = header
        self.leftAligned = leftAligned
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == header.count)
        rows.append(row)
    }

    func lines() -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max()! }
        return all.map { row in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                if leftAligned.contains(column) { return column == row.count - 1 ? row[column] : row[column] + padding }
                return padding + row[column]
            }.joined(separator: "  ")
        }
    }

    /// Six significant digits, or scientific notation outside [1e-3, 1e5); "-" for nil.
    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value == 0 { return "0" }
        guard value.isFinite else { return value.isNaN ? "nan" : value > 0 ? "inf" : "-inf" }
        let magnitude = abs(value)
        return magnitude >= 1e-3 && magnitude < 1e5 ? String(format: "%.6g", value) : String(format: "%.4e", value)
    }
}
