import Foundation
import SDJSON

/// CSV cells: quoted when they hold a comma, quote or line break.
public func csvLine(_ cells: [String]) -> String {
    cells.map { cell in
        guard cell.contains(where: { ",\"\n\r".contains($0) }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }.joined(separator: ",")
}

/// A number for CSV: as JSON writes it (`JSONNumber.text`, shortest round-trip form), empty
/// for nil and non-finite values.
public func csvNumber(_ value: Double?) -> String { value.flatMap(JSONNumber.text) ?? "" }
