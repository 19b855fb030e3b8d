#if canImport(Glibc)
    import Glibc
#endif

/// CSVTable (data sets): no crash; every cell read is finite and written in decimal syntax;
/// a table read has distinct, named columns.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let table = try CSVTable(text: text, source: "fuzz")
        precondition(table.cells.allSatisfy(\.isFinite), "a cell is not finite")
        precondition(Set(table.columns).count == table.columns.count, "columns repeat")
        precondition(!table.columns.contains(""), "a column has no name")
        precondition(table.cells.count == table.rowCount * table.columns.count, "ragged table")
    } catch {
        _ = error.description
    }
    for line in CSVTable.lines(of: text).prefix(16) {
        for field in CSVTable.fields(of: line) {
            if let value = CSVTable.number(field) { precondition(value.isFinite, "number() gave \(value)") }
        }
    }
    return 0
}
