#if canImport(Glibc)
    import Glibc
#endif

func fail(_ message: String) -> Never {
    fputs("MISMATCH: \(message)\n", stderr)
    abort()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let value = try? JSONValue.parse(document: text) else { return 0 }
    let runs: [CompleteRun]
    do {
        runs = try RunDocument.runs(in: value)
    } catch {
        _ = error.description
        return 0
    }
    // What was read, exported and read again, is exported as the same text (lossless).
    let first = RunDocument.export(runs).serialized()
    guard let again = JSONValue.parse(first) else { fail("export does not parse: \(first)") }
    let second: [CompleteRun]
    do { second = try RunDocument.runs(in: again) } catch { fail("export not readable: \(error)\n\(first)") }
    let secondText = RunDocument.export(second).serialized()
    if secondText != first { fail("export not a fixed point:\n\(first)\n\(secondText)") }
    for run in runs { _ = RunDocument.show(run).serialized() }
    return 0
}
