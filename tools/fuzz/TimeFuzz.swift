#if canImport(Glibc)
    import Glibc
#endif

/// The time parsers (--since, --until, documents): no crash; a time read writes back as text
/// that reads as the same time.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let now = Timestamp(millisecondsSince1970: 1_795_000_000_000)
    for time in [Timestamp(iso8601: text), Timestamp(dateOrAge: text, now: now)] {
        guard let time else { continue }
        precondition(Timestamp(iso8601: time.iso8601) == time, "\(time.iso8601) does not read back")
    }
    return 0
}
