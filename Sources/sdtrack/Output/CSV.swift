/// CSV cells: quoted when they hold a comma, quote or line break.
func csvLine(_ cells: [String]) -> String {
    cells.map { cell in
        guard cell.contains(where: { ",\"\n\r".contains($0) }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }.joined(separator: ",")
}

/// A number for CSV: shortest round-trip form, empty for nil.
func csvNumber(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
