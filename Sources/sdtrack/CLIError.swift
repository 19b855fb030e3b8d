/// A failure at run time that is the user's to fix: printed as `Error: <message>`, exit 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
