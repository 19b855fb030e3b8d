import Foundation

/// Reads a UTF-8 text file the user named, turning each way it can fail into one line that
/// says what to pass instead (`expected`, e.g. "a CSV file").
func readTextFile(_ path: String, expected: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw CLIError("no such file '\(path)'; pass \(expected)")
    }
    guard !isDirectory.boolValue else { throw CLIError("'\(path)' is a directory; pass \(expected)") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("cannot read '\(path)'; check its permissions")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw CLIError("'\(path)' is not UTF-8 text; pass \(expected)")
    }
    return text
}
