#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// C printf formatting, the one way sdtrack's output formats numbers. (Foundation's
/// String(format:) takes about twice as long on Linux, and a best-rounds table over 500
/// groups formats thousands of numbers.)
public func formatted(_ format: String, _ arguments: any CVarArg...) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer in
        let length = Int(withVaList(arguments) { vsnprintf(buffer.baseAddress, buffer.count, format, $0) })
        if length < buffer.count { return String(cString: buffer.baseAddress!) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { larger in
            _ = withVaList(arguments) { vsnprintf(larger.baseAddress, larger.count, format, $0) }
            return String(cString: larger.baseAddress!)
        }
    }
}
