#if canImport(Glibc)
    import Glibc
#endif

func fail(_ message: String) -> Never {
    fputs("MISMATCH: \(message)\n", stderr)
    abort()
}

func sameBits(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

/// Whether the value contains a non-finite number anywhere.
func hasNonFinite(_ v: JSONValue) -> Bool {
    switch v {
    case .number(let x): return !x.isFinite
    case .array(let a): return a.contains(where: hasNonFinite)
    case .object(let m): return m.contains { hasNonFinite($0.1) }
    default: return false
    }
}

/// Bit-exact structural equality (== treats 0 and -0 equal).
func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): return sameBits(x, y)
    case (.int(let x), .number(let y)), (.number(let y), .int(let x)): return sameBits(Double(x), y)
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
    case (.object(let x), .object(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && identical($0.1, $1.1) }
    default: return a == b
    }
}

/// A JSON number token per RFC 8259.
func isJSONNumber(_ s: [UInt8]) -> Bool {
    var i = 0
    func digit(_ i: Int) -> Bool { i < s.count && s[i] >= 0x30 && s[i] <= 0x39 }
    if i < s.count && s[i] == 0x2D { i += 1 }
    guard digit(i) else { return false }
    if s[i] == 0x30 { i += 1 } else { while digit(i) { i += 1 } }
    if i < s.count && s[i] == 0x2E {
        i += 1
        guard digit(i) else { return false }
        while digit(i) { i += 1 }
    }
    if i < s.count && (s[i] == 0x65 || s[i] == 0x45) {
        i += 1
        if i < s.count && (s[i] == 0x2B || s[i] == 0x2D) { i += 1 }
        guard digit(i) else { return false }
        while digit(i) { i += 1 }
    }
    return i == s.count
}

func checkNumber(_ text: String) {
    guard isJSONNumber(Array(text.utf8)) else { return }
    guard let parsed = JSONValue.parse(text), let d = parsed.doubleValue else { fail("number \(text) did not parse") }
    // strtod directly, and Swift's Double(String)
    let c = strtod(text, nil)
    guard let s = Double(text) else { fail("Double(\(text)) nil") }
    if !sameBits(c, s) { fail("strtod vs Double(String) differ for \(text)") }
    if !sameBits(d, s) {
        let (ours, theirs) = (String(d.bitPattern, radix: 16), String(s.bitPattern, radix: 16))
        fail("parse(\(text)) = \(d) (bits \(ours)) but Double = \(s) (bits \(theirs)), value \(parsed)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    // The JSONNumber.text round trip on the first 8 bytes as a Double.
    if size >= 8 {
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(buffer[i]) << (8 * UInt64(i)) }
        let x = Double(bitPattern: bits)
        if let text = JSONNumber.text(x) {
            guard let back = JSONValue.parse(text) else { fail("JSONNumber.text(\(bits)) = \(text) does not parse") }
            guard let y = back.doubleValue, sameBits(x, y) else {
                fail("JSONNumber.text bits \(String(bits, radix: 16)) -> \(text) -> \(back)")
            }
        } else if x.isFinite {
            fail("JSONNumber.text nil for finite \(x)")
        }
    }
    let text = String(decoding: buffer, as: UTF8.self)
    checkNumber(text)
    let value: JSONValue
    do {
        value = try JSONValue.parse(document: text)
    } catch {
        _ = error.description
        return 0
    }
    if !hasNonFinite(value) {
        let out = value.serialized()
        let back: JSONValue
        do { back = try JSONValue.parse(document: out) } catch { fail("serialized does not parse: \(error) \(out)") }
        if back != value { fail("round trip differs: \(out)") }
        if !identical(back, value) { fail("round trip not bit-identical: \(out)") }
        let canonical = value.canonical
        let cout = canonical.serialized()
        guard let cback = JSONValue.parse(cout) else { fail("canonical does not parse: \(cout)") }
        if cback != canonical { fail("canonical round trip differs: \(cout)") }
        if !identical(cback, canonical) { fail("canonical round trip not bit-identical: \(cout)") }
        if canonical.canonical.serialized() != cout { fail("canonical not idempotent: \(cout)") }
    }
    return 0
}
