#if canImport(Glibc)
    import Glibc
#endif

/// The sweep spec's YAML reader (`SweepYAML`): no crash; what it reads is JSON that the JSON
/// reader reads back the same (so that a YAML spec means what its JSON would).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let value = try SweepYAML.parse(text, source: "fuzz.yaml")
        guard case .object = value else { fatalError("MISMATCH: a spec that is not a mapping: \(value)") }
        if !value.containsNonFiniteNumber, JSONValue.parse(value.serialized()) != value {
            fatalError("MISMATCH: \(value.serialized()) reads back otherwise")
        }
    } catch {
        _ = error.description
    }
    return 0
}

/// SDSweep's error, as the one file of SDSweep this target compiles needs it.
struct SweepError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
