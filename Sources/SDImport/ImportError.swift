/// An import file sdtrack cannot use: one line naming the file (and the line, where there is
/// one) and what is wrong.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// "FILE line N: problem".
    init(_ source: String, line: Int, _ problem: String) {
        description = "\(source) line \(line): \(problem)"
    }
}
