#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for format in ImportFormat.allCases {
        do {
            let runs = try ImportReader.read(text, format: format, source: "fuzz", options: ImportOptions())
            for run in runs { _ = RunDocument.show(run).serialized() }
        } catch {
            _ = error.description
        }
    }
    return 0
}
