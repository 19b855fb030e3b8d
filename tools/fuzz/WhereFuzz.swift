#if canImport(Glibc)
    import Glibc
#endif

/// The --where parser: no crash; what parses renders as SQL without a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let conditions = try WhereClause.parse(text)
        var filter = RunFilter()
        filter.conditions = conditions
        _ = filter.sqlConditions()
    } catch {
        _ = error.description
    }
    return 0
}
